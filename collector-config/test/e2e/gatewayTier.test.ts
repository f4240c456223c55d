// The agent -> gateway tier with real collectors:
//   OTLP/HTTP (24 synthetic SDK processes, 72 cumulative streams)
//     --> agent (base + otelcol/profiles/agent.yaml: load-balancing exporter, static resolver)
//     --OTLP/gRPC + bearer token--> gateway A | gateway B
//         (base + gateway.yaml + remote-write.yaml + file.yaml)
//     --> one Prometheus 2.42 (remote-write receiver)   and   each gateway's own delta file.
// Every stream must land on exactly one gateway, both gateways must get some, the delta points
// that each gateway's cumulative_to_delta emits must add up to each stream's total (it saw
// every point), and Prometheus must hold each series once with the exact totals. A request to a
// gateway's OTLP receiver without the bearer token (or with a wrong one) is refused with 401, and
// an agent sending a wrong token over gRPC gets Unauthenticated.
import { join } from 'node:path';
import { scrapeExposition, startPrometheus, type RunningPrometheus, sleep, waitUntil } from '@bizmetrics/test-support';
import { startCollector, type CollectorProcess } from '../support/collectorProcess';
import { e2eWorkspace } from '../support/e2eWorkspace';
import { readOtlpJsonFile, type OtlpJsonPoint } from '../support/otlpJsonFile';
import { cumulativeExportRequest, postOtlpJson, type SyntheticStream } from '../support/otlpSender';

const token = 'gateway-test-token';
const steps = ['cart_view', 'checkout_start', 'order_confirmed'] as const;
const instances = Array.from({ length: 24 }, (_, i) => `checkout-${i + 1}`);
const streams: SyntheticStream[] = instances.flatMap((instance) =>
  steps.map((step) => ({ instance, metric: 'business_funnel_step', attributes: { step, source: 'google_ads', device_type: 'mobile' } })),
);
const rounds = 3;
// Cumulative value of a stream after `round` exports: distinct per stream, growing per round.
const valueAt = (stream: SyntheticStream, round: number): number =>
  round * (instances.indexOf(stream.instance) + 1) * (steps.indexOf(stream.attributes['step'] as (typeof steps)[number]) + 1);
const streamKey = (instance: string, step: string): string => `${instance}/${step}`;
const expectedTotals = Object.fromEntries(streams.map((stream) => [streamKey(stream.instance, stream.attributes['step'] ?? ''), valueAt(stream, rounds)]));
const expectedGrandTotal = Object.values(expectedTotals).reduce((a, b) => a + b, 0);

function deltaTotals(points: readonly OtlpJsonPoint[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const point of points) {
    if (point.metric !== 'business_funnel_step') continue;
    const key = streamKey(point.resource['service.instance.id'] ?? '', point.attributes['step'] ?? '');
    totals[key] = (totals[key] ?? 0) + point.value;
  }
  return totals;
}

