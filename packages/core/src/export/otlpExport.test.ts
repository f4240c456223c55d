import { diag, DiagLogLevel } from '@opentelemetry/api';
import { setupBusinessMetrics, type BusinessMetricsOptions } from '../index';
import { findFreePort, parseExposition, sampleValue, waitUntil } from '@bizmetrics/test-support';
import {
  otlpAttributes,
  otlpMetrics,
  otlpPointValue,
  otlpResourceAttributes,
  otlpTemporality,
  startOtlpHttpReceiver,
  type OtlpHttpReceiver,
  type OtlpMetricsRequest,
} from '../../test/support/startOtlpHttpReceiver';

let receiver: OtlpHttpReceiver;
beforeEach(async () => {
  receiver = await startOtlpHttpReceiver();
});
afterEach(async () => {
  diag.disable();
  await receiver.close();
});

const funnel = { source: 'google_ads', deviceType: 'mobile' };

function setupWithOtlp(otlp: BusinessMetricsOptions['otlp'], extra: BusinessMetricsOptions = {}) {
  return setupBusinessMetrics({ serviceName: 'shop', serviceVersion: '2.0.0', environment: 'production', prometheus: false, otlp, ...extra });
}

/** Value of the cart_view funnel series in one export. */
function cartViews(body: OtlpMetricsRequest): number | undefined {
  const [metric] = otlpMetrics(body, 'business_funnel_step');
  const point = metric?.sum?.dataPoints.find((p) => otlpAttributes(p.attributes)['step'] === 'cart_view');
  return point === undefined ? undefined : otlpPointValue(point);
}

