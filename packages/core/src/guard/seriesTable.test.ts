import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type HistogramMetricData,
  type MetricData,
  type ResourceMetrics,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import { businessViews, overflowAttributes, setupBusinessMetrics } from '../index';

/** A reader that asks for DELTA temporality and is collected by hand. */
class DeltaReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

function metric(resourceMetrics: ResourceMetrics, name: string): MetricData | undefined {
  for (const scope of resourceMetrics.scopeMetrics) for (const m of scope.metrics) if (m.descriptor.name === name) return m;
  return undefined;
}

const limit = 100;
const collections = 10;
const newValuesPerCollection = 500; // 5,000 distinct values in all

describe('cardinality cap', () => {
  it('bounds series across many collections on a cumulative Prometheus reader and a delta reader, preserving totals', async () => {
    const prometheus = new PrometheusExporter({ preventServerStart: true });
    const delta = new DeltaReader();
    const provider = new MeterProvider({ views: businessViews(), readers: [prometheus, delta] });
    const bm = setupBusinessMetrics({ meterProvider: provider, cardinalityLimit: limit });
    const counter = bm.metrics.counter('business_feature_usage');
    const histogram = bm.metrics.histogram('business_session_duration_seconds');

    let counted = 0; // total added to the counter
    let observed = 0; // observations made in the histogram
    let deltaCounterSum = 0;
    let deltaHistogramCount = 0;
    let distinct = 0;
    for (let round = 0; round < collections; round++) {
      for (let i = 0; i < newValuesPerCollection; i++) {
        const feature = `feature_${distinct++}`;
        bm.metrics.count('business_feature_usage', { feature_name: feature, user_tier: 'pro', is_new_user: 'false' }, 2);
        bm.service.recordSessionEnd(new Date(Date.now() - 40_000), { userTier: 'pro', entryPage: `/page/${feature}` });
        counted += 2;
        observed += 1;
      }
      // Values seen before the cap keep landing in their own series, also after it is reached.
      bm.metrics.count('business_feature_usage', { feature_name: 'feature_0', user_tier: 'pro', is_new_user: 'false' }, 5);
      counted += 5;

      const cumulative = (await prometheus.collect()).resourceMetrics;
      const cumulativeCounter = metric(cumulative, 'business_feature_usage') as SumMetricData;
      const cumulativeHistogram = metric(cumulative, 'business_session_duration_seconds') as HistogramMetricData;
      expect(cumulativeCounter.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
      expect(cumulativeCounter.dataPoints.length).toBeLessThanOrEqual(limit + 1);
      expect(cumulativeHistogram.dataPoints.length).toBeLessThanOrEqual(limit + 1);
      expect(cumulativeCounter.dataPoints.reduce((sum, p) => sum + p.value, 0)).toBe(counted);
      expect(cumulativeHistogram.dataPoints.reduce((sum, p) => sum + p.value.count, 0)).toBe(observed);

      const { resourceMetrics: deltas } = await delta.collect();
      const deltaCounter = metric(deltas, 'business_feature_usage') as SumMetricData;
      const deltaHistogram = metric(deltas, 'business_session_duration_seconds') as HistogramMetricData;
      expect(deltaCounter.aggregationTemporality).toBe(AggregationTemporality.DELTA);
      expect(deltaHistogram.dataPointType).toBe(DataPointType.HISTOGRAM);
      expect(deltaCounter.dataPoints.length).toBeLessThanOrEqual(limit + 1);
      expect(deltaHistogram.dataPoints.length).toBeLessThanOrEqual(limit + 1);
      deltaCounterSum += deltaCounter.dataPoints.reduce((sum, p) => sum + p.value, 0);
      deltaHistogramCount += deltaHistogram.dataPoints.reduce((sum, p) => sum + p.value.count, 0);
      expect(deltaCounterSum).toBe(counted);
      expect(deltaHistogramCount).toBe(observed);

      // Our own tables stay bounded too (the SDK's limit resets per collection; ours does not).
      expect(counter.series.size).toBe(limit + 1);
      expect(histogram.series.size).toBe(limit + 1);
    }

    // The overflow series holds everything past the first 100 label sets.
    const final = (await prometheus.collect()).resourceMetrics;
    const points = (metric(final, 'business_feature_usage') as SumMetricData).dataPoints;
    const overflow = points.filter((p) => p.attributes['otel.metric.overflow'] === true);
    expect(overflow).toHaveLength(1);
    expect(overflow[0]?.attributes).toEqual(overflowAttributes);
    expect(overflow[0]?.value).toBe((distinct - limit) * 2);
    expect(points.find((p) => p.attributes['feature_name'] === 'feature_0')?.value).toBe(2 + 5 * collections);
    const histogramOverflow = (metric(final, 'business_session_duration_seconds') as HistogramMetricData).dataPoints.find(
      (p) => p.attributes['otel.metric.overflow'] === true,
    );
    expect(histogramOverflow?.value.count).toBe(distinct - limit);

    // Each overflowed value is counted once as a cardinality_overflow refusal.
    expect(bm.metrics.refusedCount('cardinality_overflow')).toBe(2 * (distinct - limit));
    await provider.shutdown();
  });

  it('keeps personal data out of the table: 1,000 addresses share the one `redacted` series', () => {
    const bm = setupBusinessMetrics({ cardinalityLimit: 10 });
    for (let i = 0; i < 1000; i++) bm.metrics.count('business_conversions', { conversion_type: `user${i}@example.com` });
    const table = bm.metrics.counter('business_conversions').series;
    expect([...table.all()].map((series) => [series.attributes.conversion_type, series.value])).toEqual([['redacted', 1000]]);
    expect(bm.metrics.refusedCount('personal_data_email')).toBe(1000);
  });

  it('maps raw spellings of one value to one series without using up the cap', () => {
    const bm = setupBusinessMetrics({ cardinalityLimit: 2 });
    for (const spelling of ['mobile', ' mobile', 'mobile ', '\tmobile', 'mobile\n']) {
      bm.service.recordFeatureUsage('export', { userTier: spelling, isNewUser: false });
    }
    const table = bm.metrics.counter('business_feature_usage').series;
    expect(table.size).toBe(1);
    expect([...table.all()][0]?.value).toBe(5);
    expect(bm.metrics.refusedCount()).toBe(0);
  });
});
