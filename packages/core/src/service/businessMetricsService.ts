import { activeUsersTrackerFor, type ActiveUsersTracker } from '../activeUsers/activeUsersTracker';
import type { businessCatalog } from '../catalog/businessCatalog';
import { createMetricsRuntime, type MetricsRuntime } from '../export/metricsRuntime';
import type { GuardedCounter } from '../instruments/guardedCounter';
import type { GuardedGauge } from '../instruments/guardedGauge';
import type { GuardedHistogram } from '../instruments/guardedHistogram';
import { revenueRecorderFor, type RefundMetadata, type RevenueMetadata, type RevenueRecorder } from '../revenue/revenueRecorder';

type GuideRuntime = Pick<MetricsRuntime<typeof businessCatalog>, 'metrics' | 'getMetrics'> &
  Partial<Pick<MetricsRuntime<typeof businessCatalog>, 'meterProvider' | 'revenue' | 'activeUsers'>>;

interface GuideInstruments {
  readonly funnelStep: GuardedCounter;
  readonly conversions: GuardedCounter;
  readonly timeToConversion: GuardedHistogram;
  readonly featureUsage: GuardedCounter;
  readonly sessionDuration: GuardedHistogram;
  readonly activeUsers: GuardedGauge;
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

  /**
   * The guide's `recordRevenue`: `amountCents` is an integer in the currency's minor unit (cents for
   * USD, yen for JPY, fils for KWD; see `toMinorUnits`); `currency` defaults to the deployment's
   * `defaultCurrency`. Also feeds the rolling `business_revenue_per_minute_cents` gauge.
   */
  recordRevenue(amountCents: number, metadata: RevenueMetadata): void {
    this.revenue.recordRevenue(amountCents, metadata);
  }

  /** Records a refund, cancellation or chargeback (`reason`) in `business_refunds_cents_total`. */
  recordRefund(amountCents: number, metadata: RefundMetadata): void {
    this.revenue.recordRefund(amountCents, metadata);
  }

  /**
   * Counts `userId` as active today, this ISO week and this month (UTC) in a HyperLogLog sketch per
   * tier, reported as `business_active_users{window,user_tier}`. The id never leaves the process.
   */
  recordActiveUser(userId: string | number, metadata: { userTier: string }): void {
    this.activeUsers.record(userId, metadata?.userTier);
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

  /** The runtime the service records into (created on first use when none was given). */
  get metricsRuntime(): GuideRuntime {
    return this.resolveRuntime();
  }

  /** The revenue recorder (rolling revenue per minute, currencies). */
  get revenue(): RevenueRecorder {
    const runtime = this.resolveRuntime();
    return runtime.revenue ?? revenueRecorderFor(runtime.metrics);
  }

  /** The active-user sketches (`exportSketch`, `mergeSketch`, `estimate`). */
  get activeUsers(): ActiveUsersTracker {
    const runtime = this.resolveRuntime();
    return runtime.activeUsers ?? activeUsersTrackerFor(runtime.metrics);
  }

  private get instruments(): GuideInstruments {
    if (this.instrumentsCache === undefined) {
      const { metrics } = this.resolveRuntime();
      this.instrumentsCache = {
        funnelStep: metrics.counter('business_funnel_step'),
        conversions: metrics.counter('business_conversions'),
        timeToConversion: metrics.histogram('business_time_to_conversion_seconds'),
        featureUsage: metrics.counter('business_feature_usage'),
        sessionDuration: metrics.histogram('business_session_duration_seconds'),
        activeUsers: metrics.gauge('business_active_users'),
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
