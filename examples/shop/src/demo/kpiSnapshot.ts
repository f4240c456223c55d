/** The guide's KPIs at one moment, whichever path computed them. Money in cents. */
export interface KpiSnapshot {
  /** How the numbers were computed, e.g. `PromQL on Prometheus` or `/metrics deltas over 60 s`. */
  readonly basis: string;
  /** order_confirmed / cart_view × 100 (the guide's conversion rate); undefined before any cart view. */
  readonly conversionRatePercent: number | undefined;
  /** 100 − conversion rate (the guide's HighCartAbandonment expression). */
  readonly cartAbandonmentPercent: number | undefined;
  /** Sessions the checkout funnel counted as abandoned over the same window (`business_funnel_abandoned_total{funnel="checkout"}`). */
  readonly abandonedSessions: number | undefined;
  /** Those abandoned sessions per cart view × 100: abandonment from the funnel, next to the ratio form. Lags by the funnel timeout. */
  readonly funnelAbandonmentPercent: number | undefined;
  /** Revenue per minute by region (the guide's `sum by (region) (rate(...[5m])) * 60`). */
  readonly revenuePerMinuteByRegion: Readonly<Record<string, number>>;
  /** Median order value by product category (the guide's `histogram_quantile(0.5, ...)`). */
  readonly medianOrderValueByCategory: Readonly<Record<string, number>>;
  /** Mean order value over all categories (sum / count of the order value histogram). */
  readonly averageOrderValueCents: number | undefined;
  /** checkout_error steps per minute. */
  readonly checkoutErrorsPerMinute: number;
  /** Alerts of the guide's rules and their state (stack path only). */
  readonly alerts?: readonly { readonly name: string; readonly state: string }[];
}

function dollars(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

function percent(value: number | undefined): string {
  return value === undefined ? 'n/a (no cart views yet)' : `${value.toFixed(1)} %`;
}

function byKey(values: Readonly<Record<string, number>>, format: (n: number) => string): string {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? 'n/a (no orders yet)' : entries.map(([key, value]) => `${key} ${format(value)}`).join(' · ');
}

function funnelAbandonment(snapshot: KpiSnapshot): string {
  if (snapshot.abandonedSessions === undefined) return 'n/a';
  const share = snapshot.funnelAbandonmentPercent === undefined ? '' : `${snapshot.funnelAbandonmentPercent.toFixed(1)} % of cart views · `;
  return `${share}${Math.round(snapshot.abandonedSessions)} sessions (business_funnel_abandoned_total, idle past the funnel timeout)`;
}

/** The summary block the demo prints. */
export function formatKpis(snapshot: KpiSnapshot, now = new Date()): string {
  const totalPerMinute = Object.values(snapshot.revenuePerMinuteByRegion).reduce((a, b) => a + b, 0);
  const lines = [
    `── KPIs at ${now.toISOString().slice(11, 19)} UTC · ${snapshot.basis}`,
    `  conversion rate      ${percent(snapshot.conversionRatePercent)}   (order_confirmed / cart_view)`,
    `  cart abandonment     ${percent(snapshot.cartAbandonmentPercent)}   (1 − order_confirmed / cart_view)`,
    `  abandoned sessions   ${funnelAbandonment(snapshot)}`,
    `  revenue per minute   ${dollars(totalPerMinute)} total · ${byKey(snapshot.revenuePerMinuteByRegion, dollars)}`,
    `  average order value  ${snapshot.averageOrderValueCents === undefined ? 'n/a (no orders yet)' : dollars(snapshot.averageOrderValueCents)} mean · median by category: ${byKey(snapshot.medianOrderValueByCategory, dollars)}`,
    `  checkout errors      ${snapshot.checkoutErrorsPerMinute.toFixed(1)} per minute`,
  ];
  if (snapshot.alerts !== undefined) {
    lines.push(`  alerts               ${snapshot.alerts.length === 0 ? 'none loaded' : snapshot.alerts.map((a) => `${a.name}: ${a.state}`).join(' · ')}`);
  }
  return lines.join('\n');
}
