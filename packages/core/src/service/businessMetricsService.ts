import type { businessCatalog } from '../catalog/businessCatalog';
import { createMetricsRuntime, type MetricsRuntime } from '../export/metricsRuntime';
import type { GuardedCounter } from '../instruments/guardedCounter';
import type { GuardedGauge } from '../instruments/guardedGauge';
import type { GuardedHistogram } from '../instruments/guardedHistogram';

type GuideRuntime = Pick<MetricsRuntime<typeof businessCatalog>, 'metrics' | 'getMetrics'>;

interface GuideInstruments {
  readonly funnelStep: GuardedCounter;
  readonly conversions: GuardedCounter;
  readonly timeToConversion: GuardedHistogram;
  readonly revenue: GuardedCounter;
  readonly orderValue: GuardedHistogram;
  readonly featureUsage: GuardedCounter;
  readonly sessionDuration: GuardedHistogram;
  readonly activeUsers: GuardedGauge;
}

/** Stands in for a guide instrument the catalog lacks: every call goes to the typed API, which counts it as unknown_metric. */
function missingInstrument(metrics: GuideRuntime['metrics'], name: string): GuardedCounter & GuardedHistogram & GuardedGauge {
  const refuse = (): void => (metrics as unknown as { count(metric: string): void }).count(name);
  return { addValues: refuse, recordValues: refuse, setValues: refuse, refuse } as unknown as GuardedCounter & GuardedHistogram & GuardedGauge;
}

function secondsSince(start: unknown): number {
  // A start that is not a valid Date yields NaN, which the histogram refuses and counts.
  return start instanceof Date ? (Date.now() - start.getTime()) / 1000 : Number.NaN;
}

/**
 * The guide's `BusinessMetricsService`, method for method, on OpenTelemetry. Code written from the
 * guide runs unchanged; bad values are dropped and counted instead of thrown.
 *
 * @example
 * const metrics = new BusinessMetricsService(); // own provider with a Prometheus reader
 * metrics.recordFunnelStep('cart_view', { source: 'google_ads', deviceType: 'mobile' });
 * const text = await metrics.getMetrics();
 */
export class BusinessMetricsService {
  private runtime: GuideRuntime | undefined;
  private instrumentsCache: GuideInstruments | undefined;

  /** With no runtime, a provider with a Prometheus reader (no server) is created on first use. */
  constructor(runtime?: GuideRuntime) {
    this.runtime = runtime;
  }

  recordFunnelStep(step: string, metadata: { source: string; deviceType: string; experimentVariant?: string }): void {
    this.instruments.funnelStep.addValues(1, [step, metadata?.source, metadata?.deviceType, metadata?.experimentVariant || 'control']);
  }

  recordConversion(type: string, metadata: { source: string; deviceType: string; sessionStartTime: Date }): void {
    const instruments = this.instruments;
    instruments.conversions.addValues(1, [type, metadata?.source, metadata?.deviceType]);
    instruments.timeToConversion.recordValues(secondsSince(metadata?.sessionStartTime), [type]);
  }

  recordRevenue(amountCents: number, metadata: { productCategory: string; paymentMethod: string; region: string }): void {
    const instruments = this.instruments;
    instruments.revenue.addValues(amountCents, [metadata?.productCategory, metadata?.paymentMethod, metadata?.region]);
    instruments.orderValue.recordValues(amountCents, [metadata?.productCategory]);
  }

  recordFeatureUsage(featureName: string, metadata: { userTier: string; isNewUser: boolean }): void {
    this.instruments.featureUsage.addValues(1, [featureName, metadata?.userTier, String(metadata?.isNewUser)]);
  }

  recordSessionEnd(sessionStartTime: Date, metadata: { userTier: string; entryPage: string }): void {
    this.instruments.sessionDuration.recordValues(secondsSince(sessionStartTime), [metadata?.userTier, metadata?.entryPage]);
  }

  updateActiveUsers(window: 'daily' | 'weekly' | 'monthly', counts: Map<string, number>): void {
    const gauge = this.instruments.activeUsers;
    if (window !== 'daily' && window !== 'weekly' && window !== 'monthly') {
      gauge.refuse('invalid_label_value', `window must be daily, weekly or monthly, got ${JSON.stringify(String(window)).slice(0, 40)}`);
      return;
    }
    if (!(counts instanceof Map)) {
      gauge.refuse('invalid_value', 'counts must be a Map of user tier to count');
      return;
    }
    for (const [userTier, count] of counts) gauge.setValues(count, [window, userTier]);
  }

  /** The Prometheus text exposition of everything recorded. */
  async getMetrics(): Promise<string> {
    return this.resolveRuntime().getMetrics();
  }

  private get instruments(): GuideInstruments {
    if (this.instrumentsCache === undefined) {
      const { metrics } = this.resolveRuntime();
      // A custom catalog may lack a guide instrument: its calls are then counted as unknown_metric
      // (thrown in strict mode) instead of a lookup error reaching business code.
      const pick = <T>(name: string, lookup: () => T): T => {
        try {
          return lookup();
        } catch {
          return missingInstrument(metrics, name) as T;
        }
      };
      this.instrumentsCache = {
        funnelStep: pick('business_funnel_step', () => metrics.counter('business_funnel_step')),
        conversions: pick('business_conversions', () => metrics.counter('business_conversions')),
        timeToConversion: pick('business_time_to_conversion_seconds', () => metrics.histogram('business_time_to_conversion_seconds')),
        revenue: pick('business_revenue_cents', () => metrics.counter('business_revenue_cents')),
        orderValue: pick('business_order_value_cents', () => metrics.histogram('business_order_value_cents')),
        featureUsage: pick('business_feature_usage', () => metrics.counter('business_feature_usage')),
        sessionDuration: pick('business_session_duration_seconds', () => metrics.histogram('business_session_duration_seconds')),
        activeUsers: pick('business_active_users', () => metrics.gauge('business_active_users')),
      };
    }
    return this.instrumentsCache;
  }

  private resolveRuntime(): GuideRuntime {
    this.runtime ??= createMetricsRuntime();
    return this.runtime;
  }
}

/** The guide's singleton. Its provider is created on first use, not at import. */
export const businessMetrics = new BusinessMetricsService();
