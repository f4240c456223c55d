import { BusinessMetricsService, type MetricsRuntime } from '@bizmetrics/core';

/**
 * What the adapter needs from `setupBusinessMetrics()` (or `createMetricsRuntime()`): the typed
 * metrics, the MeterProvider the technical metrics join, and the Prometheus endpoint for `metricsHandler`.
 */
export type BizmetricsRuntime = Pick<MetricsRuntime, 'metrics' | 'meterProvider' | 'prometheus' | 'getMetrics' | 'revenue' | 'activeUsers'> & {
  /** Where the request-duration histogram records without per-request hashing; the SDK histogram is used without it. */
  readonly boundHistograms?: MetricsRuntime['boundHistograms'];
  /** The guide's service; created on the same instruments when missing (e.g. from `createMetricsRuntime`). */
  readonly service?: BusinessMetricsService;
};

const services = new WeakMap<object, BusinessMetricsService>();

/** The guide's service over a runtime's instruments, one per runtime. */
export function serviceOf(runtime: BizmetricsRuntime): BusinessMetricsService {
  if (runtime.service !== undefined) return runtime.service;
  let service = services.get(runtime);
  if (service === undefined) {
    service = new BusinessMetricsService(runtime);
    services.set(runtime, service);
  }
  return service;
}
