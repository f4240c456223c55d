import type { Meter } from '@opentelemetry/api';
import type { MetricDefinition } from '../catalog/metricDefinition';
import type { GuardContext } from './guardContext';
import { GuardedInstrument } from './guardedInstrument';

/** A gauge holding the last value set per label set, reported through an observable gauge. */
export class GuardedGauge extends GuardedInstrument {
  private readonly refreshers: Array<() => void> = [];

  constructor(
    meter: Meter,
    definition: MetricDefinition,
    context: GuardContext,
  ) {
    super(definition, context);
    meter.createObservableGauge(definition.name, this.instrumentOptions).addCallback((result) => {
      for (const refresh of this.refreshers) this.runRefresher(refresh);
      this.observeAll(result);
    });
  }

  /**
   * Runs `refresh` at the start of every collection, before the series are read: for gauges whose
   * value is computed (rolling windows that must fall to zero when nothing is recorded, sketches).
   */
  onCollect(refresh: () => void): void {
    this.refreshers.push(refresh);
  }

  /** Sets the current value of the series of `labels`. */
  set(value: number, labels?: Readonly<Record<string, unknown>>): void {
    const series = this.seriesOfLabels(value, labels);
    if (series !== undefined) series.value = value;
  }

  /** Same as `set` with label values in declared order. */
  setValues(value: number, values: readonly unknown[]): void {
    const series = this.seriesOfValues(value, values);
    if (series !== undefined) series.value = value;
  }

  private runRefresher(refresh: () => void): void {
    try {
      refresh();
    } catch (error) {
      // A collection must not fail for one computed gauge, strict mode or not (refuse never throws for internal_error).
      try {
        this.context.refusals.refuse(this.definition.name, 'internal_error', error instanceof Error ? error.message : String(error));
      } catch {
        // strict mode throws from refuse; swallowed here on purpose
      }
    }
  }
}
