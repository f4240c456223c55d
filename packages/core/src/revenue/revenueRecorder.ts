import { BusinessMetricsConfigError } from '../errors';
import { firstComeAdmission, type AdmissionFactory, type AdmissionPolicy } from '../guard/admission';
import { defaultLabelValuePolicy, normalizeLabelValue } from '../guard/labelValue';
import { checkMeasurement } from '../guard/valueCheck';
import type { GuardedCounter } from '../instruments/guardedCounter';
import type { GuardedGauge } from '../instruments/guardedGauge';
import type { GuardedHistogram } from '../instruments/guardedHistogram';
import { isKnownCurrency } from '../money/currencyExponents';
import { RollingMinute } from './rollingMinute';

/** Currency settings of a deployment. */
export interface CurrencyOptions {
  /**
   * ISO 4217 code of amounts recorded without a `currency`; it becomes the `currency` label value.
   * One currency per deployment keeps the guide's sums (`sum by (region) (rate(business_revenue_cents_total[5m]))`) meaningful.
   * @default 'USD'
   */
  defaultCurrency?: string;
  /**
   * Currencies a call may name. Amounts in any other currency are dropped and counted
   * (`bizmetrics_refused_values_total{reason="invalid_label_value"}`): convert them first.
   * Listing several means every revenue query must `sum by (currency)`.
   * @default [defaultCurrency]
   */
  acceptedCurrencies?: readonly string[];
  /**
   * Regions tracked by the in-process revenue-per-minute gauge; more are dropped from the gauge
   * (the revenue counter still counts them, up to its own series cap).
   * @default 1000
   */
  maxRevenueRegions?: number;
  /** Monotonic milliseconds for the rolling window; tests pass a fake. @default performance.now */
  clock?: () => number;
}

/** Labels of a revenue record: the guide's three plus an optional ISO 4217 `currency`. */
export interface RevenueMetadata {
  productCategory: string;
  paymentMethod: string;
  region: string;
  /** ISO 4217 code; must be in `acceptedCurrencies`. @default defaultCurrency */
  currency?: string;
}

/** Labels of a refund, cancellation or chargeback. */
export interface RefundMetadata extends RevenueMetadata {
  /** Why the money went back, e.g. `refund`, `cancellation`, `chargeback`. @default 'refund' */
  reason?: string;
}

/** The instruments a revenue recorder records into (the runtime hands them over). */
export interface RevenueInstruments {
  readonly revenue: GuardedCounter;
  readonly orderValue: GuardedHistogram;
  readonly perMinute: GuardedGauge;
  /** `undefined` when the catalog lacks `business_refunds_cents`: refunds are then counted as unknown. */
  readonly refunds: GuardedCounter | undefined;
}

interface RegionWindow {
  readonly ring: RollingMinute;
  readonly labelValues: readonly [string, string];
}

/** Checks currency options at set-up; throws `BusinessMetricsConfigError` with what to change. */
export function resolveCurrencyOptions(options: CurrencyOptions): { defaultCurrency: string; accepted: ReadonlySet<string> } {
  const defaultCurrency = options.defaultCurrency ?? 'USD';
  if (!isKnownCurrency(defaultCurrency)) {
    throw new BusinessMetricsConfigError(
      `bizmetrics: defaultCurrency must be an upper-case ISO 4217 code with a minor unit (e.g. "USD", "EUR", "JPY"), got ${JSON.stringify(defaultCurrency)}`,
    );
  }
  const accepted = new Set(options.acceptedCurrencies ?? [defaultCurrency]);
  accepted.add(defaultCurrency);
  for (const code of accepted) {
    if (!isKnownCurrency(code)) {
      throw new BusinessMetricsConfigError(`bizmetrics: acceptedCurrencies has ${JSON.stringify(code)}, which is not an ISO 4217 code with a minor unit`);
    }
  }
  const maxRegions = options.maxRevenueRegions;
  if (maxRegions !== undefined && (!Number.isSafeInteger(maxRegions) || maxRegions < 1)) {
    throw new BusinessMetricsConfigError(`bizmetrics: maxRevenueRegions must be a positive integer, got ${String(maxRegions)}`);
  }
  return { defaultCurrency, accepted };
}

/**
 * Records revenue and refunds in the currency's minor unit, with the `currency` label, and keeps the
 * in-process revenue per minute (`business_revenue_per_minute_cents{region,currency}`) over a rolling
 * 60-second window: one ring of 60 one-second buckets per region and currency, refreshed at each
 * collection so the gauge falls to zero a minute after the last sale.
 */
