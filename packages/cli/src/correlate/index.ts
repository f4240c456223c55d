// Public surface of the correlation feature: each export by name.

export { correlateMetrics, DEFAULT_MIN_POINTS } from './correlateMetrics';
export type { CorrelateOptions } from './correlateMetrics';
export type { CorrelationReport, ReportedMetric } from './correlationReport';
export { CorrelateError } from './correlateError';
export type { CorrelateErrorCode } from './correlateError';
export { formatReport } from './formatReport';
export type { MetricSpec } from './metricSpec';
export { correlationPresets, isCorrelationPresetName } from './presets';
export type { CorrelationPreset, CorrelationPresetName } from './presets';
export { queryRange } from './prometheusClient';
export type { PrometheusAuth, PrometheusClientOptions, RangeQuery, RangeResult, RangeSeries } from './prometheusClient';
export { parsePromDuration } from './promDuration';

export { crossCorrelation, strongestLag } from './statistics/crossCorrelation';
export type { LagPoint } from './statistics/crossCorrelation';
export { effectiveSampleSize } from './statistics/effectiveSampleSize';
export { describeImpact, impactStrength } from './statistics/impactStrength';
export type { ImpactStrength } from './statistics/impactStrength';
export { linearRegression } from './statistics/linearRegression';
export type { LinearFit } from './statistics/linearRegression';
export { pearson } from './statistics/pearson';
export { averageRanks } from './statistics/rank';
export { correlationPValue, correlationSignificance, fisherInterval95 } from './statistics/significance';
export type { Significance } from './statistics/significance';
export { spearman } from './statistics/spearman';
