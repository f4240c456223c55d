import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { buildShop } from '../support/shopHarness';
import { waitUntil } from '@bizmetrics/test-support';
import { processesOfRun, startDemo } from '../support/demoHarness';

let buildDir = '';

beforeAll(() => {
  buildDir = buildShop('demo-stack-test');
});

describe('the demo, stack path', () => {
  // Needs the collector (scripts/test.sh builds it and exports BIZMETRICS_OTELCOL) and prometheus on
  // PATH; without them the demo fails to start and so does this test.
  it('runs shop → OTLP → collector → Prometheus, prints the guide\'s PromQL KPIs and alerts, and stops all four processes', async () => {
    const runId = randomUUID();
    const demo = startDemo(buildDir, ['--stack', '--interval', '3'], runId);
    const ready =
      /stack: the guide's PromQL[^\n]*\n {2}conversion rate +\d+\.\d %[^\n]*\n {2}cart abandonment[^\n]*\n {2}abandoned sessions +(\d+\.\d % of cart views · )?\d+ sessions \(business_funnel_abandoned_total[^\n]*\n {2}revenue per minute +\$\d+\.\d\d total · [a-z_]+ \$/;
    let exitedEarly = false;
    void demo.exited.then(() => (exitedEarly = true));
    await waitUntil(() => ready.test(demo.output()) || exitedEarly, { timeoutMs: 45_000, description: 'the stack KPIs', diagnostics: demo.output });
    const output = demo.output();
    expect(output).toMatch(ready);
    expect(output).toMatch(/Prometheus +http:\/\/127\.0\.0\.1:\d+\/graph\?g0\.expr=sum\(rate\(business_funnel_step_total/);
    expect(output).toMatch(/alerts +ConversionRateDrop: \w+ · RevenueBelowBaseline: \w+ · HighCartAbandonment: \w+ · NewUserEngagementDrop: \w+/);
    const tempDir = /--config\.file=(\S+)\/prometheus\.yml/.exec(
      processesOfRun(runId)
        .map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' '))
        .join('\n'),
    )?.[1];
    expect(tempDir).toBeDefined();
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toMatch(/interrupted: stopping collector \(pid \d+\), prometheus \(pid \d+\), shop \(pid \d+\), traffic \(pid \d+\)/);
    expect(processesOfRun(runId)).toEqual([]);
    expect(existsSync(tempDir!)).toBe(false);
  }, 90_000);
});
