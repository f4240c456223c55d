// Public surface of @bizmetrics/core: each export by name.

export {
  activeUsersMetric,
  businessCatalog,
  checkoutSteps,
  conversionsMetric,
  featureUsageMetric,
  funnelAbandonedMetric,
  funnelStepMetric,
  orderValueMetric,
  refundsMetric,
  revenueMetric,
  revenuePerMinuteMetric,
  sessionDurationMetric,
  timeToConversionMetric,
} from './catalog/businessCatalog';
export { prometheusName } from './catalog/metricDefinition';
export type { LabelDefinition, MetricDefinition, MetricKind } from './catalog/metricDefinition';
export { assertValidCatalog, findCatalogProblems } from './catalog/validateCatalog';
export type { CatalogProblem } from './catalog/validateCatalog';

export { BusinessMetricsConfigError, RefusedValueError } from './errors';

export { isForbiddenLabelName, listForbiddenLabelNames } from './guard/forbiddenLabels';
export { normalizeLabelValue } from './guard/labelValue';
export type { LabelValuePolicy } from './guard/labelValue';
export { refusalReasonDescriptions } from './guard/refusalReason';
export type { RefusalReason } from './guard/refusalReason';
export { overflowLabelValue } from './guard/seriesTable';

export { BusinessMetrics } from './instruments/businessMetrics';
export type { LabelsOf, MetricNameOf } from './instruments/businessMetrics';
export type { GuardedCounter } from './instruments/guardedCounter';
export type { GuardedGauge } from './instruments/guardedGauge';
export type { GuardedHistogram } from './instruments/guardedHistogram';
export { BoundHistogram, boundHistogramOverflowAttributes, HistogramCell } from './instruments/boundHistogram';
export type { BoundHistogramDescriptor } from './instruments/boundHistogram';

export { businessViews } from './views/businessViews';

export { BoundHistograms } from './export/boundHistogramExport';
export { createMetricsRuntime } from './export/metricsRuntime';
export type { BusinessMetricsOptions, MetricsRuntime } from './export/metricsRuntime';
export { DEFAULT_EXPORT_TIMEOUT_MILLIS } from './export/otlpExport';
export type { OtlpOptions } from './export/otlpExport';
export { DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, ExportAbandonedError } from './export/boundedShutdown';
export type { ShutdownOptions, ShutdownResult } from './export/boundedShutdown';
export { PrometheusEndpoint } from './export/prometheusEndpoint';
export type { PrometheusOptions } from './export/prometheusEndpoint';
export { setupBusinessMetrics } from './export/setupBusinessMetrics';
export type { BusinessMetricsSetup } from './export/setupBusinessMetrics';

export { BusinessMetricsService, businessMetrics } from './service/businessMetricsService';

export { checkoutFunnel } from './funnel/checkoutFunnel';
export { defineFunnel, Funnel } from './funnel/defineFunnel';
export type { FunnelCompletion, FunnelOptions, FunnelRuntime, FunnelSession, FunnelSessionContext } from './funnel/defineFunnel';
export type { FunnelAnomalyKind, FunnelOutcome, FunnelStats } from './funnel/funnelSelfMetrics';

export { currencyExponent, isKnownCurrency, iso4217Exponents } from './money/currencyExponents';
export { InvalidAmountError } from './money/invalidAmountError';
export { fromMinorUnits, toMinorUnits } from './money/toMinorUnits';

export { RevenueRecorder } from './revenue/revenueRecorder';
export type { CurrencyOptions, RefundMetadata, RevenueMetadata } from './revenue/revenueRecorder';

export { ActiveUsersTracker } from './activeUsers/activeUsersTracker';
export type { ActiveUsersOptions, ActiveUsersSnapshot } from './activeUsers/activeUsersTracker';
export type { ActiveUserWindow } from './activeUsers/calendarWindows';
export { HyperLogLog } from './activeUsers/hyperLogLog';
