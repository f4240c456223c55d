import { ValueType } from '@opentelemetry/api';
import type { MetricDefinition } from '../catalog/metricDefinition';
import { SeriesTable } from '../guard/seriesTable';
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

  /** OpenTelemetry `ValueType` for the instrument options (INT makes the SDK truncate fractions). */
  protected get otelValueType(): ValueType {
    return this.valueType === 'integer' ? ValueType.INT : ValueType.DOUBLE;
  }

  /** Counts (and in strict mode throws) a refusal found by a caller that checks more than the value. */
  refuse(reason: RefusalReason, detail: string): void {
    try {
      this.context.refusals.refuse(this.definition.name, reason, detail);
    } catch (error) {
      this.fail(error);
    }
  }

  protected accepts(value: number): boolean {
    const problem = checkMeasurement(value, this.valueType);
    if (problem === undefined) return true;
    this.context.refusals.refuse(this.definition.name, problem, describeValue(value));
    return false;
  }

  /** Handles anything thrown inside a record call: only strict mode lets it reach the caller. */
  protected fail(error: unknown): void {
    if (this.context.strict) throw error;
    try {
      this.context.refusals.refuse(this.definition.name, 'internal_error', error instanceof Error ? error.message : String(error));
    } catch {
      // The reporter itself failed; instrumentation must still not break the caller.
    }
  }
}
