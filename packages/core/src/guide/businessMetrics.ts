import type { businessCatalog } from '../catalog/businessCatalog';
import type { BusinessMetricsRuntime } from '../runtime/businessMetricsRuntime';
import { setupBusinessMetrics } from '../runtime/setupBusinessMetrics';
import { BusinessMetricsService } from './businessMetricsService';

let runtime: BusinessMetricsRuntime<typeof businessCatalog> | undefined;

/** The runtime behind the guide's singleton: created on first use (of either), not at import. */
export function businessMetricsRuntime(): BusinessMetricsRuntime<typeof businessCatalog> {
  runtime ??= setupBusinessMetrics();
  return runtime;
}

/** The guide's singleton. Its runtime (provider, Prometheus reader) is created on first use, not at import. */
export const businessMetrics = new BusinessMetricsService(businessMetricsRuntime);
