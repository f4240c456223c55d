import {
  detectPersonalData,
  distinctClientAdmission,
  otherLabelValue,
  redactedLabelValue,
  type AdmissionFactory,
  type AdmissionPolicy,
} from '@bizmetrics/core';
import type { AdapterTelemetry } from '../telemetry/adapterTelemetry';

const disallowed = /[^a-z0-9_.-]+/g;

/**
 * Default admission of client-supplied values: one address admits at most 10 values on its own;
 * any other value needs 3 distinct addresses. Random values from one client cannot fill the places.
 */
export const clientValueAdmission: AdmissionFactory = distinctClientAdmission({ minClients: 3, perClientQuota: 10 });

/** Where a bounded label's personal-data refusals are counted. */
export interface LabelPrivacy {
  readonly telemetry: AdapterTelemetry;
  /** The metric the label feeds (the `metric` label of `bizmetrics_refused_values_total`). */
  readonly metric: string;
  /** The label's name, for the log line. */
  readonly label: string;
}

/** An admission policy that may count who sent a value (`DistinctClientAdmission`). */
type ClientAwareAdmission = AdmissionPolicy & { admit(value: string, client?: string): boolean };

/**
 * Turns a client-controlled value (UTM source, referrer host, experiment variant, region) into a
 * label value with a bounded number of distinct values. The raw value is first checked for personal
 * data (it becomes `redacted`, counted): the normalisation below folds `@` into `_` and would hide
 * an address from any later check. Then it is lower-cased, characters outside `[a-z0-9_.-]` folded
 * to `_`, cut to 64 characters; values outside the allowlist, and values the admission policy does
 * not (yet) admit, become `other`. Without this, one crafted link could mint a series per visit.
 */
export class BoundedLabel {
  private readonly admission: ClientAwareAdmission;
  // Raw input → label for values with a settled answer, so repeats skip the checks; bounded.
  private readonly resolved = new Map<string, string>();
  private readonly allowed: ReadonlySet<string> | undefined;

  constructor(
    private readonly fallback: string,
    private readonly maxDistinct: number,
    allowed?: readonly string[],
    admission: AdmissionFactory = clientValueAdmission,
    private readonly privacy?: LabelPrivacy,
  ) {
    this.admission = admission(maxDistinct);
    this.allowed = allowed === undefined ? undefined : new Set(allowed.map((value) => normalizeLabelText(value)));
  }

  /**
   * The label value for `raw`; `fallback` for empty or missing input. `client` names who sent it
   * (an address), read only for a value not seen before.
   */
  resolve(raw: string | undefined | null, client?: () => string | undefined): string {
    if (raw === undefined || raw === null) return this.fallback;
    const known = this.resolved.get(raw);
    if (known !== undefined) return known;
    const family = detectPersonalData(String(raw));
    if (family !== undefined) {
      // Not cached: each occurrence is counted, and the raw value is not kept.
      this.privacy?.telemetry.refusePersonalData(this.privacy.metric, family, this.privacy.label);
      return redactedLabelValue;
    }
    const value = normalizeLabelText(raw);
    let label: string;
    let settled = true;
    if (value === '') label = this.fallback;
    else if (value === this.fallback) label = value;
    else if (this.allowed !== undefined) label = this.allowed.has(value) ? value : otherLabelValue;
    else if (this.admission.admit(value, client?.())) label = value;
    else {
      label = otherLabelValue;
      // A value still waiting for more clients may be admitted later: ask again next time.
      settled = this.admission.size >= this.maxDistinct;
    }
    if (settled && this.resolved.size < this.maxDistinct * 4 + 16) this.resolved.set(raw, label);
    return label;
  }
}

/** Lower-case, `[a-z0-9_.-]` only, at most 64 characters, no leading/trailing `_`. */
export function normalizeLabelText(raw: string): string {
  return String(raw).slice(0, 256).toLowerCase().replace(disallowed, '_').replace(/^_+|_+$/g, '').slice(0, 64);
}
