/**
 * What PromQL's `histogram_quantile(q, ...)` returns for one histogram's cumulative bucket counts
 * (`le` upper bound → count, `+Inf` included), following Prometheus 2.x classic histograms: linear
 * interpolation inside the bucket holding the rank, the lowest bucket starting at 0, the highest
 * finite bound when the rank falls into `+Inf`, NaN without observations or with fewer than two
 * buckets. Lets the demo compute the guide's quantiles from a scrape, and tests state an expected
 * quantile independently of Prometheus.
 */
export function histogramQuantileValue(q: number, cumulativeBuckets: ReadonlyMap<number, number>): number {
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const buckets = [...cumulativeBuckets].sort(([a], [b]) => a - b);
  const last = buckets.at(-1);
  if (buckets.length < 2 || last === undefined || last[0] !== Number.POSITIVE_INFINITY || last[1] <= 0) return Number.NaN;
  const rank = q * last[1];
  // The first bucket (the +Inf one excluded) whose count reaches the rank, as Prometheus searches.
  const index = buckets.findIndex(([, count], i) => i < buckets.length - 1 && count >= rank);
  if (index === -1) return (buckets[buckets.length - 2] as [number, number])[0];
  const [upper, count] = buckets[index] as [number, number];
  if (index === 0 && upper <= 0) return upper;
  const [lower, below] = index === 0 ? [0, 0] : (buckets[index - 1] as [number, number]);
  return lower + (upper - lower) * ((rank - below) / (count - below));
}

/** Cumulative bucket counts (`le` → count, with `+Inf`) of `observations` in buckets with these finite upper bounds. */
export function cumulativeBucketCounts(upperBounds: readonly number[], observations: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const bound of [...upperBounds, Number.POSITIVE_INFINITY]) counts.set(bound, observations.filter((value) => value <= bound).length);
  return counts;
}
