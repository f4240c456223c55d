// The production shape on one machine, all real processes: 3 shop replicas behind haproxy (round
// robin, no stickiness), 2 agent collectors, 2 gateway collectors (agents route by stream through the
// load-balancing exporter), Redis, and Prometheus with the remote-write receiver. Seeded traffic goes
// through haproxy; what Prometheus answers is compared with the traffic generator's ledger.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sampleSum, waitUntil } from '@bizmetrics/test-support';
import { ProcessGroup } from '../../../src/demo/processGroup';
import { compareWithLedger, formatComparison, queryByLabel, scalarQuery, type ComparisonRow } from '../../../src/topology/ledgerComparison';
import { startTopology, type Topology } from '../../../src/topology/startTopology';
import { runTraffic } from '../../../src/traffic/trafficGenerator';
import { ledgerTotals, TrafficLedger, type LedgerSnapshot } from '../../../src/traffic/trafficLedger';
import { buildShop } from '../../support/shopHarness';
import { selfMetrics, topologyBinaries } from '../../support/topologyHarness';

jest.setTimeout(240_000);

let buildDir = '';
let group: ProcessGroup;
let topology: Topology | undefined;
const log = (message: string): void => void process.stdout.write(`[topology] ${message}\n`);

beforeAll(() => {
  buildDir = buildShop('topology-test');
});

afterEach(async () => {
  await group?.stopAll();
  await topology?.cleanup();
  topology = undefined;
});

/**
 * Shop options of every replica: funnel state and active users on the shared Redis, read back every
 * second; a session idle for 4 s is abandoned (the generator's shoppers pause well under that).
 */
const sharedStateArgs = (redisUrl: string): string[] => ['--redis-url', redisUrl, '--redis-interval', '1000', '--funnel-timeout', '4'];

async function ledgerFile(name: string): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'bizmetrics-ledger-')), `${name}.json`);
}

/** Waits (bounded) until every row holds, then returns the rows; the caller asserts them. */
async function settledComparison(prometheusUrl: string, ledger: LedgerSnapshot): Promise<ComparisonRow[]> {
  let rows: ComparisonRow[] = [];
  await waitUntil(
    async () => {
      rows = await compareWithLedger(prometheusUrl, ledger, { withAbandonment: true });
      return rows.every((row) => row.ok);
    },
    { timeoutMs: 60_000, intervalMs: 1000, description: 'Prometheus to agree with the ledger' },
  ).catch(() => undefined); // the assertion below says what differs
  return rows;
}

