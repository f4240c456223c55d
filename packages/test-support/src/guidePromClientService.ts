// A prom-client 15 implementation of the guide's `BusinessMetricsService` API, written by us as the
// reference that tests and benchmarks compare @bizmetrics/core with: the same class and method names,
// the same metric names, help texts, labels and buckets, each instrument registered once in its own
// registry. It does what a team would write with prom-client alone, and nothing more (no guards).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Funnel, conversion and revenue context, as the guide's API takes it. */
export interface FunnelContext {
  source: string;
  deviceType: string;
  experimentVariant?: string;
}

/** A fresh registry with the guide's instruments, and a service writing to it. */
export function createGuidePromClientService() {
  const registry = new Registry();
  const counter = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers: [registry] });
  const histogram = (name: string, help: string, labelNames: string[], buckets: number[]) =>
    new Histogram({ name, help, labelNames, buckets, registers: [registry] });
  const gauge = (name: string, help: string, labelNames: string[]) => new Gauge({ name, help, labelNames, registers: [registry] });

  const funnelSteps = counter('business_funnel_step_total', 'Counts progression through conversion funnel steps', ['step', 'source', 'device_type', 'experiment_variant']);
  const conversionCounter = counter('business_conversions_total', 'Total number of completed conversions', ['conversion_type', 'source', 'device_type']);
  const timeToConversion = histogram('business_time_to_conversion_seconds', 'Time elapsed from session start to conversion', ['conversion_type'], [30, 60, 120, 300, 600, 1800, 3600]);
  const revenue = counter('business_revenue_cents_total', 'Total revenue in cents to avoid floating point issues', ['product_category', 'payment_method', 'region']);
  const orderValue = histogram('business_order_value_cents', 'Distribution of order values in cents', ['product_category'], [500, 1000, 2500, 5000, 10000, 25000, 50000]);
  // Part of the guide's metric set although its service never sets it: registered so both expositions list it.
  gauge('business_revenue_per_minute_cents', 'Rolling revenue per minute calculation', ['region']);
  const featureUsage = counter('business_feature_usage_total', 'Counts of feature interactions by users', ['feature_name', 'user_tier', 'is_new_user']);
  const sessionDuration = histogram('business_session_duration_seconds', 'Duration of user sessions', ['user_tier', 'entry_page'], [10, 30, 60, 120, 300, 600, 1800, 3600]);
  const activeUsers = gauge('business_active_users', 'Number of active users in the given time window', ['window', 'user_tier']);

  const secondsSince = (start: Date): number => (Date.now() - start.getTime()) / 1000;

  class BusinessMetricsService {
    recordFunnelStep(step: string, context: FunnelContext): void {
      funnelSteps.inc({ step, source: context.source, device_type: context.deviceType, experiment_variant: context.experimentVariant || 'control' });
    }

    recordConversion(type: string, context: { source: string; deviceType: string; sessionStartTime: Date }): void {
      conversionCounter.inc({ conversion_type: type, source: context.source, device_type: context.deviceType });
      timeToConversion.observe({ conversion_type: type }, secondsSince(context.sessionStartTime));
    }

    recordRevenue(amountCents: number, order: { productCategory: string; paymentMethod: string; region: string }): void {
      revenue.inc({ product_category: order.productCategory, payment_method: order.paymentMethod, region: order.region }, amountCents);
      orderValue.observe({ product_category: order.productCategory }, amountCents);
    }

    recordFeatureUsage(featureName: string, user: { userTier: string; isNewUser: boolean }): void {
      featureUsage.inc({ feature_name: featureName, user_tier: user.userTier, is_new_user: String(user.isNewUser) });
    }

    recordSessionEnd(sessionStartTime: Date, session: { userTier: string; entryPage: string }): void {
      sessionDuration.observe({ user_tier: session.userTier, entry_page: session.entryPage }, secondsSince(sessionStartTime));
    }

    updateActiveUsers(window: 'daily' | 'weekly' | 'monthly', countsByTier: Map<string, number>): void {
      for (const [userTier, count] of countsByTier) activeUsers.set({ window, user_tier: userTier }, count);
    }

    async getMetrics(): Promise<string> {
      return registry.metrics();
    }
  }

  return { service: new BusinessMetricsService(), registry, conversionCounter };
}