export class RevenueRecorder {
  readonly defaultCurrency: string;
  private readonly accepted: ReadonlySet<string>;
  private readonly clock: () => number;
  private readonly maxRegions: number;
  private readonly regions: AdmissionPolicy;
  // Windows by normalised region and currency (one per gauge series), and an alias map from the
  // raw region spelling so the hot path skips normalisation; both bounded by maxRegions.
  private readonly windows = new Map<string, RegionWindow>();
  private readonly windowsByRaw = new Map<string, RegionWindow>();
  private readonly revenue: GuardedCounter;
  private readonly orderValue: GuardedHistogram;
  private readonly perMinute: GuardedGauge;
  private readonly refundsCounter: GuardedCounter | undefined;

  constructor(instruments: RevenueInstruments, options: CurrencyOptions = {}, admission: AdmissionFactory = firstComeAdmission) {
    const { defaultCurrency, accepted } = resolveCurrencyOptions(options);
    this.defaultCurrency = defaultCurrency;
    this.accepted = accepted;
    this.clock = options.clock ?? (() => performance.now());
    this.maxRegions = options.maxRevenueRegions ?? 1000;
    this.regions = admission(this.maxRegions);
    this.revenue = instruments.revenue;
    this.orderValue = instruments.orderValue;
    this.perMinute = instruments.perMinute;
    this.refundsCounter = instruments.refunds;
    this.perMinute.onCollect(() => this.refreshGauge());
  }

  /** The guide's `recordRevenue`: adds to revenue, the order-value histogram and the rolling minute. */
  recordRevenue(amountMinor: number, metadata: RevenueMetadata): void {
    const currency = this.currencyOf(metadata, this.revenue);
    if (currency === undefined) return;
    const category = metadata?.productCategory;
    this.revenue.addValues(amountMinor, [category, metadata?.paymentMethod, metadata?.region, currency]);
    this.orderValue.recordValues(amountMinor, [category, currency]);
    // Invalid amounts were refused (and counted) by the counter above; keep them out of the window too.
    if (checkMeasurement(amountMinor, 'integer') === undefined) this.addToWindow(metadata?.region, currency, amountMinor);
  }

  /** Adds to `business_refunds_cents_total`; net revenue is revenue minus refunds in PromQL. */
  recordRefund(amountMinor: number, metadata: RefundMetadata): void {
    const refunds = this.refunds();
    if (refunds === undefined) return;
    const currency = this.currencyOf(metadata, refunds);
    if (currency === undefined) return;
    refunds.addValues(amountMinor, [metadata?.productCategory, metadata?.paymentMethod, metadata?.region, metadata?.reason, currency]);
  }

  /** Revenue of the last 60 seconds for one region, in minor units (what the gauge reports). */
  revenuePerMinute(region: string, currency: string = this.defaultCurrency): number {
    const normalized = normalizeLabelValue(region, 'unknown', defaultLabelValuePolicy);
    const window = normalized.ok ? this.windows.get(`${normalized.value}\u0001${currency}`) : undefined;
    return window === undefined ? 0 : window.ring.total(this.second());
  }

  private currencyOf(metadata: { currency?: string } | undefined, instrument: GuardedCounter): string | undefined {
    const currency = metadata?.currency;
    if (currency === undefined || currency === this.defaultCurrency) return this.defaultCurrency;
    if (this.accepted.has(currency)) return currency;
    instrument.refuse(
      'invalid_label_value',
      `currency ${JSON.stringify(String(currency)).slice(0, 20)} is not in acceptedCurrencies; convert to ${this.defaultCurrency} first or accept it`,
    );
    return undefined;
  }

  private addToWindow(region: unknown, currency: string, amount: number): void {
    if (typeof region !== 'string') return;
    const rawKey = `${region}\u0001${currency}`;
    let window = this.windowsByRaw.get(rawKey);
    if (window === undefined) {
      window = this.windowFor(region, currency);
      if (window === undefined) return;
      if (this.windowsByRaw.size < this.maxRegions * 4) this.windowsByRaw.set(rawKey, window);
    }
    window.ring.add(this.second(), amount);
  }

  private windowFor(region: string, currency: string): RegionWindow | undefined {
    // Same cleaning as the gauge's labels, so " eu" and "eu" share one window and one series.
    const normalized = normalizeLabelValue(region, 'unknown', defaultLabelValuePolicy);
    if (!normalized.ok) return undefined; // the revenue counter has already refused and counted it
    const key = `${normalized.value}\u0001${currency}`;
    let window = this.windows.get(key);
    if (window === undefined) {
      if (!this.regions.admit(key)) return undefined;
      window = { ring: new RollingMinute(), labelValues: [normalized.value, currency] };
      this.windows.set(key, window);
    }
    return window;
  }

  private refreshGauge(): void {
    const second = this.second();
    for (const window of this.windows.values()) this.perMinute.setValues(window.ring.total(second), window.labelValues);
  }

  private second(): number {
    return Math.floor(this.clock() / 1000);
  }

  private refunds(): GuardedCounter | undefined {
    if (this.refundsCounter === undefined) this.revenue.refuse('unknown_metric', 'business_refunds_cents is not in the catalog');
    return this.refundsCounter;
  }
}
