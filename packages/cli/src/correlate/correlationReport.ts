import type { ImpactStrength } from './statistics/impactStrength';

/** One side of the report. */
export interface ReportedMetric {
  query: string;
  name: string;
  unit: string;
}

/** The result of `correlateMetrics`, also what `bizmetrics correlate --json` prints. */
export interface CorrelationReport {
  technical: ReportedMetric;
  business: ReportedMetric;
  window: {
    /** ISO 8601, first evaluation timestamp. */
    start: string;
    /** ISO 8601, last evaluation timestamp. */
    end: string;
    stepSeconds: number;
    maxLagSeconds: number;
  };
  points: {
    /** Evaluation timestamps in the window. */
    expected: number;
    /** Timestamps with a finite technical value. */
    technical: number;
    /** Timestamps with a finite business value. */
    business: number;
    /** Timestamps where both sides have a value (lag 0). */
    aligned: number;
    /** Expected timestamps lost to gaps, staleness, NaN or Inf on either side (lag 0). */
    dropped: number;
  };
  /** Delay at which the business series follows the technical one most closely. */
  lag: {
    seconds: number;
    steps: number;
    /** Lags tried: 0, step, 2·step, ... up to maxLag. */
    tested: number;
  };
  /** Statistics at the strongest lag. */
  correlation: {
    pearson: number;
    spearman: number;
    /** Pairs at this lag. */
    n: number;
    /** Independent-equivalent pairs once autocorrelation is accounted for (Bartlett); used for p and the interval. */
    effectiveN: number;
    /** Two-sided p-value of "no correlation", t-test with effectiveN − 2 df. */
    pValue: number;
    /** pValue × lags tested (Bonferroni), because the lag was picked as the best of several. */
    pValueAdjusted: number;
    /** 95% interval of the Pearson coefficient (Fisher z, effectiveN). */
    interval95: [number, number];
    significant: boolean;
    strength: ImpactStrength;
    /** The guide's sentence: "Strong negative impact on conversion rate". */
    summary: string;
  };
  /** Lag 0, for comparison with the strongest lag. */
  atZeroLag: { pearson: number; spearman: number; n: number };
  /** Pearson r for every lag tried. */
  crossCorrelation: Array<{ lagSeconds: number; pairs: number; pearson: number }>;
  /** Least-squares business = intercept + slope · technical at the strongest lag; only when significant. */
  impact?: {
    /** Business units (after scale) per technical unit (after scale). */
    slope: number;
    intercept: number;
    rSquared: number;
    /** Median technical value (display units), the "baseline" the statement refers to. */
    baselineTechnical: number;
    /** Business value the fit predicts at the baseline (display units). */
    baselineBusiness: number;
    /** "conversion rate falls 0.8 points per 100 ms of p99 latency above baseline (…)". */
    statement: string;
  };
  /** Warnings from Prometheus and from the analysis. */
  warnings: string[];
}
