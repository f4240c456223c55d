/**
 * Pearson product-moment correlation of two equally long samples.
 *
 * Computed on centred values (two passes) rather than the guide's one-pass sums: `n·Σab − Σa·Σb` cancels
 * catastrophically when values are large and close together (e.g. revenue in cents), centring does not.
 * Returns NaN when either sample is constant: there is no correlation to speak of, and 0 would read as "none found".
 */
export function pearson(a: readonly number[], b: readonly number[]): number {
  assertPaired(a, b);
  const n = a.length;
  const meanA = mean(a);
  const meanB = mean(b);
  let sumAB = 0;
  let sumAA = 0;
  let sumBB = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - meanA;
    const db = (b[i] as number) - meanB;
    sumAB += da * db;
    sumAA += da * da;
    sumBB += db * db;
  }
  if (sumAA === 0 || sumBB === 0) return Number.NaN;
  // Rounding can push |r| a hair past 1 for perfectly linear data; later steps (atanh, t) need |r| <= 1.
  return clampUnit(sumAB / Math.sqrt(sumAA * sumBB));
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

export function assertPaired(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length) throw new RangeError(`samples differ in length (${a.length} vs ${b.length})`);
  if (a.length < 2) throw new RangeError(`at least 2 pairs are needed, got ${a.length}`);
}

function clampUnit(value: number): number {
  return Math.max(-1, Math.min(1, value));
}
