import type { Meter } from '@opentelemetry/api';
import type { MetricDefinition } from '../catalog/metricDefinition';
import type { GuardContext } from './guardContext';
import { GuardedInstrument } from './guardedInstrument';

/** A gauge holding the last value set per label set, reported through an observable gauge. */
export class GuardedGauge extends GuardedInstrument {

  constructor(
    meter: Meter,
    definition: MetricDefinition,
    context: GuardContext,
  ) {
    super(definition, context);
    const gauge = meter.createObservableGauge(definition.name, {
      description: definition.description,
      unit: definition.unit,
      valueType: this.otelValueType,
    });
    gauge.addCallback((result) => {
      for (const series of this.series.all()) result.observe(series.value, series.attributes);
    });
  }

  /** Sets the current value of the series of `labels`. */
  set(value: number, labels?: Readonly<Record<string, unknown>>): void {
    try {
      if (!this.accepts(value)) return;
      const series = this.series.resolveAttributes(labels);
      if (series !== undefined) series.value = value;
    } catch (error) {
      this.fail(error);
    }
  }

  /** Same as `set` with label values in declared order. */
  setValues(value: number, values: readonly unknown[]): void {
    try {
      if (!this.accepts(value)) return;
      const series = this.series.resolve(values);
      if (series !== undefined) series.value = value;
    } catch (error) {
      this.fail(error);
    }
  }

}
