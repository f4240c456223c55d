// `promtool check metrics` (Prometheus' own linter) on everything @bizmetrics/core exposes.
import { setupBusinessMetrics } from '../../src/index';
import { findFreePort, promtoolBinary, runCommand, waitUntil } from '@bizmetrics/test-support';
import { startHttpServer } from '../support/startHttpServer';

const promtool = promtoolBinary();

describe('promtool check metrics', () => {
  it('finds nothing to report in a scrape that has every instrument and self-metric', async () => {
    const deadPort = await findFreePort();
    const bm = setupBusinessMetrics({
      serviceName: 'shop',
      serviceVersion: '1.0.0',
      environment: 'production',
      cardinalityLimit: 2,
      // A push that fails, so the export-failure self-metrics are in the scrape too.
      otlp: { url: `http://127.0.0.1:${deadPort}/v1/metrics`, exportIntervalMillis: 3_600_000, exportTimeoutMillis: 500 },
    });
    const start = new Date(Date.now() - 200_000);
    for (const step of ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed']) {
      bm.service.recordFunnelStep(step, { source: 'google_ads', deviceType: 'mobile' });
    }
    bm.service.recordConversion('purchase', { source: 'google_ads', deviceType: 'mobile', sessionStartTime: start });
    bm.service.recordRevenue(4999, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
    bm.metrics.set('business_revenue_per_minute_cents', 812.5, { region: 'eu' });
    bm.service.recordFeatureUsage('dashboard_export', { userTier: 'pro', isNewUser: true });
    bm.service.recordSessionEnd(start, { userTier: 'pro', entryPage: '/dashboard' });
    bm.service.updateActiveUsers('daily', new Map([['pro', 12]]));
    bm.service.recordRevenue(-1, { productCategory: 'books', paymentMethod: 'card', region: 'eu' }); // a refusal
    // Label values that need escaping, and the overflow series.
    bm.metrics.count('business_conversions', { conversion_type: 'quote " and \\ backslash', source: 'a' });
    bm.metrics.count('business_conversions', { conversion_type: 'signup', source: 'b' });
    bm.metrics.count('business_conversions', { conversion_type: 'trial', source: 'c' });
    await bm.forceFlush();
    await waitUntil(() => bm.exportFailures.failedExports > 0, { timeoutMs: 10_000, description: 'a failed push' });

    // A real scrape: the handler mounted in a node:http server, read over HTTP.
    const handler = bm.prometheus?.handler;
    if (handler === undefined) throw new Error('no scrape handler');
    const app = await startHttpServer(handler);
    const exposition = await (await fetch(`${app.url}/metrics`)).text();
    await app.close();
    for (const name of [
      'business_funnel_step_total',
      'business_conversions_total',
      'business_time_to_conversion_seconds_bucket',
      'business_revenue_cents_total',
      'business_order_value_cents_bucket',
      'business_revenue_per_minute_cents',
      'business_feature_usage_total',
      'business_session_duration_seconds_bucket',
      'business_active_users',
      'bizmetrics_refused_values_total',
      'bizmetrics_export_failures_total',
      'bizmetrics_export_failed_data_points_total',
      'target_info',
    ]) {
      expect(exposition).toContain(`\n${name}{`);
    }
    expect(exposition).toContain('business_conversions_total{otel_metric_overflow="true"');

    const result = await runCommand(promtool, ['check', 'metrics'], exposition);
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    await bm.shutdown();
  });

  it('would report a problem (the check is live): a counter without _total', async () => {
    const result = await runCommand(promtool, ['check', 'metrics'], '# HELP orders Orders\n# TYPE orders counter\norders 1\n');
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/counter metrics should have "_total" suffix/);
  });
});
