import type { Meter } from '@opentelemetry/api';
import type { MetricDefinition } from '../catalog/metricDefinition';
import type { GuardContext } from './guardContext';
import { GuardedInstrument } from './guardedInstrument';

/**
 * A monotonic counter whose running sums live in its own capped series table and reach the SDK
 * through an observable counter. One key lookup per `add`, instead of the SDK hashing the
 * attribute set on every call; exported data is the same (a monotonic sum, `_total` in Prometheus),
 * and the SDK turns it into deltas for delta readers.
 */
export class GuardedCounter extends GuardedInstrument {

  constructor(
    meter: Meter,
    definition: MetricDefinition,
    context: GuardContext,
  ) {
    super(definition, context);
    // Every live series on every collection, changed or not: the specification lets an SDK drop an
    // attribute set its callback stopped observing. Delta readers get 0 for an idle series.
    meter.createObservableCounter(definition.name, this.instrumentOptions).addCallback((result) => this.observeAll(result));
  }

  /** Adds `value` (default 1) to the series of `labels`. Refused values are counted, never thrown (outside strict mode). */
  add(value: number, labels?: Readonly<Record<string, unknown>>): void {
    const series = this.seriesOfLabels(value, labels);
    if (series !== undefined) series.value += value;
  }

  /** Same as `add` with label values in declared order (the fast path used by the guide's methods). */
  addValues(value: number, values: readonly unknown[]): void {
    const series = this.seriesOfValues(value, values);
    if (series !== undefined) series.value += value;
  }
}
