import { cumulativeBucketCounts, histogramQuantileValue } from './histogramQuantileValue';

const le = (entries: [number, number][]) => new Map(entries);
const inf = Number.POSITIVE_INFINITY;

describe('histogramQuantileValue', () => {
  it('interpolates linearly inside the bucket, from 0 for the first one, like Prometheus', () => {
    expect(histogramQuantileValue(0.5, le([[500, 10], [1000, 10], [inf, 10]]))).toBe(250);
    expect(histogramQuantileValue(0.9, le([[500, 0], [1000, 10], [inf, 10]]))).toBe(950);
    // Bucket order in the map does not matter.
    expect(histogramQuantileValue(0.9, le([[inf, 10], [1000, 10], [500, 0]]))).toBe(950);
  });

  it('answers the highest finite bound when the rank falls in +Inf', () => {
    expect(histogramQuantileValue(0.99, le([[500, 1], [1000, 1], [inf, 10]]))).toBe(1000);
  });

  it('is NaN without observations, without a +Inf bucket or with one bucket; ±Inf outside [0, 1]', () => {
    expect(histogramQuantileValue(0.5, le([[500, 0], [inf, 0]]))).toBeNaN();
    expect(histogramQuantileValue(0.5, le([[500, 3], [1000, 4]]))).toBeNaN();
    expect(histogramQuantileValue(0.5, le([[inf, 4]]))).toBeNaN();
    expect(histogramQuantileValue(-0.1, le([[500, 3], [inf, 4]]))).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantileValue(1.1, le([[500, 3], [inf, 4]]))).toBe(inf);
  });

  it('gives the hand-computed medians of the guide-style orders (bounds 500 … 50000 cents)', () => {
    const bounds = [500, 1000, 2500, 5000, 10000, 25000, 50000];
    // books {700, 1200, 4800}: rank 1.5 in (1000, 2500] holding 1 -> 1000 + 1500 * 0.5.
    expect(histogramQuantileValue(0.5, cumulativeBucketCounts(bounds, [700, 1200, 4800]))).toBe(1750);
    // apparel {2000, 9000}: rank 1 reached at the end of (1000, 2500] -> 2500.
    expect(histogramQuantileValue(0.5, cumulativeBucketCounts(bounds, [2000, 9000]))).toBe(2500);
  });
});

describe('cumulativeBucketCounts', () => {
  it('counts observations at or below each bound, +Inf last', () => {
    expect([...cumulativeBucketCounts([1, 2], [0.5, 1, 1.5, 3])]).toEqual([
      [1, 2],
      [2, 3],
      [inf, 4],
    ]);
  });
});
