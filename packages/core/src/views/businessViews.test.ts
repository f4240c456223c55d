import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type HistogramMetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { businessCatalog, businessViews, sdkCardinalityLimit, setupBusinessMetrics, type MetricDefinition } from '../index';

function userProvider(views?: ReturnType<typeof businessViews>) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ ...(views ? { views } : {}), readers: [reader] });
  return { provider, exporter };
}

async function collectOnce(provider: MeterProvider, exporter: InMemoryMetricExporter): Promise<ResourceMetrics> {
  await provider.forceFlush();
  const batches = exporter.getMetrics();
  const last = batches[batches.length - 1];
  if (last === undefined) throw new Error('nothing exported');
  return last;
}

function histogram(metrics: ResourceMetrics, name: string): HistogramMetricData {
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) if (metric.descriptor.name === name) return metric as HistogramMetricData;
  }
  throw new Error(`no metric ${name}`);
}

describe('businessViews', () => {
  it('makes one view per catalog histogram with its exact boundaries (and one per instrument for the cardinality limit)', () => {
    const views = businessViews().filter((v) => v.aggregation !== undefined);
    expect(views.map((v) => v.instrumentName)).toEqual([
      'business_time_to_conversion_seconds',
      'business_order_value_cents',
      'business_session_duration_seconds',
    ]);
    expect(businessViews().map((v) => v.instrumentName)).toEqual(businessCatalog.map((d) => d.name));
    expect(new Set(businessViews(businessCatalog, 50).map((v) => v.aggregationCardinalityLimit))).toEqual(new Set([sdkCardinalityLimit(50)]));
    for (const view of views) {
      const definition = businessCatalog.find((d) => d.name === view.instrumentName) as MetricDefinition;
      expect(view.aggregation).toEqual({ type: expect.anything(), options: { boundaries: definition.buckets } });
    }
  });

  it('copies the boundaries, so a provider cannot change the catalog', () => {
    const [view] = businessViews().filter((v) => v.aggregation !== undefined);
    (view?.aggregation as { options: { boundaries: number[] } }).options.boundaries.push(99999);
    expect(businessCatalog[2].buckets).toEqual([30, 60, 120, 300, 600, 1800, 3600]);
  });

  it('gives histograms the user records on their own MeterProvider the guide buckets in one call', async () => {
    const { provider, exporter } = userProvider(businessViews());
    // A plain OpenTelemetry histogram with no advice: only the view can give it these buckets.
    const meter = provider.getMeter('user-app');
    meter.createHistogram('business_order_value_cents').record(4999, { product_category: 'books' });
    meter.createHistogram('business_session_duration_seconds').record(45, { user_tier: 'pro', entry_page: '/' });
    meter.createHistogram('business_time_to_conversion_seconds').record(700, { conversion_type: 'purchase' });
    const metrics = await collectOnce(provider, exporter);

    const orderValue = histogram(metrics, 'business_order_value_cents');
    expect(orderValue.dataPointType).toBe(DataPointType.HISTOGRAM);
    const point = orderValue.dataPoints[0];
    expect(point?.value.buckets.boundaries).toEqual([500, 1000, 2500, 5000, 10000, 25000, 50000]);
    // 4999 falls in (2500, 5000].
    expect(point?.value.buckets.counts).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    expect(histogram(metrics, 'business_session_duration_seconds').dataPoints[0]?.value.buckets.boundaries).toEqual([
      10, 30, 60, 120, 300, 600, 1800, 3600,
    ]);
    expect(histogram(metrics, 'business_time_to_conversion_seconds').dataPoints[0]?.value.buckets.counts).toEqual([
      0, 0, 0, 0, 0, 1, 0, 0,
    ]);
    await provider.shutdown();
  });

  it('is what makes the difference: without it the SDK default buckets apply', async () => {
    const { provider, exporter } = userProvider();
    provider.getMeter('user-app').createHistogram('business_order_value_cents').record(4999);
    const metrics = await collectOnce(provider, exporter);
    expect(histogram(metrics, 'business_order_value_cents').dataPoints[0]?.value.buckets.boundaries).not.toEqual([
      500, 1000, 2500, 5000, 10000, 25000, 50000,
    ]);
    await provider.shutdown();
  });

  it('takes a custom catalog', () => {
    const custom: MetricDefinition[] = [
      { name: 'checkout_latency_seconds', kind: 'histogram', unit: 's', description: 'd', owner: 'o', labels: [], buckets: [0.1, 1] },
      { name: 'orders', kind: 'counter', unit: '{order}', description: 'd', owner: 'o', labels: [] },
    ];
    expect(businessViews(custom).map((v) => [v.instrumentName, v.aggregation])).toEqual([
      ['checkout_latency_seconds', { type: expect.anything(), options: { boundaries: [0.1, 1] } }],
      ['orders', undefined],
    ]);
  });
});

describe('attach mode (setupBusinessMetrics({ meterProvider }))', () => {
  it('records the guarded instruments on the user provider, with the user resource and the views', async () => {
    const { provider, exporter } = userProvider(businessViews());
    const bm = setupBusinessMetrics({ meterProvider: provider });
    expect(bm.prometheus).toBeUndefined();
    expect(bm.meterProvider).toBe(provider);
    bm.service.recordRevenue(2600, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
    bm.metrics.count('business_conversions', { conversion_type: 'purchase', source: 'direct', device_type: 'mobile' });
    const metrics = await collectOnce(provider, exporter);
    const names = metrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
    expect(names).toEqual(expect.arrayContaining(['business_revenue_cents', 'business_order_value_cents', 'business_conversions']));
    expect(histogram(metrics, 'business_order_value_cents').dataPoints[0]?.value.buckets.counts).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    // getMetrics needs the Prometheus reader we do not create in attach mode: a clear config error.
    await expect(bm.getMetrics()).rejects.toThrow(/needs the Prometheus reader/);
    // shutdown() leaves the user's provider alone: it is theirs to stop.
    await bm.shutdown();
    await expect(provider.forceFlush()).resolves.toBeUndefined();
    await provider.shutdown();
  });

  it('refuses readers next to an own provider at set-up', () => {
    const { provider } = userProvider();
    expect(() => setupBusinessMetrics({ meterProvider: provider, prometheus: { server: true } })).toThrow(/add readers to it yourself/);
    expect(() => setupBusinessMetrics({ meterProvider: provider, otlp: {} })).toThrow(/remove the prometheus\/otlp options/);
  });
});
