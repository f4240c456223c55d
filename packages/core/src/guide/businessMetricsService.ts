import type { businessCatalog } from '../catalog/businessCatalog';
import type { BusinessMetricsRuntime } from '../runtime/businessMetricsRuntime';
import { setupBusinessMetrics } from '../runtime/setupBusinessMetrics';
import { GuideService } from '../service/guideService';

type GuideRuntime = BusinessMetricsRuntime<typeof businessCatalog>;

/**
 * The guide's `BusinessMetricsService`, method for method, on OpenTelemetry. Code written from the
 * guide runs unchanged (`new BusinessMetricsService()` makes its own runtime, with a Prometheus
 * reader and no server, on first use); bad values are dropped and counted instead of thrown.
 * `setupBusinessMetrics().service` is the same API on that runtime's instruments.
 *
 * @example
 * const metrics = new BusinessMetricsService(); // or new BusinessMetricsService(setupBusinessMetrics({...}))
 * metrics.recordFunnelStep('cart_view', { source: 'google_ads', deviceType: 'mobile' });
 * const text = await metrics.getMetrics();
 */
export class BusinessMetricsService extends GuideService {
  /** `runtime`: where to record, or a function giving it on first use. @default a new runtime, created on first use */
  constructor(runtime?: GuideRuntime | (() => GuideRuntime)) {
    let resolved = typeof runtime === 'function' ? undefined : runtime;
    const lazy = typeof runtime === 'function' ? runtime : setupBusinessMetrics;
    super(() => (resolved ??= lazy()).service.parts);
  }
}
