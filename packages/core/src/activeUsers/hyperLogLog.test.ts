import { seededRandom } from '@bizmetrics/test-support';
import fc from 'fast-check';
import { hash64 } from './hash64';
import { HyperLogLog } from './hyperLogLog';

// Each seed gives a different, reproducible id population (raw 32-bit mulberry32 output).
function mulberry32(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() * 2 ** 32;
}

function relativeError(estimate: number, truth: number): number {
  return Math.abs(estimate - truth) / truth;
}

describe('hash64', () => {
  it('is deterministic and spreads near-identical ids', () => {
    const a = new Uint32Array(2);
    const b = new Uint32Array(2);
    hash64('user-1', a);
    hash64('user-1', b);
    expect([...a]).toEqual([...b]);
    hash64('user-2', b);
    // One changed character flips about half of the 64 bits.
    const flipped = [0, 1].reduce((bits, i) => {
      let x = ((a[i] as number) ^ (b[i] as number)) >>> 0;
      let count = 0;
      while (x) {
        count += x & 1;
        x >>>= 1;
      }
      return bits + count;
    }, 0);
    expect(flipped).toBeGreaterThan(16);
    expect(flipped).toBeLessThan(48);
  });

  it('fills the 16,384 register indexes evenly for sequential ids', () => {
    const out = new Uint32Array(2);
    const counts = new Uint32Array(1 << 14);
    const n = 1 << 18;
    for (let i = 0; i < n; i++) {
      hash64(`user-${i}`, out);
      counts[(out[0] as number) >>> 18]! += 1;
    }
    // Expected 16 per bucket; chi-square over 16,383 degrees of freedom stays near 16,383 (σ ≈ 181).
    let chi = 0;
    for (const c of counts) chi += (c - 16) ** 2 / 16;
    expect(chi).toBeLessThan(16_383 * 1.05);
  });
});

describe('HyperLogLog', () => {
  it('is exact-ish for small counts and ignores repeats', () => {
    const sketch = new HyperLogLog();
    expect(sketch.estimate()).toBe(0);
    for (let round = 0; round < 50; round++) for (let i = 0; i < 10; i++) sketch.add(`u${i}`);
    expect(Math.round(sketch.estimate())).toBe(10);
  });

  it('stays within 2 % at 1,000,000 distinct ids for several seeds', () => {
    for (const seed of [1, 7, 42, 2026]) {
      const next = mulberry32(seed);
      const sketch = new HyperLogLog();
      const n = 1_000_000;
      // Random 64-bit-ish ids: collisions among 1e6 draws of 2^64 are negligible.
      for (let i = 0; i < n; i++) sketch.add(`${next().toString(36)}-${next().toString(36)}`);
      expect(relativeError(sketch.estimate(), n)).toBeLessThan(0.02);
    }
    const sequential = new HyperLogLog();
    for (let i = 0; i < 1_000_000; i++) sequential.add(String(i));
    expect(relativeError(sequential.estimate(), 1_000_000)).toBeLessThan(0.02);
  });

  it('stays within 3 standard errors across the small and mid range (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50_000 }), fc.integer(), (n, seed) => {
        const sketch = new HyperLogLog();
        for (let i = 0; i < n; i++) sketch.add(`${seed}:${i}`);
        // 3σ with σ = 1.04/√16384 ≈ 0.81 %, plus one id of slack for tiny n.
        expect(Math.abs(sketch.estimate() - n)).toBeLessThanOrEqual(0.0244 * n + 1);
      }),
      { numRuns: 20 },
    );
  });

  it('merges to the union, where summing double-counts the overlap', () => {
    const left = new HyperLogLog();
    const right = new HyperLogLog();
    for (let i = 0; i < 600_000; i++) left.add(`user-${i}`);
    for (let i = 400_000; i < 1_000_000; i++) right.add(`user-${i}`);
    const sum = left.estimate() + right.estimate();
    left.merge(right);
    expect(relativeError(left.estimate(), 1_000_000)).toBeLessThan(0.02);
    expect(relativeError(sum, 1_000_000)).toBeGreaterThan(0.15);
  });

  it('refuses register arrays of the wrong size', () => {
    expect(() => new HyperLogLog(new Uint8Array(10))).toThrow(RangeError);
  });
});
