import { diag, type Attributes } from '@opentelemetry/api';
import { RefusedValueError } from '../errors';
import { refusalReasonDescriptions, type RefusalReason } from './refusalReason';

/** Name of the self-metric counting refusals (exported as `bizmetrics_refused_values_total`). */
export const refusedValuesMetricName = 'bizmetrics_refused_values';

interface RefusalCount {
  readonly attributes: Attributes;
  value: number;
}

/**
 * Counts refused values per metric and reason, logs the first of each reason through the
 * OpenTelemetry diag logger, and in strict mode throws instead. The count map is bounded by
 * catalog size times the number of reasons.
 */
export class RefusalReporter {
  // Metric, then reason: two lookups with strings the caller already has, no key string built per
  // refusal (under a flood of hostile values every call is a refusal).
  private readonly counts = new Map<string, Map<RefusalReason, RefusalCount>>();
  /** The same counts in creation order, the order they are exported in. */
  private readonly ordered: RefusalCount[] = [];
  private readonly loggedReasons = new Set<RefusalReason>();

  constructor(private readonly strict: boolean) {}

  /** Records a refusal. Throws `RefusedValueError` in strict mode (except for overflow, which keeps the value). */
  refuse(metric: string, reason: RefusalReason, detail: string): void {
    let byReason = this.counts.get(metric);
    if (byReason === undefined) {
      byReason = new Map();
      this.counts.set(metric, byReason);
    }
    let count = byReason.get(reason);
    if (count === undefined) {
      count = { attributes: Object.freeze({ metric, reason }), value: 0 };
      byReason.set(reason, count);
      this.ordered.push(count);
    }
    count.value += 1;
    if (!this.loggedReasons.has(reason)) {
      this.loggedReasons.add(reason);
      diag.warn(
        `bizmetrics: dropped a value for ${metric}: ${refusalReasonDescriptions[reason]} (${detail}). ` +
          `Further "${reason}" refusals are counted in bizmetrics_refused_values_total without logging.`,
      );
    }
    if (this.strict && reason !== 'cardinality_overflow') throw new RefusedValueError(metric, reason, detail);
  }

  /** Current counts, for the self-metric's observable callback and for tests. */
  snapshot(): Iterable<RefusalCount> {
    return this.ordered;
  }

  /** Total refusals of one reason (all metrics), or of all reasons. */
  total(reason?: RefusalReason): number {
    let sum = 0;
    for (const count of this.snapshot()) if (reason === undefined || count.attributes['reason'] === reason) sum += count.value;
    return sum;
  }
}
