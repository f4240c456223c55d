import { diag } from '@opentelemetry/api';
import { RefusedValueError } from '../errors';
import { SelfCounter } from '../selfMetrics/selfCounter';
import { refusalReasonDescriptions, type RefusalReason } from './refusalReason';

/** Name of the self-metric counting refusals (exported as `bizmetrics_refused_values_total`). */
export const refusedValuesMetricName = 'bizmetrics_refused_values';

/**
 * Counts refused values per metric and reason (`bizmetrics_refused_values_total{metric,reason}`),
 * logs the first of each reason through the OpenTelemetry diag logger, and in strict mode throws
 * instead. The count map is bounded by catalog size times the number of reasons.
 */
export class RefusalReporter {
  readonly counter = new SelfCounter({
    name: refusedValuesMetricName,
    description: 'Values bizmetrics did not record as given, by metric and reason',
    unit: '{value}',
    labels: ['metric', 'reason'],
  });

  constructor(private readonly strict: boolean) {}

  /** Records a refusal. Throws `RefusedValueError` in strict mode (except for overflow, which keeps the value). */
  refuse(metric: string, reason: RefusalReason, detail: string): void {
    this.counter.add(metric, reason);
    // Under a flood of hostile values every call is a refusal: no message built past the first.
    if (this.counter.firstTime(reason)) {
      diag.warn(
        `bizmetrics: dropped a value for ${metric}: ${refusalReasonDescriptions[reason]} (${detail}). ` +
          `Further "${reason}" refusals are counted in bizmetrics_refused_values_total without logging.`,
      );
    }
    if (this.strict && reason !== 'cardinality_overflow') throw new RefusedValueError(metric, reason, detail);
  }

  /** Current counts, for tests. */
  snapshot(): Iterable<{ readonly attributes: Readonly<Record<string, unknown>>; readonly value: number }> {
    return this.counter.entries();
  }

  /** Total refusals of one reason (all metrics), or of all reasons. */
  total(reason?: RefusalReason): number {
    return reason === undefined ? this.counter.total() : this.counter.total('reason', reason);
  }
}
