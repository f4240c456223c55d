import type { AdmissionFactory } from '../guard/admission';
import type { LabelValuePolicy } from '../guard/labelValue';
import type { RefusalReporter } from '../guard/refusalReporter';

/**
 * What every guarded instrument shares, built once by the runtime and handed to each constructor
 * (the role of OpenTelemetry's `MeterProviderSharedState`).
 */
export interface GuardContext {
  readonly refusals: RefusalReporter;
  readonly labelValuePolicy: LabelValuePolicy;
  /** Series cap per instrument, overflow series not counted. */
  readonly cardinalityLimit: number;
  /** Admission of new label sets under the cap. */
  readonly admission: AdmissionFactory;
  readonly strict: boolean;
}