describe('agent -> gateway tier (load-balancing exporter, bearer token)', () => {
  const { processes, workDir } = e2eWorkspace('gateway-tier');
  const files = { a: join(workDir, 'gateway-a.jsonl'), b: join(workDir, 'gateway-b.jsonl') };
  let prometheus: RunningPrometheus;
  let gateways: CollectorProcess[] = [];
  let agent: CollectorProcess;

  beforeAll(async () => {
    prometheus = await startPrometheus({ group: processes, workDir: join(workDir, 'prometheus'), remoteWriteReceiver: true, name: 'prometheus' });
    gateways = [];
    for (const [name, file] of Object.entries(files)) {
      gateways.push(
        await startCollector(processes, {
          name: `gateway-${name}`,
          workDir,
          configs: ['otelcol/base.yaml', 'otelcol/profiles/gateway.yaml', 'otelcol/profiles/remote-write.yaml', 'otelcol/profiles/file.yaml'],
          env: { BIZMETRICS_GATEWAY_TOKEN: token, BIZMETRICS_REMOTE_WRITE_ENDPOINT: prometheus.remoteWriteUrl, BIZMETRICS_FILE_PATH: file },
        }),
      );
    }
    agent = await startCollector(processes, {
      name: 'agent',
      workDir,
      configs: ['otelcol/base.yaml', 'otelcol/profiles/agent.yaml'],
      env: { BIZMETRICS_GATEWAY_TOKEN: token, BIZMETRICS_GATEWAY_ENDPOINTS: JSON.stringify(gateways.map((gateway) => gateway.otlpGrpcEndpoint)) },
    });

    // The streams start now, after the gateways: cumulative_to_delta (initial_value: auto) then
    // turns the first point into a delta instead of dropping it, so deltas add up to the totals.
    const startTimeMs = Date.now() - 1;
    for (let round = 1; round <= rounds; round += 1) {
      const response = await postOtlpJson(agent.otlpHttpUrl, cumulativeExportRequest(streams, (stream) => valueAt(stream, round), startTimeMs));
      if (response.status !== 200) throw new Error(`the agent refused export ${round}: HTTP ${response.status} ${response.text}\n${processes.logTails(20)}`);
      await sleep(1200);
    }
  });

  test('every stream lands on exactly one gateway, both gateways get some, and the deltas add up', async () => {
    const [pointsA, pointsB] = await waitUntil(
      () => {
        const a = readOtlpJsonFile(files.a);
        const b = readOtlpJsonFile(files.b);
        const merged = deltaTotals([...a, ...b]);
        return Object.keys(expectedTotals).every((key) => merged[key] === expectedTotals[key]) ? ([a, b] as const) : false;
      },
      {
        description: "the gateways' delta files to add up to every stream's total",
        timeoutMs: 60000,
        diagnostics: () => `${JSON.stringify(deltaTotals([...readOtlpJsonFile(files.a), ...readOtlpJsonFile(files.b)]))}\n${processes.logTails(15)}`,
      },
    );
    const totalsA = deltaTotals(pointsA);
    const totalsB = deltaTotals(pointsB);
    const onA = Object.keys(totalsA);
    const onB = Object.keys(totalsB);

    // Exactly one gateway per stream, and all of a process's streams on the same one (routing by resource).
    expect(onA.filter((key) => onB.includes(key))).toEqual([]);
    expect([...onA, ...onB].sort()).toEqual(Object.keys(expectedTotals).sort());
    const instancesOf = (points: readonly OtlpJsonPoint[]) => new Set(points.map((point) => point.resource['service.instance.id']));
    const instancesA = instancesOf(pointsA);
    const instancesB = instancesOf(pointsB);
    expect([...instancesA].filter((instance) => instancesB.has(instance))).toEqual([]);
    // Both gateways carry load.
    expect(instancesA.size).toBeGreaterThan(0);
    expect(instancesB.size).toBeGreaterThan(0);
    expect(instancesA.size + instancesB.size).toBe(instances.length);
    // Each gateway's cumulative_to_delta saw every point of its streams: per-stream deltas equal the totals.
    expect({ ...totalsA, ...totalsB }).toEqual(expectedTotals);
    // Several delta points per stream (one per export), not one lump.
    for (const points of [pointsA, pointsB]) {
      const perStream = deltaTotals(points.map((point) => ({ ...point, value: 1 })));
      for (const count of Object.values(perStream)) expect(count).toBeGreaterThanOrEqual(rounds);
    }
  });

  test('Prometheus (remote write from both gateways) holds each series once, with the exact totals', async () => {
    const [series] = await prometheus.waitFor('count(business_funnel_step_total)', (values) => values[0] === streams.length, 60000);
    expect(series).toBe(streams.length);
    const [total] = await prometheus.waitFor('sum(business_funnel_step_total)', (values) => values[0] === expectedGrandTotal, 60000);
    expect(total).toBe(expectedGrandTotal);
    // One target_info per process: its resource went to one gateway only.
    const [targets] = await prometheus.waitFor('count(target_info{job="shop/checkout"})', (values) => values[0] === instances.length, 60000);
    expect(targets).toBe(instances.length);
    const perInstance = await prometheus.query('sum by (instance) (business_funnel_step_total)');
    expect(perInstance).toHaveLength(instances.length);
  });

  test('the agent resolved both gateways', async () => {
    const text = await (await fetch(agent.selfMetricsUrl)).text();
    const backends = text.split('\n').find((line) => line.startsWith('otelcol_loadbalancer_num_backends'));
    expect(backends).toBeDefined();
    expect(Number(backends?.split(' ').pop())).toBe(2);
  });

  test("a gateway's OTLP receiver refuses a request without the bearer token (401) and accepts one with it", async () => {
    const gateway = gateways[0] as CollectorProcess;
    const body = cumulativeExportRequest([{ instance: 'probe', metric: 'business_auth_probe', attributes: {} }], () => 1, Date.now() - 1);
    const missing = await postOtlpJson(gateway.otlpHttpUrl, body);
    const wrong = await postOtlpJson(gateway.otlpHttpUrl, body, { authorization: 'Bearer not-the-token' });
    const right = await postOtlpJson(gateway.otlpHttpUrl, body, { authorization: `Bearer ${token}` });
    expect({ missing: missing.status, wrong: wrong.status, right: right.status }).toEqual({ missing: 401, wrong: 401, right: 200 });
    // Only the authenticated probe got through: Prometheus receives its series once.
    const [probes] = await prometheus.waitFor('count(business_auth_probe_total)', (values) => values[0] === 1, 60000);
    expect(probes).toBe(1);
  });

  test('an agent with a wrong token is refused over gRPC (Unauthenticated) and its points never arrive', async () => {
    const intruder = await startCollector(processes, {
      name: 'agent-wrong-token',
      workDir,
      configs: ['otelcol/base.yaml', 'otelcol/profiles/agent.yaml'],
      env: { BIZMETRICS_GATEWAY_TOKEN: 'not-the-token', BIZMETRICS_GATEWAY_ENDPOINTS: JSON.stringify(gateways.map((gateway) => gateway.otlpGrpcEndpoint)) },
    });
    const intruderStreams = ['intruder-1', 'intruder-2', 'intruder-3'].map((instance) => ({ instance, metric: 'business_intruder_probe', attributes: {} }));
    const accepted = await postOtlpJson(intruder.otlpHttpUrl, cumulativeExportRequest(intruderStreams, () => 1, Date.now() - 1));
    expect(accepted.status).toBe(200); // the agent itself takes it (loopback, no token there)
    // A permanent error: not retried, counted as failed by the load-balancing exporter itself.
    const failedPoints = async () =>
      (await scrapeExposition(intruder.selfMetricsUrl))
        .filter((sample) => sample.name.startsWith('otelcol_exporter_send_failed_metric_points') && sample.labels['exporter'] === 'loadbalancing/gateways')
        .reduce((sum, sample) => sum + sample.value, 0);
    const failed = await waitUntil(async () => ((await failedPoints()) >= intruderStreams.length ? failedPoints() : false), {
      description: "the wrong-token agent's failed points",
      timeoutMs: 60000,
      diagnostics: () => intruder.process.logTail(),
    });
    expect(failed).toBe(intruderStreams.length);
    expect(intruder.process.logTail(200)).toMatch(/Unauthenticated.*provided authorization does not match expected scheme or token/);
    expect(await prometheus.query('business_intruder_probe_total')).toEqual([]);
  });
});
