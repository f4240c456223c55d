import { mean } from './pearson';

/**
 * Lag-1 autocorrelation. Metric series sampled every few minutes are strongly autocorrelated: consecutive
 * points are not independent observations.
 */
export function lag1Autocorrelation(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  const m = mean(values);
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m;
    denominator += d * d;
    if (i > 0) numerator += d * ((values[i - 1] as number) - m);
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * Effective number of independent pairs for a correlation between two AR(1)-like series (Bartlett 1935:
 * n·(1 − ρₐρ_b)/(1 + ρₐρ_b)). Without it, 2,000 points of two slowly drifting series look "significant" even when
 * they only share a trend. Never more than n (negative products would inflate it), never below 3.
 */
export function effectiveSampleSize(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const product = lag1Autocorrelation(a) * lag1Autocorrelation(b);
  if (!(product > 0)) return n;
  const nEff = (n * (1 - product)) / (1 + product);
  return Math.max(3, Math.min(n, nEff));
}
