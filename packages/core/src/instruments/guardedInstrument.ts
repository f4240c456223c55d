import { ValueType, type ObservableResult } from '@opentelemetry/api';
import type { MetricDefinition } from '../catalog/metricDefinition';
import { SeriesTable, type Series } from '../guard/seriesTable';
import { checkMeasurement, describeValue } from '../guard/valueCheck';
import type { RefusalReason } from '../guard/refusalReason';
import type { GuardContext } from './guardContext';

/** What the three guarded instrument kinds share: the capped series table and the value check. */
export abstract class GuardedInstrument {
  readonly series: SeriesTable;
  protected readonly valueType: 'integer' | 'non_negative';

  constructor(
    readonly definition: MetricDefinition,
    protected readonly context: GuardContext,
  ) {
    this.series = new SeriesTable(definition, context.cardinalityLimit, {
      policy: context.labelValuePolicy,
      refusals: context.refusals,
      admission: context.admission(context.cardinalityLimit),
      // Only a counter's rate needs the series before the first increment.
      zeroKnownValues: definition.kind === 'counter',
    });
    this.valueType = definition.valueType ?? 'non_negative';
  }

  /** The SDK instrument's options from the catalog entry (an INT value type makes the SDK truncate fractions). */
  protected get instrumentOptions(): { description: string; unit: string; valueType: ValueType } {
    const definition = this.definition;
    return { description: definition.description, unit: definition.unit, valueType: this.valueType === 'integer' ? ValueType.INT : ValueType.DOUBLE };
  }

  /** Observes every live series, changed or not, on every collection (as the specification asks of callbacks). */
  protected observeAll(result: ObservableResult): void {
    for (const series of this.series.all()) result.observe(series.value, series.attributes);
  }

  /** Counts (and in strict mode throws) a refusal found by a caller that checks more than the value. */
  refuse(reason: RefusalReason, detail: string): void {
    try {
      this.context.refusals.refuse(this.definition.name, reason, detail);
    } catch (error) {
      this.fail(error);
    }
  }

  /** The series a value given with positional label values goes to; `undefined` when refused (already counted). */
  protected seriesOfValues(value: number, values: readonly unknown[]): Series | undefined {
    try {
      return this.accepts(value) ? this.series.resolve(values) : undefined;
    } catch (error) {
      return this.fail(error);
    }
  }

  /** The series a value given with a label object goes to; `undefined` when refused (already counted). */
  protected seriesOfLabels(value: number, labels: Readonly<Record<string, unknown>> | undefined): Series | undefined {
    try {
      return this.accepts(value) ? this.series.resolveAttributes(labels) : undefined;
    } catch (error) {
      return this.fail(error);
    }
  }

  protected accepts(value: number): boolean {
    const problem = checkMeasurement(value, this.valueType);
    if (problem === undefined) return true;
    this.context.refusals.refuse(this.definition.name, problem, describeValue(value));
    return false;
  }

  /** Handles anything thrown inside a record call: only strict mode lets it reach the caller. */
  protected fail(error: unknown): undefined {
    if (this.context.strict) throw error;
    try {
      this.context.refusals.refuse(this.definition.name, 'internal_error', error instanceof Error ? error.message : String(error));
    } catch {
      // The reporter itself failed; instrumentation must still not break the caller.
    }
    return undefined;
  }
}
