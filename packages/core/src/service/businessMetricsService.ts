import type { ActiveUsersTracker } from '../activeUsers/activeUsersTracker';
import type { businessCatalog } from '../catalog/businessCatalog';
import { createMetricsRuntime, type MetricsRuntime } from '../export/metricsRuntime';
import type { GuardedCounter } from '../instruments/guardedCounter';
import type { GuardedGauge } from '../instruments/guardedGauge';
import type { GuardedHistogram } from '../instruments/guardedHistogram';
import type { RefundMetadata, RevenueMetadata, RevenueRecorder } from '../revenue/revenueRecorder';

type GuideRuntime = Pick<MetricsRuntime<typeof businessCatalog>, 'metrics' | 'getMetrics' | 'revenue' | 'activeUsers'> &
  Partial<Pick<MetricsRuntime<typeof businessCatalog>, 'meterProvider'>>;

interface GuideInstruments {
  readonly funnelStep: GuardedCounter;
  readonly conversions: GuardedCounter;
  readonly timeToConversion: GuardedHistogram;
  readonly featureUsage: GuardedCounter;
  readonly sessionDuration: GuardedHistogram;
  readonly activeUsers: GuardedGauge;
}

/** Counts a guide call whose metric the catalog lacks: the typed API records it as unknown_metric (thrown in strict mode). */
function countUnknown(metrics: GuideRuntime['metrics'], name: string): void {
  (metrics as unknown as { count(metric: string): void }).count(name);
}

/** Stands in for a guide instrument the catalog lacks: every call is counted by `countUnknown`. */
function missingInstrument(metrics: GuideRuntime['metrics'], name: string): GuardedCounter & GuardedHistogram & GuardedGauge {
  const refuse = (): void => countUnknown(metrics, name);
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

  /**
   * The guide's `recordRevenue`: `amountCents` is an integer in the currency's minor unit (cents for
   * USD, yen for JPY, fils for KWD; see `toMinorUnits`); `currency` defaults to the deployment's
   * `defaultCurrency`. Also feeds the rolling `business_revenue_per_minute_cents` gauge.
   */
  recordRevenue(amountCents: number, metadata: RevenueMetadata): void {
    const revenue = this.revenue;
    if (revenue === undefined) this.countMissing('business_revenue_cents', 'business_order_value_cents');
    else revenue.recordRevenue(amountCents, metadata);
  }

  /** Records a refund, cancellation or chargeback (`reason`) in `business_refunds_cents_total`. */
  recordRefund(amountCents: number, metadata: RefundMetadata): void {
    const revenue = this.revenue;
    if (revenue === undefined) this.countMissing('business_refunds_cents');
    else revenue.recordRefund(amountCents, metadata);
  }

  /**
   * Counts `userId` as active today, this ISO week and this month (UTC) in a HyperLogLog sketch per
   * tier, reported as `business_active_users{window,user_tier}`. The id never leaves the process.
   */
  recordActiveUser(userId: string | number, metadata: { userTier: string }): void {
    const activeUsers = this.activeUsers;
    if (activeUsers === undefined) this.countMissing('business_active_users');
    else activeUsers.record(userId, metadata?.userTier);
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

  /** The revenue recorder (rolling revenue per minute, currencies); `undefined` when the catalog lacks revenue metrics. */
  get revenue(): RevenueRecorder | undefined {
    return this.resolveRuntime().revenue;
  }

  /** The active-user sketches (`exportSketch`, `mergeSketch`, `estimate`); `undefined` when the catalog lacks them. */
  get activeUsers(): ActiveUsersTracker | undefined {
    return this.resolveRuntime().activeUsers;
  }

  /** A guide call whose instruments the catalog lacks: counted as unknown_metric (thrown in strict mode). */
  private countMissing(...names: string[]): void {
    const { metrics } = this.resolveRuntime();
    for (const name of names) countUnknown(metrics, name);
  }

  private get instruments(): GuideInstruments {
    if (this.instrumentsCache === undefined) {
      const { metrics } = this.resolveRuntime();
      // A custom catalog may lack a guide instrument: its calls are then counted as unknown_metric
      // (thrown in strict mode) instead of a lookup error reaching business code.
      const declared = new Set<string>(metrics.catalog.map((definition) => definition.name));
      const pick = <T>(name: string, lookup: () => T): T => (declared.has(name) ? lookup() : (missingInstrument(metrics, name) as T));
      this.instrumentsCache = {
        funnelStep: pick('business_funnel_step', () => metrics.counter('business_funnel_step')),
        conversions: pick('business_conversions', () => metrics.counter('business_conversions')),
        timeToConversion: pick('business_time_to_conversion_seconds', () => metrics.histogram('business_time_to_conversion_seconds')),
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
