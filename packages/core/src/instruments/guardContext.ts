import type { LabelValuePolicy } from '../guard/labelValue';
import type { RefusalReporter } from '../guard/refusalReporter';

/** What every guarded instrument shares: the refusal reporter and the limits. */
export interface GuardContext {
  readonly refusals: RefusalReporter;
  readonly labelValuePolicy: LabelValuePolicy;
  /** Series cap per instrument, overflow series not counted. */
  readonly cardinalityLimit: number;
  readonly strict: boolean;
}
