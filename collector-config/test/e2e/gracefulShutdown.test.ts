// Graceful shutdown flushes the last data: the app records, then gets SIGTERM at once. Its export
// interval is 60 s, so nothing has been pushed before; only runtime.shutdown()'s final export can
// deliver, and the collector's scrape endpoint and a Prometheus scraping it must show the values.
import { startBusinessApp, type BusinessApp } from '../support/businessAppProcess';
import type { BusinessEvent } from '../support/businessEvents';
import { startCollector, type CollectorProcess } from '../support/collectorProcess';
import { type RunningPrometheus, sampleSum, scrapeExposition, startPrometheus, waitUntil } from '@bizmetrics/test-support';
import { e2eWorkspace } from '../support/e2eWorkspace';

const lastEvents: BusinessEvent[] = [
  { kind: 'revenue', cents: 4999, productCategory: 'books', paymentMethod: 'card', region: 'eu_west' },
  { kind: 'revenue', cents: 12500, productCategory: 'electronics', paymentMethod: 'paypal', region: 'us_east' },
  { kind: 'funnelStep', step: 'order_confirmed', source: 'organic', deviceType: 'desktop' },
  { kind: 'sessionEnd', seconds: 95, userTier: 'pro', entryPage: '/' },
  { kind: 'activeUsers', window: 'daily', counts: { pro: 17 } },
];

describe('graceful shutdown of the app', () => {
  const { processes, workDir } = e2eWorkspace('shutdown');
  let collector: CollectorProcess;
  let app: BusinessApp;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    collector = await startCollector(processes, { name: 'agent', workDir, configs: ['otelcol/base.yaml'] });
    prometheus = await startPrometheus({
      group: processes,
      name: 'collector-scrape',
      workDir,
      targets: [{ job: 'bizmetrics-collector', target: collector.prometheusTarget, honorLabels: true }],
    });
    app = await startBusinessApp(processes, { name: 'shutdown', workDir, otlpUrl: `${collector.otlpHttpUrl}/v1/metrics`, exportIntervalMillis: 60000 });
  });

  test('SIGTERM right after recording delivers the last values through the collector', async () => {
    await app.record(lastEvents);
    // Nothing has been pushed yet (60 s interval): the collector has no business series.
    const before = await scrapeExposition(collector.prometheusUrl);
    expect(before.filter((sample) => sample.name.startsWith('business_'))).toEqual([]);

    const exit = await app.process.stop('SIGTERM', 20000);
    expect(exit).toEqual({ code: 0, signal: null });

    const after = await waitUntil(
      async () => {
        const samples = await scrapeExposition(collector.prometheusUrl);
        return sampleSum(samples, 'business_revenue_cents_total') > 0 ? samples : false;
      },
      { description: 'the collector to serve the flushed values', timeoutMs: 15000, diagnostics: () => processes.logTails(10) },
    );
    expect(sampleSum(after, 'business_revenue_cents_total', { region: 'eu_west' })).toBe(4999);
    expect(sampleSum(after, 'business_revenue_cents_total', { region: 'us_east' })).toBe(12500);
    expect(sampleSum(after, 'business_funnel_step_total', { step: 'order_confirmed' })).toBe(1);
    expect(sampleSum(after, 'business_session_duration_seconds_count', { user_tier: 'pro' })).toBe(1);
    expect(sampleSum(after, 'business_session_duration_seconds_bucket', { user_tier: 'pro', le: '60' })).toBe(0);
    expect(sampleSum(after, 'business_session_duration_seconds_bucket', { user_tier: 'pro', le: '120' })).toBe(1);
    expect(sampleSum(after, 'business_active_users', { window: 'daily', user_tier: 'pro' })).toBe(17);

    // And Prometheus stores them, under the guide's names.
    await waitUntil(async () => (await prometheus.query('sum(business_revenue_cents_total)'))[0]?.value === 4999 + 12500, {
      description: 'Prometheus to store the flushed revenue',
      timeoutMs: 15000,
      diagnostics: () => processes.logTails(10),
    });
    expect((await prometheus.query('sum(business_active_users{window="daily"})'))[0]?.value).toBe(17);
  });
});
