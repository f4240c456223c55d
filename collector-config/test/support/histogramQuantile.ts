/**
 * What PromQL's `histogram_quantile(q, ...)` returns for these observations in buckets with
 * these upper bounds (Prometheus 2.x classic histograms: linear interpolation inside the bucket,
 * the lowest bucket starting at 0, the highest finite bound when the rank falls into +Inf).
 * Lets a test state the expected quantile independently of Prometheus.
 */
export function expectedHistogramQuantile(q: number, upperBounds: readonly number[], observations: readonly number[]): number {
  if (observations.length === 0) return Number.NaN;
  const bounds = [...upperBounds, Number.POSITIVE_INFINITY];
  const cumulative = bounds.map((bound) => observations.filter((value) => value <= bound).length);
  const total = cumulative[cumulative.length - 1] as number;
  const rank = q * total;
  const index = cumulative.findIndex((count) => count >= rank);
  const upper = bounds[index] as number;
  if (upper === Number.POSITIVE_INFINITY) return upperBounds[upperBounds.length - 1] as number;
  const lower = index === 0 ? 0 : (bounds[index - 1] as number);
  const below = index === 0 ? 0 : (cumulative[index - 1] as number);
  const inBucket = (cumulative[index] as number) - below;
  return lower + (upper - lower) * ((rank - below) / inBucket);
}
