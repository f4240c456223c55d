import type { BusinessMetricsRuntime, businessCatalog } from '@bizmetrics/core';

/**
 * What every Express entry point takes: the runtime `setupBusinessMetrics()` returns (with the
 * guide's catalog, whose instruments the adapter records into). Passed explicitly; nothing is
 * looked up elsewhere.
 */
export type BizmetricsRuntime = BusinessMetricsRuntime<typeof businessCatalog>;
