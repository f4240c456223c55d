import type { CorrelationReport } from './correlationReport';
import { formatReport } from './formatReport';

function report(overrides: Partial<CorrelationReport> = {}): CorrelationReport {
  return {
    technical: { query: 'up', name: 'up', unit: '' },
    business: { query: 'sum(orders)', name: 'orders', unit: '' },
    window: { start: '2026-11-20T00:00:00Z', end: '2026-11-21T00:00:00Z', stepSeconds: 300, maxLagSeconds: 0 },
    points: { expected: 289, technical: 280, business: 289, aligned: 280, dropped: 9 },
    lag: { seconds: 0, steps: 0, tested: 1 },
    correlation: {
      pearson: -0.75,
      spearman: -0.7,
      n: 12,
      effectiveN: 12,
      pValue: 0.005,
      pValueAdjusted: 0.005,
      interval95: [-0.93, -0.31],
      significant: true,
      strength: 'strong',
      summary: 'Strong negative impact on orders',
    },
    atZeroLag: { pearson: -0.75, spearman: -0.7, n: 12 },
    crossCorrelation: [{ lagSeconds: 0, pairs: 12, pearson: -0.75 }],
    warnings: [],
    ...overrides,
  };
}

describe('formatReport', () => {
  it('says when the lag search is off and shows no impact line without an estimate', () => {
    const text = formatReport(report());
    expect(text).toContain('Strongest at no lag (lag search off)');
    expect(text).toContain('confidence  p = 0.005 (n = 12, effective n ≈ 12)');
    expect(text).toContain('95% CI [-0.93, -0.31]');
    expect(text).not.toContain('Impact:');
    expect(text).not.toContain('at lag 0');
  });

  it('marks a non-significant coefficient as indistinguishable from noise and prints warnings', () => {
    const base = report();
    const text = formatReport(
      report({
        correlation: { ...base.correlation, pValueAdjusted: 0.3, significant: false, strength: 'not significant', summary: 'No significant correlation with orders' },
        lag: { seconds: 600, steps: 2, tested: 7 },
        window: { ...base.window, maxLagSeconds: 1800 },
        warnings: ['both series are strongly autocorrelated'],
      }),
    );
    expect(text).toContain('Strongest at business 10m behind technical (searched 0–30m)');
    expect(text).toContain('p = 0.005, p = 0.3 after testing 7 lags');
    expect(text).toContain('Verdict: No significant correlation with orders (the data cannot tell this coefficient from noise)');
    expect(text).toContain('Warning: both series are strongly autocorrelated');
  });
});
