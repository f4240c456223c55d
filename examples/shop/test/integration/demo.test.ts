import { randomUUID } from 'node:crypto';
import { buildShop } from '../support/shopHarness';
import { waitUntil } from '@bizmetrics/test-support';
import { processesOfRun, startDemo } from '../support/demoHarness';

let buildDir = '';

beforeAll(() => {
  buildDir = buildShop('demo-test');
});

describe('the demo, embedded path', () => {
  it('prints the guide\'s KPIs from the scrape and exits by itself after --duration, leaving no process behind', async () => {
    const runId = randomUUID();
    // A 2 s funnel timeout: shoppers the traffic leaves show up as abandoned sessions within the run.
    const demo = startDemo(buildDir, ['--duration', '8', '--funnel-timeout', '2'], runId);
    const code = await demo.exited;
    const output = demo.output();
    expect(code).toBe(0);
    expect(output).toContain('embedded path');
    expect(output).toMatch(/\/metrics +http:\/\/127\.0\.0\.1:\d+\/metrics/);
    // At least one summary with numbers in every KPI (8 shoppers/s for 8 s reach checkout).
    expect(output).toMatch(/conversion rate +\d+\.\d %/);
    expect(output).toMatch(/cart abandonment +\d+\.\d % +\(1 − order_confirmed \/ cart_view\)/);
    expect(output).toMatch(/abandoned sessions +\d+\.\d % of cart views · [1-9]\d* sessions \(business_funnel_abandoned_total/);
    expect(output).toMatch(/revenue per minute +\$\d+\.\d\d total · [a-z_]+ \$\d+\.\d\d/);
    expect(output).toMatch(/average order value +\$\d+\.\d\d mean · median by category: [a-z]+ \$\d+\.\d\d/);
    expect(output).toMatch(/checkout errors +\d+\.\d per minute/);
    expect(output).toMatch(/8 s elapsed: stopping shop \(pid \d+\), traffic \(pid \d+\)/);
    expect(processesOfRun(runId)).toEqual([]);
  });

  it('stops everything it started on SIGINT', async () => {
    const runId = randomUUID();
    const demo = startDemo(buildDir, [], runId);
    // Wait for the first summary: the shop and the traffic generator are running then.
    await waitUntil(() => demo.output().includes('── KPIs'), { timeoutMs: 20_000, description: 'the first KPI summary', diagnostics: demo.output });
    expect(demo.output()).toContain('── KPIs');
    const children = processesOfRun(runId).filter((pid) => pid !== demo.child.pid);
    expect(children.length).toBeGreaterThanOrEqual(2); // shop + traffic
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toMatch(/interrupted: stopping shop \(pid \d+\), traffic \(pid \d+\)/);
    expect(processesOfRun(runId)).toEqual([]);
  });

  it('leaves no shop or traffic generator behind even when the demo itself is SIGKILLed', async () => {
    const runId = randomUUID();
    const demo = startDemo(buildDir, [], runId);
    await waitUntil(() => demo.output().includes('── KPIs'), { timeoutMs: 20_000, description: 'the first KPI summary', diagnostics: demo.output });
    expect(demo.output()).toContain('── KPIs');
    demo.child.kill('SIGKILL');
    await demo.exited;
    // No cleanup code ran: the children notice their closed stdin lifeline and stop themselves.
    await waitUntil(() => processesOfRun(runId).length === 0, {
      timeoutMs: 10_000,
      description: 'the children to stop themselves',
      diagnostics: () => `still running: ${processesOfRun(runId).join(', ')}`,
    });
    expect(processesOfRun(runId)).toEqual([]);
  });
});
