import { seededRandom } from '@bizmetrics/test-support';
import { crossCorrelation, pairsAtLag, strongestLag } from './crossCorrelation';
import { effectiveSampleSize, lag1Autocorrelation } from './effectiveSampleSize';
import { describeImpact, impactStrength } from './impactStrength';
import { linearRegression } from './linearRegression';
import { pearson } from './pearson';
import { averageRanks } from './rank';
import { correlationPValue, correlationSignificance, fisherInterval95, studentTCdf } from './significance';
import { spearman } from './spearman';

// Anscombe's quartet, set I: published r = 0.816, fit y = 3.00 + 0.500x, R² = 0.67, slope p = 0.00217.
const anscombeX = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
const anscombeY = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];


describe('pearson', () => {
  it("matches Anscombe's published coefficient", () => {
    expect(pearson(anscombeX, anscombeY)).toBeCloseTo(0.816421, 6);
  });

  it('is ±1 for exact linear relations and stays within [-1, 1]', () => {
    const x = [1, 2, 3, 4, 5, 6];
    expect(pearson(x, x.map((v) => 3 - 2 * v))).toBe(-1);
    expect(pearson(x, x.map((v) => 0.1 * v + 7))).toBeCloseTo(1, 12);
  });

  it('does not lose precision on large, close values (revenue in cents)', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8].map((v) => 1e9 + v);
    const y = [2, 1, 4, 3, 6, 5, 8, 7].map((v) => 5e8 + v);
    const small = pearson([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 4, 3, 6, 5, 8, 7]);
    expect(pearson(x, y)).toBeCloseTo(small, 9);
  });

  it('is NaN for a constant side and refuses unpaired samples', () => {
    expect(pearson([1, 2, 3], [4, 4, 4])).toBeNaN();
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(RangeError);
  });
});

describe('spearman', () => {
  it('gives tied values the average of their ranks', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([3, 1, 3, 3, 2])).toEqual([4, 1, 4, 4, 2]);
  });

  it('matches a hand-computed coefficient with ties', () => {
    // ranks y = [1, 2, 3.5, 5, 3.5]: Σdxdy = 8, Σdx² = 10, Σdy² = 9.5 → 8/√95
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
  });

  it('is 1 for any monotonic relation, where Pearson is not', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const y = x.map((v) => Math.exp(v));
    expect(spearman(x, y)).toBeCloseTo(1, 12);
    expect(pearson(x, y)).toBeLessThan(0.9);
  });
});

describe("Student's t distribution", () => {
  it('matches closed forms for 1 and 2 degrees of freedom', () => {
    for (const t of [-3, -0.5, 0, 1, 2.5]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 10);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 10);
    }
  });

  it('matches printed critical values', () => {
    expect(studentTCdf(2.228139, 10)).toBeCloseTo(0.975, 6);
    expect(studentTCdf(2.015048, 5)).toBeCloseTo(0.95, 6);
    expect(studentTCdf(2.749996, 30)).toBeCloseTo(0.995, 6);
    expect(studentTCdf(1.959964, 1e6)).toBeCloseTo(0.975, 5);
  });
});

describe('correlation significance', () => {
  it("matches Anscombe's published p-value", () => {
    expect(correlationPValue(pearson(anscombeX, anscombeY), 11)).toBeCloseTo(0.00217, 5);
  });

  it('is 1 − |r| for n = 4 (closed form with 2 degrees of freedom)', () => {
    for (const r of [-0.9, -0.3, 0.2, 0.75]) expect(correlationPValue(r, 4)).toBeCloseTo(1 - Math.abs(r), 10);
  });

  it('gives the Fisher z interval', () => {
    const [low, high] = fisherInterval95(0.5, 28);
    expect(low).toBeCloseTo(0.156028, 5);
    expect(high).toBeCloseTo(0.735818, 5);
  });

  it('does not call a -0.75 from six points significant, but does from sixty', () => {
    const few = correlationSignificance(-0.75, 6);
    expect(few.pValue).toBeGreaterThan(0.05);
    expect(impactStrength(-0.75, few.pValue)).toBe('not significant');
    expect(few.interval95[1]).toBeGreaterThan(0);
    const many = correlationSignificance(-0.75, 60);
    expect(impactStrength(-0.75, many.pValue)).toBe('strong');
  });
});

