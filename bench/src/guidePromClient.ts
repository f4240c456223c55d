// The guide's `business-metrics.ts` (prom-client 15), copied from
// /work/shared/reference/business-metrics-guide.md. The only changes: the module-level registry and
// metrics are built inside `createGuidePromClientService()` so a bench can own a fresh registry, and
// the counters are returned too so a bench can time one of them alone. Method bodies are verbatim.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export function createGuidePromClientService() {
  const businessMetricsRegistry = new Registry();

  const funnelStepCounter = new Counter({
    name: 'business_funnel_step_total',
    help: 'Counts progression through conversion funnel steps',
    labelNames: ['step', 'source', 'device_type', 'experiment_variant'],
    registers: [businessMetricsRegistry],
  });
  const conversionCounter = new Counter({
    name: 'business_conversions_total',
    help: 'Total number of completed conversions',
    labelNames: ['conversion_type', 'source', 'device_type'],
    registers: [businessMetricsRegistry],
  });
  const timeToConversionHistogram = new Histogram({
    name: 'business_time_to_conversion_seconds',
    help: 'Time elapsed from session start to conversion',
    labelNames: ['conversion_type'],
    buckets: [30, 60, 120, 300, 600, 1800, 3600],
    registers: [businessMetricsRegistry],
  });
  const revenueCounter = new Counter({
    name: 'business_revenue_cents_total',
    help: 'Total revenue in cents to avoid floating point issues',
    labelNames: ['product_category', 'payment_method', 'region'],
    registers: [businessMetricsRegistry],
  });
  const orderValueHistogram = new Histogram({
    name: 'business_order_value_cents',
    help: 'Distribution of order values in cents',
    labelNames: ['product_category'],
    buckets: [500, 1000, 2500, 5000, 10000, 25000, 50000],
    registers: [businessMetricsRegistry],
  });
  // Declared by the guide but never set by its service; kept so the registry matches.
  new Gauge({
    name: 'business_revenue_per_minute_cents',
    help: 'Rolling revenue per minute calculation',
    labelNames: ['region'],
    registers: [businessMetricsRegistry],
  });
  const featureUsageCounter = new Counter({
    name: 'business_feature_usage_total',
    help: 'Counts of feature interactions by users',
    labelNames: ['feature_name', 'user_tier', 'is_new_user'],
    registers: [businessMetricsRegistry],
  });
  const sessionDurationHistogram = new Histogram({
    name: 'business_session_duration_seconds',
    help: 'Duration of user sessions',
    labelNames: ['user_tier', 'entry_page'],
    buckets: [10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [businessMetricsRegistry],
  });
  const activeUsersGauge = new Gauge({
    name: 'business_active_users',
    help: 'Number of active users in the given time window',
    labelNames: ['window', 'user_tier'],
    registers: [businessMetricsRegistry],
  });

  class BusinessMetricsService {
    recordFunnelStep(step: string, metadata: { source: string; deviceType: string; experimentVariant?: string }): void {
      funnelStepCounter.inc({
        step,
        source: metadata.source,
        device_type: metadata.deviceType,
        experiment_variant: metadata.experimentVariant || 'control',
      });
    }

    recordConversion(type: string, metadata: { source: string; deviceType: string; sessionStartTime: Date }): void {
      conversionCounter.inc({
        conversion_type: type,
        source: metadata.source,
        device_type: metadata.deviceType,
      });
      const timeToConversion = (Date.now() - metadata.sessionStartTime.getTime()) / 1000;
      timeToConversionHistogram.observe({ conversion_type: type }, timeToConversion);
    }

    recordRevenue(amountCents: number, metadata: { productCategory: string; paymentMethod: string; region: string }): void {
      revenueCounter.inc(
        {
          product_category: metadata.productCategory,
          payment_method: metadata.paymentMethod,
          region: metadata.region,
        },
        amountCents,
      );
      orderValueHistogram.observe({ product_category: metadata.productCategory }, amountCents);
    }

    recordFeatureUsage(featureName: string, metadata: { userTier: string; isNewUser: boolean }): void {
      featureUsageCounter.inc({
        feature_name: featureName,
        user_tier: metadata.userTier,
        is_new_user: String(metadata.isNewUser),
      });
    }

    recordSessionEnd(sessionStartTime: Date, metadata: { userTier: string; entryPage: string }): void {
      const duration = (Date.now() - sessionStartTime.getTime()) / 1000;
      sessionDurationHistogram.observe(
        {
          user_tier: metadata.userTier,
          entry_page: metadata.entryPage,
        },
        duration,
      );
    }

    updateActiveUsers(window: 'daily' | 'weekly' | 'monthly', counts: Map<string, number>): void {
      for (const [userTier, count] of counts) {
        activeUsersGauge.set({ window, user_tier: userTier }, count);
      }
    }

    async getMetrics(): Promise<string> {
      return businessMetricsRegistry.metrics();
    }
  }

  return { service: new BusinessMetricsService(), registry: businessMetricsRegistry, conversionCounter };
}
