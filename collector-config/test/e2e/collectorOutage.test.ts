// The collector goes away for 30 s while the app keeps recording (every 100 ms):
// - the app keeps serving, and its heap (after a full gc) does not grow with the outage;
// - once the collector is back, Prometheus shows exactly what was recorded (the SDK keeps
//   cumulative state, so the next push carries everything, no counter reset);
// - the pushes that failed meanwhile are reported on the app's /metrics
//   (bizmetrics_export_failures_total), not silently lost.
import { startBusinessApp, type BusinessApp } from '../support/businessAppProcess';
import { startCollector, type CollectorProcess } from '../support/collectorProcess';
import { type RunningPrometheus, sampleSum, scrapeExposition, sleep, startPrometheus, waitUntil } from '@bizmetrics/test-support';
import { e2eWorkspace } from '../support/e2eWorkspace';

const outageMs = 30000;
const maxHeapGrowthBytes = 20 * 1024 * 1024;

describe('collector outage', () => {
  const { processes, workDir } = e2eWorkspace('outage');
  let collector: CollectorProcess;
  let app: BusinessApp;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    collector = await startCollector(processes, { name: 'agent', workDir, configs: ['otelcol/base.yaml'] });
    app = await startBusinessApp(processes, { name: 'outage', workDir, otlpUrl: `${collector.otlpHttpUrl}/v1/metrics`, exportIntervalMillis: 1000 });
    prometheus = await startPrometheus({
      group: processes,
      name: 'collector-scrape',
      workDir,
      targets: [{ job: 'bizmetrics-collector', target: collector.prometheusTarget, honorLabels: true }],
    });
  });

  test('the app keeps serving with bounded memory, and nothing recorded is lost or unreported', async () => {
    const revenueInPrometheus = async () => (await prometheus.query('sum(business_revenue_cents_total)'))[0]?.value;
    await app.startLoop(100);
    await waitUntil(async () => ((await revenueInPrometheus()) ?? 0) > 0, {
      description: 'the loop to reach Prometheus through the collector',
      diagnostics: () => processes.logTails(10),
    });
    const heapBefore = (await app.memoryAfterGc()).heapUsed;
    const failuresBefore = await app.exportFailures();

    await collector.stop();
    const outageEnd = Date.now() + outageMs;
    let answered = 0;
    const unanswered: string[] = [];
    while (Date.now() < outageEnd) {
      for (const path of ['/healthz', '/metrics']) {
        try {
          const response = await fetch(`${app.url}${path}`, { signal: AbortSignal.timeout(5000) });
          await response.arrayBuffer();
          if (response.ok) answered += 1;
          else unanswered.push(`${path}: HTTP ${response.status}`);
        } catch (error) {
          unanswered.push(`${path}: ${(error as Error).message}`);
        }
      }
      await sleep(1000);
    }
    const heapAfter = (await app.memoryAfterGc()).heapUsed;
    const failuresDuringOutage = await app.exportFailures();
    await collector.restart();
    await sleep(2000);
    const ticks = await app.stopLoop();

    // The app served throughout.
    expect(unanswered).toEqual([]);
    expect(answered).toBeGreaterThanOrEqual(40);
    // It did not buffer the outage in memory.
    expect(heapAfter - heapBefore).toBeLessThan(maxHeapGrowthBytes);

    // Everything recorded (its own /metrics and Prometheus through the restarted collector agree).
    const own = await scrapeExposition(`${app.url}/metrics`);
    expect(sampleSum(own, 'business_revenue_cents_total')).toBe(ticks * 100);
    expect(sampleSum(own, 'business_funnel_step_total')).toBe(ticks);
    await waitUntil(async () => (await revenueInPrometheus()) === ticks * 100, {
      description: `Prometheus to show ${ticks * 100} cents (${ticks} loop ticks) after the collector returned`,
      timeoutMs: 30000,
      diagnostics: () => `Prometheus shows ${String(revenueInPrometheus())}\n${processes.logTails(10)}`,
    });
    expect((await prometheus.query('sum(business_funnel_step_total)'))[0]?.value).toBe(ticks);
    // Prometheus did see the collector go down, and the counter never went backwards.
    expect((await prometheus.query('min_over_time(up{job="bizmetrics-collector"}[10m])'))[0]?.value).toBe(0);
    expect((await prometheus.query('sum(resets(business_revenue_cents_total[10m]))'))[0]?.value).toBe(0);

    // The failed pushes are reported, on the app's own /metrics and in the SDK's tally.
    expect(failuresBefore.failedExports).toBe(0);
    expect(failuresDuringOutage.failedExports).toBeGreaterThanOrEqual(10);
    expect(sampleSum(own, 'bizmetrics_export_failures_total', { exporter: 'otlp' })).toBeGreaterThanOrEqual(failuresDuringOutage.failedExports);
    expect(sampleSum(own, 'bizmetrics_export_failed_data_points_total', { exporter: 'otlp' })).toBeGreaterThanOrEqual(
      failuresDuringOutage.failedDataPoints,
    );
    expect(failuresDuringOutage.failedDataPoints).toBeGreaterThan(failuresDuringOutage.failedExports);
  });
});
