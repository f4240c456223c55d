/**
 * Decides which new values (label values, label sets, tiers, regions) get a place of their own
 * once, for good. Every capped table in bizmetrics asks one of these, so the policy can change in
 * one place: first come today; an allowlist with a fallback, admission after several distinct
 * sessions or a heavy-hitter sketch (values an attacker cannot exhaust) are drop-in replacements.
 */
export interface AdmissionPolicy {
  /**
   * Whether `value` has (or now gets) a place. Called for values not seen before by the caller's
   * own table, but must answer the same for a value it already admitted.
   */
  admit(value: string): boolean;
  /** How many values hold a place. */
  readonly size: number;
}

/** Builds the admission policy of one table from its capacity. */
export type AdmissionFactory = (capacity: number) => AdmissionPolicy;

/** The first `capacity` distinct values are admitted; later ones never are. */
export class FirstComeAdmission implements AdmissionPolicy {
  private readonly admitted = new Set<string>();

  constructor(readonly capacity: number) {}

  admit(value: string): boolean {
    if (this.admitted.has(value)) return true;
    if (this.admitted.size >= this.capacity) return false;
    this.admitted.add(value);
    return true;
  }

  get size(): number {
    return this.admitted.size;
  }
}

/** The default policy: first come, first admitted. */
export const firstComeAdmission: AdmissionFactory = (capacity) => new FirstComeAdmission(capacity);