describe('production topology: 3 replicas, haproxy, 2 agents, 2 gateways, Redis, Prometheus remote write', () => {
  it('agrees with the traffic ledger (exact totals, active users and abandonment within 2 %); the naive gateway pair double counts', async () => {
    group = new ProcessGroup();
    topology = await startTopology({ binaries: topologyBinaries(buildDir), group, naiveControl: true, shopArgs: sharedStateArgs, progress: log });

    const ledger = new TrafficLedger(20261203);
    await runTraffic({ baseUrl: topology.url, rate: 10, durationSeconds: 12, seed: 20261203, thinkScale: 0.05, ledger });
    await ledger.write(await ledgerFile('production'));
    const snapshot = ledger.toJSON();
    expect(snapshot.outcomes['network_error'] ?? 0).toBe(0);
    expect(snapshot.refusedIngestBatches).toBe(0);
    // The replicas keep running (and pushing every second) until idle sessions are swept as abandoned.
    const rows = await settledComparison(topology.prometheusUrl, snapshot);
    log(`ledger vs Prometheus (${snapshot.sessions} sessions):\n${formatComparison(rows)}`);
    expect(rows.filter((row) => !row.ok)).toEqual([]);

    // Every replica and both gateways carried data: load balancing spread the streams.
    const byInstance = await queryByLabel(topology.prometheusUrl, 'count by (instance) (business_funnel_step_total)', 'instance');
    expect(Object.keys(byInstance).sort()).toEqual(['replica-1', 'replica-2', 'replica-3']);
    const agents = await Promise.all(topology.agents.map((agent) => selfMetrics(agent.ports.selfMetrics)));
    const gateways = await Promise.all(topology.gateways.map((gateway) => selfMetrics(gateway.ports.selfMetrics)));
    const received = gateways.map((samples) => sampleSum(samples, 'otelcol_receiver_accepted_metric_points', { receiver: 'otlp' }));
    log(`points accepted by the gateways' load-balanced receivers: ${received.join(', ')}`);
    for (const points of received) expect(points).toBeGreaterThan(0);
    expect(agents.map((samples) => sampleSum(samples, 'otelcol_exporter_send_failed_metric_points', { exporter: 'loadbalancing/gateways' }))).toEqual([0, 0]);

    // Negative control 1: the same agents also send every point to both gateways (no load
    // balancing), whose Prometheus exporters a second Prometheus scrapes, as a naive HA pair would be.
    const totals = ledgerTotals(snapshot);
    const naiveUrl = topology.naivePrometheusUrl!;
    const naive = await waitUntil(
      async () => {
        const revenue = await scalarQuery(naiveUrl, 'sum(business_revenue_cents_total)');
        const cartViews = await scalarQuery(naiveUrl, 'sum(business_funnel_step_total{step="cart_view"})');
        return revenue === 2 * totals.revenueCents && cartViews === 2 * snapshot.steps.cart_view ? { revenue, cartViews } : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000, description: 'the naive pair to show every series twice' },
    );
    log(`naive gateway pair: revenue ${naive.revenue} vs ledger ${totals.revenueCents} (x${naive.revenue! / totals.revenueCents}), cart views ${naive.cartViews} vs ${snapshot.steps.cart_view}`);
    expect(naive.revenue).toBe(2 * totals.revenueCents);

    // Negative control 2: summing the replicas' active-user gauges counts a user once per replica.
    const summed = await queryByLabel(topology.prometheusUrl, 'sum by (user_tier) (business_active_users{window="daily"})', 'user_tier');
    for (const [tier, count] of Object.entries(totals.activeUsersByTier)) {
      log(`active users ${tier}: ledger ${count}, max over replicas ${rows.find((r) => r.name === `active users ${tier} (daily)`)?.prometheus}, naive sum ${summed[tier]}`);
      expect(summed[tier]!).toBeGreaterThan(count * 1.5);
    }
  });

  it('keeps exact end-of-run totals when a gateway is SIGKILLed mid-run and restarted; the agents count what they could not send', async () => {
    group = new ProcessGroup();
    // Agents give up on a batch after 2 s, so the 5 s outage loses points for certain.
    topology = await startTopology({ binaries: topologyBinaries(buildDir), group, shopArgs: sharedStateArgs, agentRetrySeconds: 2, progress: log });
    const running = topology;

    const ledger = new TrafficLedger(7);
    const traffic = runTraffic({ baseUrl: running.url, rate: 10, durationSeconds: 16, seed: 7, thinkScale: 0.05, ledger });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const killedAt = Date.now();
    await running.killGateway(0);
    log('gateway-1 killed with SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 5000));
    // While it is down, the agents' load-balancing exporter fails to deliver its share of the streams.
    const duringOutage = await Promise.all(running.agents.map((agent) => selfMetrics(agent.ports.selfMetrics)));
    await running.restartGateway(0);
    const downSeconds = (Date.now() - killedAt) / 1000;
    log(`gateway-1 restarted after ${downSeconds.toFixed(1)} s`);
    await traffic;
    await ledger.write(await ledgerFile('gateway-kill'));
    const snapshot = ledger.toJSON();

    const rows = await settledComparison(running.prometheusUrl, snapshot);
    log(`after a gateway SIGKILL (${snapshot.sessions} sessions):\n${formatComparison(rows)}`);
    expect(rows.filter((row) => !row.ok)).toEqual([]);

    // What the collectors' own metrics say about the outage: the agents' attempts at gateway-1 that
    // failed, and the points they gave up on (dropped: the later cumulative points carried the totals).
    const after = await Promise.all(running.agents.map((agent) => selfMetrics(agent.ports.selfMetrics)));
    const gatewayOne = `127.0.0.1:${running.gateways[0]!.ports.otlp}`;
    const failedAttempts = after.map((samples) => sampleSum(samples, 'otelcol_loadbalancer_backend_outcome', { endpoint: gatewayOne, success: 'false' }));
    const droppedPoints = after.map((samples) => sampleSum(samples, 'otelcol_exporter_send_failed_metric_points', { exporter: 'loadbalancing/gateways' }));
    const droppedDuring = duringOutage.map((samples) => sampleSum(samples, 'otelcol_exporter_send_failed_metric_points', { exporter: 'loadbalancing/gateways' }));
    const sent = after.map((samples) => sampleSum(samples, 'otelcol_exporter_sent_metric_points', { exporter: 'loadbalancing/gateways' }));
    log(
      `outage of ${downSeconds.toFixed(1)} s: agents' failed attempts at gateway-1 ${failedAttempts.join(', ')}; ` +
        `points dropped ${droppedPoints.join(', ')} (by the restart ${droppedDuring.join(', ')}) of ${sent.join(', ')} sent`,
    );
    expect(failedAttempts.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(droppedPoints.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
