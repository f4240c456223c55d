import type { ActiveUsersTracker } from '../activeUsers/activeUsersTracker';
import type { RefusalReason } from '../guard/refusalReason';
import type { RefundMetadata, RevenueMetadata, RevenueRecorder } from '../revenue/revenueRecorder';

/** A counter as the guide's methods use it (a `GuardedCounter`, or a stand-in for a missing one). */
export interface GuideCounter {
  addValues(value: number, values: readonly unknown[]): void;
}
/** A histogram as the guide's methods use it. */
export interface GuideHistogram {
  recordValues(value: number, values: readonly unknown[]): void;
}
/** A gauge as the guide's methods use it. */
export interface GuideGauge {
  setValues(value: number, values: readonly unknown[]): void;
  refuse(reason: RefusalReason, detail: string): void;
}

/** What the guide's service records into, handed over by the runtime. */
export interface GuideParts {
  readonly funnelStep: GuideCounter;
  readonly conversions: GuideCounter;
  readonly timeToConversion: GuideHistogram;
  readonly featureUsage: GuideCounter;
  readonly sessionDuration: GuideHistogram;
  readonly activeUsersGauge: GuideGauge;
  readonly revenue: RevenueRecorder | undefined;
  readonly activeUsers: ActiveUsersTracker | undefined;
  /** Counts a call whose metric the catalog lacks as `unknown_metric` (thrown in strict mode). */
  refuseUnknown(name: string): void;
  /** The Prometheus text exposition of the runtime. */
  getMetrics(): Promise<string>;
}

/** Stands in for a guide instrument the catalog lacks: every call is counted as unknown_metric. */
export class MissingInstrument implements GuideCounter, GuideHistogram, GuideGauge {
  constructor(
    private readonly name: string,
    private readonly refuseUnknown: (name: string) => void,
  ) {}

  addValues(): void {
    this.refuseUnknown(this.name);
  }

  recordValues(): void {
    this.refuseUnknown(this.name);
  }

  setValues(): void {
    this.refuseUnknown(this.name);
  }

  refuse(): void {
    this.refuseUnknown(this.name);
  }
}

function secondsSince(start: unknown): number {
  // A start that is not a valid Date yields NaN, which the histogram refuses and counts.
  return start instanceof Date ? (Date.now() - start.getTime()) / 1000 : Number.NaN;
}

/**
 * The guide's `BusinessMetricsService` methods, on OpenTelemetry (`bm.service`; the public
 * `BusinessMetricsService` class adds the guide's no-argument constructor). Bad values are
 * dropped and counted instead of thrown.
 *
 * @example
 * const metrics = setupBusinessMetrics().service;
 * metrics.recordFunnelStep('cart_view', { source: 'google_ads', deviceType: 'mobile' });
 * const text = await metrics.getMetrics();
 */
export class GuideService {
  private partsCache: GuideParts | undefined;

  /** `parts`, or a function that makes them on first use (the guide's singleton creates its runtime lazily). */
  constructor(private readonly source: GuideParts | (() => GuideParts)) {}

  recordFunnelStep(step: string, metadata: { source: string; deviceType: string; experimentVariant?: string }): void {
    this.parts.funnelStep.addValues(1, [step, metadata?.source, metadata?.deviceType, metadata?.experimentVariant || 'control']);
  }

  recordConversion(type: string, metadata: { source: string; deviceType: string; sessionStartTime: Date }): void {
    const parts = this.parts;
    parts.conversions.addValues(1, [type, metadata?.source, metadata?.deviceType]);
    parts.timeToConversion.recordValues(secondsSince(metadata?.sessionStartTime), [type]);
  }

  /**
   * The guide's `recordRevenue`: `amountCents` is an integer in the currency's minor unit (cents for
   * USD, yen for JPY, fils for KWD; see `toMinorUnits`); `currency` defaults to the deployment's
   * `defaultCurrency`. Also feeds the rolling `business_revenue_per_minute_cents` gauge.
   */
  recordRevenue(amountCents: number, metadata: RevenueMetadata): void {
    const revenue = this.parts.revenue;
    if (revenue === undefined) this.countMissing('business_revenue_cents', 'business_order_value_cents');
    else revenue.recordRevenue(amountCents, metadata);
  }

  /** Records a refund, cancellation or chargeback (`reason`) in `business_refunds_cents_total`. */
  recordRefund(amountCents: number, metadata: RefundMetadata): void {
    const revenue = this.parts.revenue;
    if (revenue === undefined) this.countMissing('business_refunds_cents');
    else revenue.recordRefund(amountCents, metadata);
  }

  /**
   * Counts `userId` as active today, this ISO week and this month (UTC) in a HyperLogLog sketch per
   * tier, reported as `business_active_users{window,user_tier}`. The id never leaves the process.
   */
  recordActiveUser(userId: string | number, metadata: { userTier: string }): void {
    const activeUsers = this.parts.activeUsers;
    if (activeUsers === undefined) this.countMissing('business_active_users');
    else activeUsers.record(userId, metadata?.userTier);
  }

  recordFeatureUsage(featureName: string, metadata: { userTier: string; isNewUser: boolean }): void {
    this.parts.featureUsage.addValues(1, [featureName, metadata?.userTier, String(metadata?.isNewUser)]);
  }

  recordSessionEnd(sessionStartTime: Date, metadata: { userTier: string; entryPage: string }): void {
    this.parts.sessionDuration.recordValues(secondsSince(sessionStartTime), [metadata?.userTier, metadata?.entryPage]);
  }

  updateActiveUsers(window: 'daily' | 'weekly' | 'monthly', counts: Map<string, number>): void {
    const gauge = this.parts.activeUsersGauge;
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
    return this.parts.getMetrics();
  }

  /** The revenue recorder (rolling revenue per minute, currencies); `undefined` when the catalog lacks revenue metrics. */
  get revenue(): RevenueRecorder | undefined {
    return this.parts.revenue;
  }

  /** The active-user sketches (`exportSketch`, `mergeSketch`, `estimate`); `undefined` when the catalog lacks them. */
  get activeUsers(): ActiveUsersTracker | undefined {
    return this.parts.activeUsers;
  }

  /** A guide call whose instruments the catalog lacks: counted as unknown_metric (thrown in strict mode). */
  private countMissing(...names: string[]): void {
    for (const name of names) this.parts.refuseUnknown(name);
  }

  /** What the service records into (resolved on first use). */
  get parts(): GuideParts {
    if (this.partsCache === undefined) this.partsCache = typeof this.source === 'function' ? this.source() : this.source;
    return this.partsCache;
  }
}
