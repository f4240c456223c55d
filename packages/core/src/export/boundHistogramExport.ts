import { ValueType } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type DataPoint,
  type Histogram,
  type MetricData,
  type MetricProducer,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { BusinessMetricsConfigError } from '../errors';
import { BoundHistogram, type BoundHistogramDescriptor, type HistogramCell } from '../instruments/boundHistogram';

/**
 * The bound histograms of one runtime. Each of the runtime's readers gets a `producer` with its
 * temporality; cells hold cumulative state, delta producers subtract what they exported last.
 */
export class BoundHistograms {
  private readonly byName = new Map<string, BoundHistogram>();

  /** The bound histogram named `descriptor.name`, created on first call with these boundaries. */
  histogram(descriptor: BoundHistogramDescriptor): BoundHistogram {
    const existing = this.byName.get(descriptor.name);
    if (existing !== undefined) {
      if (existing.boundaries.join() !== descriptor.boundaries.join()) {
        throw new BusinessMetricsConfigError(`bizmetrics: ${descriptor.name} is already registered with other bucket boundaries`);
      }
      return existing;
    }
    const histogram = new BoundHistogram(descriptor);
    this.byName.set(descriptor.name, histogram);
    return histogram;
  }

  /** A MetricProducer for one reader (pass it in the reader's `metricProducers`). */
  producer(temporality: AggregationTemporality): MetricProducer {
    return new BoundHistogramProducer(this.byName, temporality);
  }
}

interface ExportedState {
  readonly counts: number[];
  count: number;
  sum: number;
}

class BoundHistogramProducer implements MetricProducer {
  // Delta only: what this reader exported last, per cell.
  private readonly exported = new Map<HistogramCell, ExportedState>();
  private lastCollectMs: number | undefined;

  constructor(
    private readonly histograms: ReadonlyMap<string, BoundHistogram>,
    private readonly temporality: AggregationTemporality,
  ) {}

  collect(): Promise<CollectionResult> {
    const nowMs = Date.now();
    const endTime = millisToHrTime(nowMs);
    const byScope = new Map<string, ScopeMetrics>();
    for (const histogram of this.histograms.values()) {
      const points = this.temporality === AggregationTemporality.DELTA ? this.deltaPoints(histogram, endTime) : cumulativePoints(histogram, endTime);
      if (points.length === 0) continue;
      const { scope, name, description, unit } = histogram.descriptor;
      const scopeKey = `${scope.name}@${scope.version ?? ''}`;
      let scopeMetrics = byScope.get(scopeKey);
      if (scopeMetrics === undefined) {
        scopeMetrics = { scope: { name: scope.name, version: scope.version }, metrics: [] };
        byScope.set(scopeKey, scopeMetrics);
      }
      const metric: MetricData = {
        descriptor: { name, description, unit, valueType: ValueType.DOUBLE },
        aggregationTemporality: this.temporality,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: points,
      };
      scopeMetrics.metrics.push(metric);
    }
    this.lastCollectMs = nowMs;
    // The reader keeps the SDK's resource and takes only the scope metrics from here.
    return Promise.resolve({ resourceMetrics: { resource: emptyResource(), scopeMetrics: [...byScope.values()] }, errors: [] });
  }

  private deltaPoints(histogram: BoundHistogram, endTime: DataPoint<Histogram>['endTime']): DataPoint<Histogram>[] {
    const points: DataPoint<Histogram>[] = [];
    for (const cell of histogram.cells()) {
      let last = this.exported.get(cell);
      if (last === undefined) {
        last = { counts: cell.counts.map(() => 0), count: 0, sum: 0 };
        this.exported.set(cell, last);
      }
      if (cell.count === last.count) continue; // nothing recorded since the last export: no point, as the SDK does
      const counts = cell.counts.map((count, i) => count - (last.counts[i] as number));
      points.push({
        attributes: cell.attributes,
        startTime: millisToHrTime(Math.max(cell.startedAtMs, this.lastCollectMs ?? cell.startedAtMs)),
        endTime,
        // min and max of the interval are not known from cumulative cells: left out (both optional in OTLP).
        value: { buckets: { boundaries: [...histogram.boundaries], counts }, count: cell.count - last.count, sum: cell.sum - last.sum },
      });
      for (let i = 0; i < counts.length; i++) last.counts[i] = cell.counts[i] as number;
      last.count = cell.count;
      last.sum = cell.sum;
    }
    return points;
  }
}

function cumulativePoints(histogram: BoundHistogram, endTime: DataPoint<Histogram>['endTime']): DataPoint<Histogram>[] {
  const points: DataPoint<Histogram>[] = [];
  for (const cell of histogram.cells()) {
    if (cell.count === 0) continue;
    points.push({
      attributes: cell.attributes,
      startTime: millisToHrTime(cell.startedAtMs),
      endTime,
      value: {
        buckets: { boundaries: [...histogram.boundaries], counts: [...cell.counts] },
        count: cell.count,
        sum: cell.sum,
        min: cell.min,
        max: cell.max,
      },
    });
  }
  return points;
}
