import { funnelAbandonedMetric, funnelStepMetric, orderValueMetric, prometheusName } from '@bizmetrics/core';
import { funnelAbandonedSessions, funnelAbandonmentPercent, funnelStepsPerMinute, guideQueries as guide, histogramMean } from '@bizmetrics/core/queries';
import type { KpiSnapshot } from './kpiSnapshot';

/** The guide's queries as the guide prints them, from the one module every consumer imports. */
export const guideQueries = {
  conversionRate: guide.conversionRatePercent,
  revenuePerMinuteByRegion: guide.revenuePerMinuteByRegion,
  medianOrderValueByCategory: guide.medianOrderValueByCategory,
  cartAbandonment: guide.cartAbandonmentRatio,
  // Not in the guide: the mean next to its median, and the checkout errors its alert description names.
  averageOrderValue: histogramMean(orderValueMetric.name, [], '1h'),
  checkoutErrorsPerMinute: funnelStepsPerMinute(prometheusName(funnelStepMetric), 'checkout_error', '5m'),
  // Not in the guide: abandonment as the session funnel counts it (sessions idle past its timeout), next to the ratio form.
  abandonedSessions: funnelAbandonedSessions(prometheusName(funnelAbandonedMetric), 'checkout', '1h'),
  funnelAbandonmentPercent: funnelAbandonmentPercent(prometheusName(funnelAbandonedMetric), prometheusName(funnelStepMetric), 'checkout', '1h'),
} as const;

interface VectorResult {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(prometheusUrl: string, promql: string): Promise<VectorResult[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result: VectorResult[] } };
  if (body.status !== 'success') throw new Error(`Prometheus refused ${promql}: ${body.error ?? response.status}`);
  return body.data?.result ?? [];
}

function finite(text: string | undefined): number | undefined {
  const value = Number(text);
  return text === undefined || !Number.isFinite(value) ? undefined : value;
}

function byLabel(results: VectorResult[], label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const result of results) {
    const value = finite(result.value[1]);
    if (value !== undefined) out[result.metric[label] ?? ''] = value;
  }
  return out;
}

/** The guide's KPIs from a real Prometheus, through its HTTP API, plus the state of the guide's alerts. */
export async function kpisFromPrometheus(prometheusUrl: string): Promise<KpiSnapshot> {
  const [conversion, revenue, median, abandonment, average, errors, abandonedSessions, funnelAbandonment] = await Promise.all([
    query(prometheusUrl, guideQueries.conversionRate),
    query(prometheusUrl, guideQueries.revenuePerMinuteByRegion),
    query(prometheusUrl, guideQueries.medianOrderValueByCategory),
    query(prometheusUrl, guideQueries.cartAbandonment),
    query(prometheusUrl, guideQueries.averageOrderValue),
    query(prometheusUrl, guideQueries.checkoutErrorsPerMinute),
    query(prometheusUrl, guideQueries.abandonedSessions),
    query(prometheusUrl, guideQueries.funnelAbandonmentPercent),
  ]);
  const rules = await fetch(`${prometheusUrl}/api/v1/rules?type=alert`).then(
    (r) => r.json() as Promise<{ data?: { groups?: { rules?: { name: string; state: string }[] }[] } }>,
  );
  const alerts = (rules.data?.groups ?? []).flatMap((group) => group.rules ?? []).map((rule) => ({ name: rule.name, state: rule.state }));
  const abandonmentRatio = finite(abandonment[0]?.value[1]);
  return {
    basis: 'stack: the guide\'s PromQL on Prometheus (scraping the collector, fed by OTLP)',
    conversionRatePercent: finite(conversion[0]?.value[1]),
    cartAbandonmentPercent: abandonmentRatio === undefined ? undefined : abandonmentRatio * 100,
    // No series before the first abandonment is exported (or while it is still 0 everywhere): none yet.
    abandonedSessions: finite(abandonedSessions[0]?.value[1]) ?? 0,
    funnelAbandonmentPercent: finite(funnelAbandonment[0]?.value[1]),
    revenuePerMinuteByRegion: byLabel(revenue, 'region'),
    medianOrderValueByCategory: byLabel(median, 'product_category'),
    averageOrderValueCents: finite(average[0]?.value[1]),
    checkoutErrorsPerMinute: finite(errors[0]?.value[1]) ?? 0,
    alerts,
  };
}
