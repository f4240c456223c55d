import { seededRandom } from './seededRandom';

test('gives the reference mulberry32 sequence, the same for the same seed and another for another', () => {
  const raw = (seed: number) => {
    const next = seededRandom(seed);
    return [next(), next(), next()].map((value) => value * 2 ** 32);
  };
  expect(raw(42)).toEqual([2581720956, 1925393290, 3661312704]);
  expect(raw(42)).toEqual(raw(42));
  expect(raw(43)).not.toEqual(raw(42));
  const next = seededRandom(7);
  for (let i = 0; i < 1000; i++) {
    const value = next();
    expect(value >= 0 && value < 1).toBe(true);
  }
});
