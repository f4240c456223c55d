import { ledgerSteps, ledgerTotals, type LedgerSnapshot } from '../traffic/trafficLedger';

/** One line of the ledger-versus-Prometheus table. */
export interface ComparisonRow {
  readonly name: string;
  readonly promql: string;
  readonly ledger: number;
  /** Undefined when Prometheus has no sample. */
  readonly prometheus: number | undefined;
  /** Relative tolerance: 0 for exact. */
  readonly tolerance: number;
  readonly ok: boolean;
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Instant query; throws with Prometheus' error text. */
export async function instantQuery(prometheusUrl: string, promql: string): Promise<VectorSample[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as { status: string; error?: string; data?: { result: VectorSample[] } };
  if (body.status !== 'success') throw new Error(`Prometheus refused ${promql}: ${body.error ?? response.status}`);
  return body.data?.result ?? [];
}

/** The value of a one-sample query, or undefined when empty. */
export async function scalarQuery(prometheusUrl: string, promql: string): Promise<number | undefined> {
  const [sample] = await instantQuery(prometheusUrl, promql);
  return sample === undefined ? undefined : Number(sample.value[1]);
}

/** Values of a query by one label. */
export async function queryByLabel(prometheusUrl: string, promql: string, label: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const sample of await instantQuery(prometheusUrl, promql)) out[sample.metric[label] ?? ''] = Number(sample.value[1]);
  return out;
}

/** What one comparison asks Prometheus, what the ledger says, and how close they must be. */
interface Check {
  readonly name: string;
  readonly promql: string;
  /** Label to read a value of, for `by (...)` queries. */
  readonly label?: string;
  readonly key?: string;
  readonly ledger: number;
  readonly tolerance: number;
}

/** Business totals: sums over every instance of the cumulative counters (last value of each series). */
export function ledgerChecks(ledger: LedgerSnapshot, options: { withAbandonment: boolean }): Check[] {
  const totals = ledgerTotals(ledger);
  const checks: Check[] = [];
  for (const step of ledgerSteps) {
    checks.push({ name: `funnel step ${step}`, promql: 'sum by (step) (business_funnel_step_total)', label: 'step', key: step, ledger: ledger.steps[step], tolerance: 0 });
  }
  const milestones = ledger.milestones['first_chart_created'] ?? 0;
  checks.push({ name: 'funnel step milestone_first_chart_created', promql: 'sum by (step) (business_funnel_step_total)', label: 'step', key: 'milestone_first_chart_created', ledger: milestones, tolerance: 0 });
  checks.push(
    { name: 'orders (purchase conversions)', promql: 'sum(business_conversions_total{conversion_type="purchase"})', ledger: totals.orders, tolerance: 0 },
    { name: 'orders (order value count)', promql: 'sum(business_order_value_cents_count)', ledger: totals.orders, tolerance: 0 },
    { name: 'time to conversion count', promql: 'sum(business_time_to_conversion_seconds_count)', ledger: totals.orders, tolerance: 0 },
    { name: 'revenue, cents', promql: 'sum(business_revenue_cents_total)', ledger: totals.revenueCents, tolerance: 0 },
    { name: 'order value sum, cents', promql: 'sum(business_order_value_cents_sum)', ledger: totals.revenueCents, tolerance: 0 },
    { name: 'refunds, cents', promql: 'sum(business_refunds_cents_total)', ledger: totals.refundsCents, tolerance: 0 },
  );
  for (const [region, cents] of Object.entries(totals.revenueByRegion)) {
    checks.push({ name: `revenue ${region}, cents`, promql: 'sum by (region) (business_revenue_cents_total)', label: 'region', key: region, ledger: cents, tolerance: 0 });
  }
  if (totals.conversionRatePercent !== undefined) {
    checks.push({
      name: 'conversion rate, %',
      promql: 'sum(business_funnel_step_total{step="order_confirmed"}) / sum(business_funnel_step_total{step="cart_view"}) * 100',
      ledger: totals.conversionRatePercent,
      tolerance: 1e-9,
    });
  }
  for (const [feature, count] of Object.entries(ledger.featureUsage)) {
    checks.push({ name: `feature usage ${feature}`, promql: 'sum by (feature_name) (business_feature_usage_total)', label: 'feature_name', key: feature, ledger: count, tolerance: 0 });
  }
  checks.push({ name: 'session ends', promql: 'sum(business_session_duration_seconds_count)', ledger: ledger.sessionEnds.count, tolerance: 0 });
  // One global value per tier, reported by every replica: max over instances, never a sum.
  for (const [tier, count] of Object.entries(totals.activeUsersByTier)) {
    checks.push({ name: `active users ${tier} (daily)`, promql: 'max by (user_tier) (business_active_users{window="daily"})', label: 'user_tier', key: tier, ledger: count, tolerance: 0.02 });
  }
  if (options.withAbandonment) {
    checks.push({ name: 'abandoned sessions', promql: 'sum(business_funnel_abandoned_total)', ledger: totals.abandoned, tolerance: 0.02 });
  }
  return checks;
}

function within(ledger: number, prometheus: number | undefined, tolerance: number): boolean {
  if (prometheus === undefined) return false;
  if (tolerance === 0) return prometheus === ledger;
  if (ledger === 0) return Math.abs(prometheus) <= tolerance;
  return Math.abs(prometheus - ledger) / Math.abs(ledger) <= tolerance;
}

/** Asks Prometheus every check of `ledgerChecks` (one query per distinct PromQL). */
export async function compareWithLedger(prometheusUrl: string, ledger: LedgerSnapshot, options: { withAbandonment: boolean }): Promise<ComparisonRow[]> {
  const checks = ledgerChecks(ledger, options);
  const answers = new Map<string, Promise<VectorSample[]>>();
  for (const check of checks) if (!answers.has(check.promql)) answers.set(check.promql, instantQuery(prometheusUrl, check.promql));
  const rows: ComparisonRow[] = [];
  for (const check of checks) {
    const samples = await answers.get(check.promql)!;
    const sample = check.label === undefined ? samples[0] : samples.find((s) => s.metric[check.label!] === check.key);
    const prometheus = sample === undefined ? undefined : Number(sample.value[1]);
    rows.push({ name: check.name, promql: check.promql, ledger: check.ledger, prometheus, tolerance: check.tolerance, ok: within(check.ledger, prometheus, check.tolerance) });
  }
  return rows;
}

/** The table as Markdown (for logs and the closing note). */
export function formatComparison(rows: readonly ComparisonRow[]): string {
  const number = (n: number | undefined): string => (n === undefined ? 'no data' : Number.isInteger(n) ? String(n) : n.toFixed(3));
  const lines = ['| quantity | ledger | Prometheus | allowed | ok |', '|---|---:|---:|---:|:--:|'];
  for (const row of rows) {
    lines.push(`| ${row.name} | ${number(row.ledger)} | ${number(row.prometheus)} | ${row.tolerance === 0 ? 'exact' : row.tolerance < 1e-6 ? 'exact (float)' : `±${row.tolerance * 100} %`} | ${row.ok ? 'yes' : 'NO'} |`);
  }
  return lines.join('\n');
}
