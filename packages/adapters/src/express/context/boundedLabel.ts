import { firstComeAdmission, otherLabelValue, type AdmissionFactory, type AdmissionPolicy } from '@bizmetrics/core';

const disallowed = /[^a-z0-9_.-]+/g;

/**
 * Turns a client-controlled value (UTM source, referrer host, experiment variant, region) into a
 * label value with a bounded number of distinct values: lower-cased, characters outside
 * `[a-z0-9_.-]` folded to `_`, cut to 64 characters; values outside the allowlist, and new values
 * past `maxDistinct`, become `other`. Without this, one crafted link could mint a series per visit.
 */
export class BoundedLabel {
  private readonly admission: AdmissionPolicy;
  // Raw input → label, so repeated values skip normalisation; bounded like the values themselves.
  private readonly resolved = new Map<string, string>();
  private readonly allowed: ReadonlySet<string> | undefined;

  constructor(
    private readonly fallback: string,
    private readonly maxDistinct: number,
    allowed?: readonly string[],
    admission: AdmissionFactory = firstComeAdmission,
  ) {
    this.admission = admission(maxDistinct);
    this.allowed = allowed === undefined ? undefined : new Set(allowed.map((value) => normalizeLabelText(value)));
  }

  /** The label value for `raw`; `fallback` for empty or missing input. */
  resolve(raw: string | undefined | null): string {
    if (raw === undefined || raw === null) return this.fallback;
    const known = this.resolved.get(raw);
    if (known !== undefined) return known;
    const value = this.resolveNew(raw);
    if (this.resolved.size < this.maxDistinct * 4 + 16) this.resolved.set(raw, value);
    return value;
  }

  private resolveNew(raw: string): string {
    const value = normalizeLabelText(raw);
    if (value === '') return this.fallback;
    if (value === this.fallback) return value;
    if (this.allowed !== undefined && !this.allowed.has(value)) return otherLabelValue;
    return this.admission.admit(value) ? value : otherLabelValue;
  }
}

/** Lower-case, `[a-z0-9_.-]` only, at most 64 characters, no leading/trailing `_`. */
export function normalizeLabelText(raw: string): string {
  return String(raw).slice(0, 256).toLowerCase().replace(disallowed, '_').replace(/^_+|_+$/g, '').slice(0, 64);
}
