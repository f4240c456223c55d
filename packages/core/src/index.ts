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
export type { LabelDefinition, LabelValueShape, MetricDefinition, MetricKind } from './catalog/metricDefinition';
export { assertValidCatalog, findCatalogProblems } from './catalog/validateCatalog';
export type { CatalogProblem } from './catalog/validateCatalog';

export { BusinessMetricsConfigError, RefusedValueError } from './errors';

export { isForbiddenLabelName, listForbiddenLabelNames } from './catalog/forbiddenLabels';
export { normalizeLabelValue } from './guard/labelValue';
export type { LabelValuePolicy } from './guard/labelValue';
export { refusalReasonDescriptions } from './guard/refusalReason';
export type { PersonalDataRefusal, RefusalReason } from './guard/refusalReason';
export { detectPersonalData, personalDataFamilies, redactedLabelValue } from './guard/personalData';
export type { PersonalDataFamily } from './guard/personalData';
export { FirstComeAdmission, firstComeAdmission } from './guard/admission';
export type { AdmissionFactory, AdmissionPolicy } from './guard/admission';
export { DistinctClientAdmission, distinctClientAdmission } from './guard/distinctClientAdmission';
export type { DistinctClientAdmissionOptions } from './guard/distinctClientAdmission';
export { otherLabelValue, overflowAttributeName, overflowAttributes } from './guard/overflow';
export { SelfCounter } from './selfMetrics/selfCounter';
export type { SelfCounterDescriptor } from './selfMetrics/selfCounter';
export { ExportFailureTally } from './selfMetrics/exportFailures';

export { BusinessMetrics } from './instruments/businessMetrics';
export type { LabelsOf, MetricNameOf } from './instruments/businessMetrics';
export type { GuardedCounter } from './instruments/guardedCounter';
export type { GuardedGauge } from './instruments/guardedGauge';
export type { GuardedHistogram } from './instruments/guardedHistogram';
export { BoundHistogram, HistogramCell } from './instruments/boundHistogram';
export type { GuardContext } from './instruments/guardContext';
export type { BoundHistogramDescriptor } from './instruments/boundHistogram';

export { businessViews, defaultCardinalityLimit } from './views/businessViews';
export { sdkCardinalityLimit } from './views/sdkCardinalityLimit';

export { BoundHistograms } from './export/boundHistogramExport';
export { CountingMetricExporter, DEFAULT_EXPORT_TIMEOUT_MILLIS } from './export/otlpExport';
export type { OtlpOptions } from './export/otlpExport';
export { DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, ExportAbandonedError } from './export/boundedShutdown';
export type { ShutdownOptions, ShutdownResult } from './export/boundedShutdown';
export { PrometheusEndpoint } from './export/prometheusEndpoint';
export type { PrometheusOptions } from './export/prometheusEndpoint';
export { assertSafeListenAddress, isLoopbackHost } from './export/listenAddress';
export type { ListenSafety } from './export/listenAddress';
export { BusinessMetricsRuntime } from './runtime/businessMetricsRuntime';
export type { BusinessMetricsOptions } from './runtime/businessMetricsOptions';
export { setupBusinessMetrics } from './runtime/setupBusinessMetrics';
export type { BusinessMetricsSetup } from './runtime/setupBusinessMetrics';

export { GuideService } from './service/guideService';
export { BusinessMetricsService } from './guide/businessMetricsService';
export { businessMetrics, businessMetricsRuntime } from './guide/businessMetrics';

export { checkoutFunnelDefinition, Funnels } from './funnel/funnels';
export { Funnel } from './funnel/defineFunnel';
export type { FunnelCompletion, FunnelDependencies, FunnelOptions, FunnelSession, FunnelSessionContext } from './funnel/defineFunnel';
export type { FunnelAnomalyKind, FunnelOutcome, FunnelStats } from './funnel/funnelSelfMetrics';
export type {
  FunnelCloseCause,
  FunnelCompletionPayload,
  FunnelSessionLabels,
  FunnelSessions,
  FunnelSessionStore,
  FunnelStoreEvents,
} from './funnel/funnelSessionStore';
export { inProcessFunnelStore } from './funnel/inProcessFunnelStore';

export { currencyExponent, isKnownCurrency, iso4217Exponents } from './money/currencyExponents';
export { InvalidAmountError } from './money/invalidAmountError';
export { fromMinorUnits, toMinorUnits } from './money/toMinorUnits';

export { RevenueRecorder } from './revenue/revenueRecorder';
export type { CurrencyOptions, RefundMetadata, RevenueMetadata } from './revenue/revenueRecorder';

export { ActiveUsersTracker } from './activeUsers/activeUsersTracker';
export type { ActiveUsersOptions, ActiveUsersSnapshot } from './activeUsers/activeUsersTracker';
export type { ActiveUserCount, ActiveUserSketchStore } from './activeUsers/activeUserSketchStore';
export { activeUserWindows, windowStarts } from './activeUsers/calendarWindows';
export type { ActiveUserWindow, WindowStarts } from './activeUsers/calendarWindows';
export { HyperLogLog } from './activeUsers/hyperLogLog';
