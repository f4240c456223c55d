import { orderValueMetric } from '@bizmetrics/core';
import { ledgerTotals, type LedgerSnapshot } from '../traffic/trafficLedger';
import type { KpiSnapshot } from './kpiSnapshot';

/** One KPI the demo printed, next to what the traffic generator's ledger says it should be. */
export interface KpiAgreement {
  readonly kpi: string;
  readonly ledger: number | undefined;
  readonly prometheus: number | undefined;
  /** `undefined` while the KPI's window is not full (or there is nothing to compare yet). */
  readonly agrees: boolean | undefined;
  /** How agreement is judged, e.g. `±5 %` or `same bucket`. */
  readonly rule: string;
}

/** Relative tolerance of the demo's check (issue: within 5 % once the window is full). */
export const kpiTolerance = 0.05;
const fiveMinutes = 300_000;
const oneHour = 3_600_000;

function close(ledger: number | undefined, prometheus: number | undefined): boolean | undefined {
  if (ledger === undefined || prometheus === undefined) return undefined;
  if (ledger === 0) return Math.abs(prometheus) < 1e-9;
  return Math.abs(prometheus - ledger) / Math.abs(ledger) <= kpiTolerance;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Index of the order-value bucket holding `cents` (the histogram's resolution). */
function bucketOf(cents: number): number {
  const index = orderValueMetric.buckets.findIndex((bound) => cents <= bound);
  return index === -1 ? orderValueMetric.buckets.length : index;
}

/**
 * Each KPI of a Prometheus snapshot against the ledger over the same window, once the run is at least
 * as long as the window: before that, `rate()` over a partly empty window extrapolates each series
 * from its own first sample and the KPI is not yet the window's figure. 1-hour KPIs are compared with
 * the whole ledger, 5-minute ones with the ledger's events of the last 5 minutes. A quantile from
 * histogram buckets is judged by its bucket: finer than the buckets it cannot be right.
 */
export function ledgerKpiAgreement(snapshot: KpiSnapshot, ledger: LedgerSnapshot, runMs: number, now = Date.now()): KpiAgreement[] {
  const totals = ledgerTotals(ledger);
  const rows: KpiAgreement[] = [];
  const hourFull = runMs >= oneHour;
  const add = (kpi: string, ledgerValue: number | undefined, prometheus: number | undefined, full: boolean): void => {
    rows.push({ kpi, ledger: ledgerValue, prometheus, agrees: full ? close(ledgerValue, prometheus) : undefined, rule: `±${kpiTolerance * 100} %` });
  };
  add('conversion rate %', totals.conversionRatePercent, snapshot.conversionRatePercent, hourFull);
  add('cart abandonment %', totals.conversionRatePercent === undefined ? undefined : 100 - totals.conversionRatePercent, snapshot.cartAbandonmentPercent, hourFull);
  add('abandoned sessions', totals.abandoned, snapshot.abandonedSessions, hourFull);
  const cartViews = ledger.steps.cart_view;
  add('funnel abandonment %', cartViews === 0 ? undefined : (totals.abandoned / cartViews) * 100, snapshot.funnelAbandonmentPercent, hourFull);
  add('average order value', totals.orders === 0 ? undefined : totals.revenueCents / totals.orders, snapshot.averageOrderValueCents, hourFull);

  const fiveFull = runMs >= fiveMinutes;
  const recentRevenue = ledger.orders.filter((order) => order.at > now - fiveMinutes).reduce((sum, order) => sum + order.amountCents, 0);
  const revenuePerMinute = Object.values(snapshot.revenuePerMinuteByRegion).reduce((a, b) => a + b, 0);
  add('revenue per minute', recentRevenue / 5, revenuePerMinute, fiveFull);
  const recentErrors = ledger.checkoutErrorTimes.filter((at) => at > now - fiveMinutes).length;
  add('checkout errors per minute', recentErrors / 5, snapshot.checkoutErrorsPerMinute, fiveFull);

  const byCategory = new Map<string, number[]>();
  for (const order of ledger.orders) byCategory.set(order.category, [...(byCategory.get(order.category) ?? []), order.amountCents]);
  for (const [category, amounts] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) {
    const ledgerMedian = median(amounts);
    const estimate = snapshot.medianOrderValueByCategory[category];
    rows.push({
      kpi: `median order value ${category}`,
      ledger: ledgerMedian,
      prometheus: estimate,
      agrees: hourFull && ledgerMedian !== undefined && estimate !== undefined ? bucketOf(ledgerMedian) === bucketOf(estimate) : undefined,
      rule: 'same bucket',
    });
  }
  return rows;
}

/** The side-by-side block the demo prints. */
export function formatAgreement(rows: readonly KpiAgreement[]): string {
  const value = (n: number | undefined): string => (n === undefined ? 'n/a' : n.toFixed(2));
  const verdict = (row: KpiAgreement): string => (row.agrees === undefined ? 'window not full' : row.agrees ? `agrees (${row.rule})` : `DISAGREES (${row.rule})`);
  return [
    '  ledger vs Prometheus',
    ...rows.map((row) => `    ${row.kpi.padEnd(34)} ledger ${value(row.ledger).padStart(12)}  Prometheus ${value(row.prometheus).padStart(12)}  ${verdict(row)}`),
  ].join('\n');
}