describe('setupBusinessMetrics: OTLP/HTTP push', () => {
  it('pushes JSON with the resource, headers, values and histograms', async () => {
    const bm = setupWithOtlp({ url: receiver.metricsUrl, headers: { 'x-api-key': 'k-123' }, exportIntervalMillis: 3_600_000 });
    bm.service.recordFunnelStep('cart_view', funnel);
    bm.service.recordFunnelStep('cart_view', funnel);
    bm.service.recordRevenue(2600, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
    await bm.forceFlush();
    await bm.shutdown();

    expect(receiver.rejected).toEqual([]);
    const first = receiver.received[0];
    if (first === undefined) throw new Error('nothing received');
    expect(first.path).toBe('/v1/metrics');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers['x-api-key']).toBe('k-123');
    expect(otlpResourceAttributes(first.body)).toMatchObject({
      'service.name': 'shop',
      'service.version': '2.0.0',
      'deployment.environment.name': 'production',
      'telemetry.sdk.language': 'nodejs',
    });
    expect(first.body.resourceMetrics[0]?.scopeMetrics[0]?.scope?.name).toBe('bizmetrics');
    const [funnelMetric] = otlpMetrics(first.body, 'business_funnel_step');
    expect(funnelMetric?.sum?.isMonotonic).toBe(true);
    expect(funnelMetric?.sum?.aggregationTemporality).toBe(otlpTemporality.CUMULATIVE);
    expect(cartViews(first.body)).toBe(2);
    expect(otlpAttributes(funnelMetric?.sum?.dataPoints[0]?.attributes)).toEqual({
      step: 'cart_view',
      source: 'google_ads',
      device_type: 'mobile',
      experiment_variant: 'control',
    });
    const [revenue] = otlpMetrics(first.body, 'business_revenue_cents');
    expect(otlpPointValue(revenue?.sum?.dataPoints[0] ?? {})).toBe(2600);
    expect(revenue?.unit).toBe('{cent}');
    const [gauge] = otlpMetrics(first.body, 'business_revenue_per_minute_cents');
    // Computed in the process from the last 60 s of recordRevenue: the one sale above.
    expect(otlpPointValue(gauge?.gauge?.dataPoints[0] ?? {})).toBe(2600);
    const [orderValue] = otlpMetrics(first.body, 'business_order_value_cents');
    const histogramPoint = orderValue?.histogram?.dataPoints[0];
    expect(histogramPoint?.explicitBounds).toEqual([500, 1000, 2500, 5000, 10000, 25000, 50000]);
    expect(histogramPoint?.bucketCounts?.map(Number)).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    expect(Number(histogramPoint?.count)).toBe(1);
    expect(histogramPoint?.sum).toBe(2600);
  });

  it.each([
    ['cumulative', otlpTemporality.CUMULATIVE, [3, 5]],
    ['delta', otlpTemporality.DELTA, [3, 2]],
  ] as const)('exports %s sums when asked', async (temporality, expected, values) => {
    const bm = setupWithOtlp({ url: receiver.metricsUrl, temporality, exportIntervalMillis: 3_600_000 });
    for (let i = 0; i < 3; i++) bm.service.recordFunnelStep('cart_view', funnel);
    bm.metrics.observe('business_session_duration_seconds', 45, { user_tier: 'pro', entry_page: '/' });
    await bm.forceFlush();
    for (let i = 0; i < 2; i++) bm.service.recordFunnelStep('cart_view', funnel);
    bm.metrics.observe('business_session_duration_seconds', 45, { user_tier: 'pro', entry_page: '/' });
    await bm.forceFlush();
    await bm.shutdown();

    const [first, second] = receiver.received;
    if (first === undefined || second === undefined) throw new Error(`expected two exports, got ${receiver.received.length}`);
    expect(otlpMetrics(first.body, 'business_funnel_step')[0]?.sum?.aggregationTemporality).toBe(expected);
    expect(otlpMetrics(second.body, 'business_funnel_step')[0]?.sum?.aggregationTemporality).toBe(expected);
    expect([cartViews(first.body), cartViews(second.body)]).toEqual(values);
    const histogram = (body: OtlpMetricsRequest) => otlpMetrics(body, 'business_session_duration_seconds')[0]?.histogram;
    expect(histogram(second.body)?.aggregationTemporality).toBe(expected);
    expect(Number(histogram(second.body)?.dataPoints[0]?.count)).toBe(temporality === 'delta' ? 1 : 2);
  });

  it('pushes on its own every exportIntervalMillis', async () => {
    const bm = setupWithOtlp({ url: receiver.metricsUrl, exportIntervalMillis: 200 });
    bm.service.recordFunnelStep('cart_view', funnel);
    try {
      await waitUntil(() => receiver.received.length >= 2, { timeoutMs: 10_000, description: 'two periodic exports' });
      expect(cartViews(receiver.received[0]?.body as OtlpMetricsRequest)).toBe(1);
    } finally {
      await bm.shutdown();
    }
  });

  it('flushes the last data on shutdown', async () => {
    const bm = setupWithOtlp({ url: receiver.metricsUrl, exportIntervalMillis: 3_600_000 });
    bm.service.recordFunnelStep('cart_view', funnel);
    bm.service.recordFunnelStep('cart_view', funnel);
    expect(receiver.received).toHaveLength(0);
    await bm.shutdown();
    expect(receiver.received).toHaveLength(1);
    expect(cartViews(receiver.received[0]?.body as OtlpMetricsRequest)).toBe(2);
  });

  it('counts failed pushes to a dead collector in bizmetrics_export_failures_total, logs once, never throws', async () => {
    const warn = jest.fn();
    diag.setLogger({ error: jest.fn(), warn, info: jest.fn(), debug: jest.fn(), verbose: jest.fn() }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    const deadPort = await findFreePort(); // nothing listens there
    const bm = setupBusinessMetrics({
      serviceName: 'shop',
      otlp: { url: `http://127.0.0.1:${deadPort}/v1/metrics`, exportIntervalMillis: 3_600_000, exportTimeoutMillis: 1000 },
    });
    bm.service.recordFunnelStep('cart_view', funnel);
    await expect(bm.forceFlush()).resolves.toBeUndefined();
    await waitUntil(() => bm.exportFailures.failedExports >= 1, { timeoutMs: 10_000, description: 'a counted export failure' });
    await expect(bm.forceFlush()).resolves.toBeUndefined();
    await waitUntil(() => bm.exportFailures.failedExports >= 2, { timeoutMs: 10_000, description: 'a second counted export failure' });

    const samples = parseExposition(await bm.getMetrics());
    expect(sampleValue(samples, 'bizmetrics_export_failures_total', { exporter: 'otlp' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(samples, 'bizmetrics_export_failed_data_points_total', { exporter: 'otlp' })).toBeGreaterThanOrEqual(2);
    const ours = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.startsWith('bizmetrics'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/otlp export failed/);
    // The last push at shutdown fails too: reported, not thrown.
    await expect(bm.shutdown()).resolves.toMatchObject({ completed: false, unflushedDataPoints: expect.any(Number) });
  });

  it('counts pushes the backend refuses (HTTP 400) as failures too', async () => {
    receiver.status = 400;
    const bm = setupWithOtlp({ url: receiver.metricsUrl, exportIntervalMillis: 3_600_000 });
    bm.service.recordFunnelStep('cart_view', funnel);
    await bm.forceFlush();
    await waitUntil(() => bm.exportFailures.failedExports >= 1, { timeoutMs: 10_000, description: 'a counted export failure' });
    expect(bm.exportFailures.failedDataPoints).toBeGreaterThan(0);
    await bm.shutdown();
  });
});
