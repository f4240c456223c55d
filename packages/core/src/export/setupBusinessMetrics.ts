import type { businessCatalog } from '../catalog/businessCatalog';
import type { MetricDefinition } from '../catalog/metricDefinition';
import { BusinessMetricsService } from '../service/businessMetricsService';
import { createMetricsRuntime, type BusinessMetricsOptions, type MetricsRuntime } from './metricsRuntime';

/** Everything `setupBusinessMetrics` sets up. */
export interface BusinessMetricsSetup<C extends readonly MetricDefinition[] = typeof businessCatalog> extends MetricsRuntime<C> {
  /** The guide's API (`recordFunnelStep`, `recordRevenue`, ...) on the same instruments. */
  readonly service: BusinessMetricsService;
}

/**
 * One call: a MeterProvider with your resource, the catalog's views, a Prometheus endpoint and/or
 * OTLP push, the guarded instruments, and the guide's service on top.
 *
 * @example
 * const bm = setupBusinessMetrics({ serviceName: 'shop', prometheus: { server: true, port: 9464 } });
 * bm.service.recordRevenue(4999, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
 * process.on('SIGTERM', () => void bm.shutdown());
 */
export function setupBusinessMetrics<C extends readonly MetricDefinition[] = typeof businessCatalog>(
  options: BusinessMetricsOptions<C> = {},
): BusinessMetricsSetup<C> {
  const runtime = createMetricsRuntime(options);
  // The guide's methods need the guide's instruments; a custom catalog must include them to use the service.
  const service = new BusinessMetricsService(runtime as unknown as MetricsRuntime<typeof businessCatalog>);
  return { ...runtime, service };
}
