import type { businessCatalog } from '../catalog/businessCatalog';
import type { BusinessMetricsRuntime } from '../runtime/businessMetricsRuntime';
import { setupBusinessMetrics } from '../runtime/setupBusinessMetrics';
import { GuideService } from '../service/guideService';

/**
 * The guide's `BusinessMetricsService`, method for method, on OpenTelemetry. Code written from the
 * guide runs unchanged (`new BusinessMetricsService()` makes its own runtime, with a Prometheus
 * reader and no server, on first use); bad values are dropped and counted instead of thrown.
 *
 * @example
 * const metrics = new BusinessMetricsService(); // or new BusinessMetricsService(setupBusinessMetrics({...}))
 * metrics.recordFunnelStep('cart_view', { source: 'google_ads', deviceType: 'mobile' });
 * const text = await metrics.getMetrics();
 */
export class BusinessMetricsService extends GuideService {
  private readonly holder: { runtime: BusinessMetricsRuntime<typeof businessCatalog> | undefined };

  /** With no runtime, one is created on first use (not at construction). */
  constructor(runtime?: BusinessMetricsRuntime<typeof businessCatalog>) {
    const holder = { runtime };
    super(() => (holder.runtime ??= setupBusinessMetrics()).service.parts);
    this.holder = holder;
  }

  /** The runtime the service records into (created on first use when none was given). */
  get runtime(): BusinessMetricsRuntime<typeof businessCatalog> {
    this.holder.runtime ??= setupBusinessMetrics();
    return this.holder.runtime;
  }
}
