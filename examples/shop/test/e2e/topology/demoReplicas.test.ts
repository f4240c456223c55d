// `demo --stack --replicas 3`: the production shape on one machine (haproxy, 3 replicas, Redis, 2 agents,
// 2 gateways, Prometheus), KPIs from Prometheus next to the traffic ledger, and nothing left behind.
import { randomUUID } from 'node:crypto';
import { waitUntil } from '@bizmetrics/test-support';
import { processesOfRun, startDemo } from '../../support/demoHarness';
import { buildShop } from '../../support/shopHarness';

jest.setTimeout(200_000);

let buildDir = '';
beforeAll(() => {
  buildDir = buildShop('demo-replicas-test');
});

const topologyProcesses = /stopping redis \(pid \d+\), prometheus \(pid \d+\), gateway-1 \(pid \d+\), gateway-2 \(pid \d+\), agent-1 \(pid \d+\), agent-2 \(pid \d+\), shop-1 \(pid \d+\), shop-2 \(pid \d+\), shop-3 \(pid \d+\), haproxy \(pid \d+\)/;

describe('the demo with replicas (--stack --replicas 3)', () => {
  it('prints the KPIs from Prometheus with the ledger beside them; the totals agree; it stops every process after --duration', async () => {
    const runId = randomUUID();
    const demo = startDemo(buildDir, ['--stack', '--replicas', '3', '--duration', '20', '--funnel-timeout', '4', '--interval', '10'], runId);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([demo.exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 180_000)))]);
    clearTimeout(timer);
    if (code === 'timeout') demo.child.kill('SIGINT');
    const output = demo.output();
    expect({ code, tail: output.slice(-3000) }).toMatchObject({ code: 0 });
    expect(output).toMatch(/haproxy ready \(pid \d+\) on http:\/\/127\.0\.0\.1:\d+: round robin over 3 replicas, no stickiness/);
    // The last summary is taken after the traffic ended and idle sessions were swept.
    const last = output.slice(output.lastIndexOf('── KPIs at'));
    const totals = /ledger totals vs Prometheus: (\d+)\/(\d+) agree/.exec(last);
    expect(totals).not.toBeNull();
    expect(Number(totals![1])).toBe(Number(totals![2]));
    expect(Number(totals![2])).toBeGreaterThan(20);
    expect(last).toMatch(/conversion rate %\s+ledger\s+\d+\.\d\d\s+Prometheus\s+\d+\.\d\d\s+window not full/);
    expect(last).toMatch(/median order value \w+\s+ledger\s+\d+\.\d\d\s+Prometheus\s+\d+\.\d\d\s+window not full/);
    expect(output).toMatch(topologyProcesses);
    expect(output).toMatch(/stopped; no process left behind/);
    expect(processesOfRun(runId)).toEqual([]);
  });

  it('leaves no process behind on Ctrl-C', async () => {
    const runId = randomUUID();
    const demo = startDemo(buildDir, ['--stack', '--replicas', '3', '--interval', '3'], runId);
    let exitedEarly = false;
    void demo.exited.then(() => (exitedEarly = true));
    await waitUntil(() => /ledger totals vs Prometheus: \d+\/\d+ agree/.test(demo.output()) || exitedEarly, {
      timeoutMs: 120_000,
      intervalMs: 500,
      description: 'the first KPI block with the ledger',
      diagnostics: demo.output,
    });
    expect(exitedEarly).toBe(false);
    expect(processesOfRun(runId).length).toBeGreaterThanOrEqual(11); // 10 services + the traffic generator (+ the demo)
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toMatch(/interrupted: /);
    expect(demo.output()).toMatch(topologyProcesses);
    expect(processesOfRun(runId)).toEqual([]);
  });
});