describe('impact wording', () => {
  it("uses the guide's thresholds once significant", () => {
    expect(impactStrength(-0.71, 0.001)).toBe('strong');
    expect(impactStrength(0.7, 0.001)).toBe('moderate');
    expect(impactStrength(0.41, 0.01)).toBe('moderate');
    expect(impactStrength(-0.4, 0.01)).toBe('weak');
    expect(impactStrength(0.9, 0.05)).toBe('not significant');
    expect(describeImpact('strong', -0.72, 'business_conversion_rate')).toBe('Strong negative impact on business_conversion_rate');
    expect(describeImpact('weak', 0.2, 'revenue')).toBe('Weak correlation with revenue');
  });
});

describe('linearRegression', () => {
  it("matches Anscombe's published fit", () => {
    const fit = linearRegression(anscombeX, anscombeY);
    expect(fit.slope).toBeCloseTo(0.500091, 5);
    expect(fit.intercept).toBeCloseTo(3.000091, 5);
    expect(fit.rSquared).toBeCloseTo(0.666542, 5);
  });
});

describe('crossCorrelation', () => {
  it('finds the step at which the second series repeats the first', () => {
    const next = seededRandom(7);
    const technical = Array.from({ length: 200 }, () => next());
    // business[i] = −technical[i − 3]
    const business = technical.map((_, i) => (i >= 3 ? -(technical[i - 3] as number) : Number.NaN));
    const points = crossCorrelation(technical, business, 6, 10);
    expect(points).toHaveLength(7);
    const best = strongestLag(points);
    expect(best?.lagSteps).toBe(3);
    expect(best?.pearson).toBeCloseTo(-1, 12);
    expect(Math.abs(points[0]?.pearson ?? 1)).toBeLessThan(0.2);
  });

  it('drops pairs with a missing side and marks lags with too few pairs', () => {
    const { x, y } = pairsAtLag([1, Number.NaN, 3, 4], [10, 20, Number.NaN, 40], 0);
    expect(x).toEqual([1, 4]);
    expect(y).toEqual([10, 40]);
    expect(crossCorrelation([1, 2, 3], [3, 2, 1], 1, 10).every((p) => Number.isNaN(p.pearson))).toBe(true);
    expect(strongestLag(crossCorrelation([1, 2, 3], [3, 2, 1], 1, 10))).toBeUndefined();
  });
});

describe('effectiveSampleSize', () => {
  it('is about n for white noise and far less for slowly drifting series', () => {
    const next = seededRandom(11);
    const noiseA = Array.from({ length: 2000 }, () => next());
    const noiseB = Array.from({ length: 2000 }, () => next());
    expect(effectiveSampleSize(noiseA, noiseB)).toBeGreaterThan(1800);

    // AR(1) with ρ = 0.9 on both sides: n(1 − 0.81)/(1 + 0.81) ≈ 0.105 n
    const ar = (seed: number) => {
      const rnd = seededRandom(seed);
      const out = [0];
      for (let i = 1; i < 5000; i++) out.push(0.9 * (out[i - 1] as number) + rnd() - 0.5);
      return out;
    };
    const a = ar(1);
    const b = ar(2);
    expect(lag1Autocorrelation(a)).toBeCloseTo(0.9, 1);
    expect(effectiveSampleSize(a, b) / 5000).toBeGreaterThan(0.08);
    expect(effectiveSampleSize(a, b) / 5000).toBeLessThan(0.13);
  });
});
