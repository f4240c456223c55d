import { studentTCdf } from './studentT';

/** Two-sided 97.5% standard normal quantile, for a 95% interval. */
const Z_975 = 1.959963984540054;

export interface Significance {
  /** Two-sided p-value of H0 "no correlation", t-test with n−2 degrees of freedom. */
  pValue: number;
  /** 95% confidence interval of the coefficient by Fisher's z transform. */
  interval95: [number, number];
}

/**
 * How far a coefficient can be trusted given the (effective) number of pairs. The t-test and the Fisher
 * interval both assume independent pairs; pass an effective sample size when the series are autocorrelated.
 */
export function correlationSignificance(r: number, n: number): Significance {
  if (!Number.isFinite(r) || !(n > 3)) return { pValue: Number.NaN, interval95: [Number.NaN, Number.NaN] };
  return { pValue: correlationPValue(r, n), interval95: fisherInterval95(r, n) };
}

/** p = 2·(1 − F_t(|t|; n−2)) with t = r·√((n−2)/(1−r²)). */
export function correlationPValue(r: number, n: number): number {
  const df = n - 2;
  if (Math.abs(r) >= 1) return 0;
  const t = Math.abs(r) * Math.sqrt(df / (1 - r * r));
  // 2·F(−|t|) rather than 2·(1 − F(|t|)): the lower tail keeps its precision for tiny p.
  return Math.min(1, 2 * studentTCdf(-t, df));
}

/** tanh(atanh(r) ± z₀.₉₇₅/√(n−3)). */
export function fisherInterval95(r: number, n: number): [number, number] {
  if (Math.abs(r) >= 1) return [r, r];
  const z = Math.atanh(r);
  const halfWidth = Z_975 / Math.sqrt(n - 3);
  return [Math.tanh(z - halfWidth), Math.tanh(z + halfWidth)];
}

/** Student's t CDF, re-exported so tests and users can check the distribution itself. */
export { studentTCdf };
