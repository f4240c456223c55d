import { businessCatalog } from '../catalog/businessCatalog';
import type { MetricDefinition } from '../catalog/metricDefinition';
import type { BusinessMetricsOptions } from './businessMetricsOptions';
import { BusinessMetricsRuntime } from './businessMetricsRuntime';

/** What `setupBusinessMetrics` returns: the runtime (one shape, this is its name at the call site). */
export type BusinessMetricsSetup<C extends readonly MetricDefinition[] = typeof businessCatalog> = BusinessMetricsRuntime<C>;

/**
 * One call: a MeterProvider with your resource, the catalog's views, a Prometheus endpoint and/or
 * OTLP push, the guarded instruments, revenue, active users, funnels and the guide's service, all
 * in one runtime object.
 *
 * @example
 * const bm = setupBusinessMetrics({ serviceName: 'shop', prometheus: { server: true, port: 9464 } });
 * bm.service.recordRevenue(4999, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
 * const checkout = bm.funnels.checkout();
 * process.on('SIGTERM', () => void bm.shutdown());
 */
export function setupBusinessMetrics(options?: BusinessMetricsOptions<typeof businessCatalog>): BusinessMetricsRuntime<typeof businessCatalog>;
export function setupBusinessMetrics<C extends readonly MetricDefinition[]>(options: BusinessMetricsOptions<C> & { catalog: C }): BusinessMetricsRuntime<C>;
export function setupBusinessMetrics<C extends readonly MetricDefinition[]>(
  options: BusinessMetricsOptions<C> = {},
): BusinessMetricsRuntime<C> | BusinessMetricsRuntime<typeof businessCatalog> {
  const { catalog, ...rest } = options;
  return catalog === undefined ? new BusinessMetricsRuntime(businessCatalog, rest) : new BusinessMetricsRuntime(catalog, options);
}
