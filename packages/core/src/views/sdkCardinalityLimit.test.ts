import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type HistogramMetricData, type ResourceMetrics, type SumMetricData } from '@opentelemetry/sdk-metrics';
import { overflowAttributes, setupBusinessMetrics } from '../index';

// Only one overflow mechanism may ever appear: ours. Above our cap our overflow set is the
// OpenTelemetry one ({otel.metric.overflow: true}); the SDK's own limit is set from our cap, so the
// SDK never folds series of its own (its default of 2,000 would, below a cap of 2,500).

function metric(metrics: ResourceMetrics, name: string) {
  for (const scope of metrics.scopeMetrics) for (const found of scope.metrics) if (found.descriptor.name === name) return found;
  throw new Error(`no metric ${name}`);
}

const isOverflow = (attributes: Attributes) => attributes['otel.metric.overflow'] === true;

describe('one overflow mechanism', () => {
  it.each([
    { cap: 5, distinct: 40 },
    { cap: 2500, distinct: 3000 },
  ])('above a cap of $cap: $cap series and one overflow set, no SDK overflow beside it', async ({ cap, distinct }) => {
    const bm = setupBusinessMetrics({ cardinalityLimit: cap });
    for (let i = 0; i < distinct; i++) {
      bm.service.recordFeatureUsage(`feature_${i}`, { userTier: 'pro', isNewUser: false });
      bm.service.recordSessionEnd(new Date(Date.now() - 60_000), { userTier: 'pro', entryPage: `/page_${i}` });
    }
    const reader = bm.prometheus?.reader;
    if (reader === undefined) throw new Error('no Prometheus reader');
    for (let collection = 0; collection < 2; collection++) {
      const { resourceMetrics } = await reader.collect();
      const counter = metric(resourceMetrics, 'business_feature_usage') as SumMetricData;
      const histogram = metric(resourceMetrics, 'business_session_duration_seconds') as HistogramMetricData;
      expect(histogram.dataPointType).toBe(DataPointType.HISTOGRAM);
      for (const points of [counter.dataPoints, histogram.dataPoints]) {
        expect(points).toHaveLength(cap + 1);
        const overflow = points.filter((point) => isOverflow(point.attributes));
        expect(overflow).toHaveLength(1);
        expect(overflow[0]?.attributes).toEqual(overflowAttributes);
      }
      expect(counter.dataPoints.find((point) => isOverflow(point.attributes))?.value).toBe(distinct - cap);
      expect(counter.dataPoints.reduce((sum, point) => sum + point.value, 0)).toBe(distinct);
      expect(histogram.dataPoints.reduce((sum, point) => sum + point.value.count, 0)).toBe(distinct);
    }
    await bm.shutdown();
  });
});
