import { logGamma, regularizedIncompleteBeta, studentTCdf } from './studentT';

/**
 * [t, degrees of freedom, P(T ≤ t)] computed with mpmath 1.4.1 at 40 significant digits
 * (`betainc(df/2, 1/2, 0, df/(df+t²), regularized=True)/2` for the lower tail), shortest round-trip doubles.
 * Includes non-integer df (the effective sample size is not an integer), tiny tails and df up to
 * Prometheus' 11 000-point limit.
 */
const reference: ReadonlyArray<readonly [number, number, number]> = [
  [-3, 1, 0.10241638234956674],
  [0.5, 1, 0.6475836176504333],
  [-2.5, 2.5, 0.05228498153907769],
  [1.2, 3, 0.8418689426509474],
  [-0.1, 4, 0.4625779204697266],
  [2.015048373, 5, 0.9499999999787542],
  [-4, 7.3, 0.0023811835821635537],
  [2.228138852, 10, 0.9750000000005817],
  [-6, 10, 0.0000660544301773928],
  [-12, 20, 6.79777851294034e-11],
  [2.75, 30, 0.9950000527365344],
  [-1.5, 48.6, 0.07004160113459726],
  [-8, 100, 1.1364324038640403e-12],
  [-30, 250, 4.0693688240993346e-85],
  [0.3, 1000, 0.617880247916378],
  [-5, 2871, 3.0388411464332723e-7],
  [-40, 1948, 3.193915636552975e-256],
  [-3.2, 11000, 0.0006890884197059138],
];

describe('studentTCdf', () => {
  it.each(reference)('t = %p, df = %p matches mpmath to 1e-12 relative', (t, df, expected) => {
    const actual = studentTCdf(t, df);
    expect(Math.abs(actual - expected) / expected).toBeLessThan(1e-12);
  });

  it('stays within 1e-11 far beyond the point limit (df = 10⁶, where the continued fraction loses digits)', () => {
    expect(Math.abs(studentTCdf(1.959963985, 1e6) - 0.9749998613792707) / 0.9749998613792707).toBeLessThan(1e-11);
  });

  it('is symmetric: F(−t) = 1 − F(t)', () => {
    for (const df of [1, 3.5, 40, 900]) for (const t of [0.2, 1.7, 4]) expect(studentTCdf(-t, df) + studentTCdf(t, df)).toBeCloseTo(1, 14);
  });

  it('is 1/2 at 0 and saturates at ±Infinity; NaN for a bad df', () => {
    expect(studentTCdf(0, 7)).toBe(0.5);
    expect(studentTCdf(Infinity, 7)).toBe(1);
    expect(studentTCdf(-Infinity, 7)).toBe(0);
    expect(studentTCdf(1, 0)).toBeNaN();
    expect(studentTCdf(Number.NaN, 3)).toBeNaN();
  });
});

describe('regularizedIncompleteBeta and logGamma', () => {
  it('hits closed forms: I_x(1, b) = 1 − (1−x)^b, I_x(a, 1) = x^a', () => {
    for (const x of [0.01, 0.3, 0.9]) {
      expect(regularizedIncompleteBeta(1, 4.5, x)).toBeCloseTo(1 - (1 - x) ** 4.5, 14);
      expect(regularizedIncompleteBeta(2.5, 1, x)).toBeCloseTo(x ** 2.5, 14);
    }
    expect(regularizedIncompleteBeta(2, 3, 0)).toBe(0);
    expect(regularizedIncompleteBeta(2, 3, 1)).toBe(1);
  });

  it('ln Γ matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      expect(Math.abs(logGamma(n + 1) - Math.log((factorial *= n))) / Math.log(factorial + 1)).toBeLessThan(1e-14);
    }
  });
});
