import type { Histogram, Meter } from '@opentelemetry/api';
import type { MetricDefinition } from '../catalog/metricDefinition';
import type { GuardContext } from './guardContext';
import { GuardedInstrument } from './guardedInstrument';

/**
 * A histogram recorded through the SDK after the guard: the guard hands the SDK a cached,
 * normalised attribute object, so the SDK never sees more than the capped set of label sets.
 */
export class GuardedHistogram extends GuardedInstrument {
  private readonly histogram: Histogram;

  constructor(
    meter: Meter,
    definition: MetricDefinition,
    context: GuardContext,
  ) {
    super(definition, context);
    this.histogram = meter.createHistogram(definition.name, {
      ...this.instrumentOptions,
      // Advice gives the catalog's buckets even on a MeterProvider without our views.
      ...(definition.buckets ? { advice: { explicitBucketBoundaries: [...definition.buckets] } } : {}),
    });
  }

  /** Records one observation. Refused values are counted, never thrown (outside strict mode). */
  record(value: number, labels?: Readonly<Record<string, unknown>>): void {
    const series = this.seriesOfLabels(value, labels);
    if (series !== undefined) this.histogram.record(value, series.attributes);
  }

  /** Same as `record` with label values in declared order. */
  recordValues(value: number, values: readonly unknown[]): void {
    const series = this.seriesOfValues(value, values);
    if (series !== undefined) this.histogram.record(value, series.attributes);
  }
}
