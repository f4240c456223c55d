import { histogramQuantileValue } from '@bizmetrics/core/queries';
import type { KpiSnapshot } from './kpiSnapshot';
import type { Sample, Scrape } from './scrapeSamples';

/** Labels that identify a series across scrapes (the exporter's scope labels included). */
function seriesKey(labels: Readonly<Record<string, string>>, drop: readonly string[] = []): string {
  return Object.keys(labels)
    .filter((name) => !drop.includes(name))
    .sort()
    .map((name) => `${name}=${labels[name]}`)
    .join(',');
}

/** Increase of every series of `name` between two scrapes, with a counter reset counted from zero (as `increase()` does). */
function increases(older: Scrape, newer: Scrape, name: string): { labels: Readonly<Record<string, string>>; increase: number }[] {
  const before = new Map<string, number>();
  for (const sample of older.get(name) ?? []) before.set(seriesKey(sample.labels), sample.value);
  return (newer.get(name) ?? []).map((sample: Sample) => {
    const previous = before.get(seriesKey(sample.labels)) ?? 0;
    return { labels: sample.labels, increase: sample.value >= previous ? sample.value - previous : sample.value };
  });
}

function sumWhere(list: { labels: Readonly<Record<string, string>>; increase: number }[], match: (labels: Readonly<Record<string, string>>) => boolean): number {
  return list.reduce((total, item) => (match(item.labels) ? total + item.increase : total), 0);
}

function sumBy(list: { labels: Readonly<Record<string, string>>; increase: number }[], label: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const item of list) {
    const key = item.labels[label] ?? '';
    result.set(key, (result.get(key) ?? 0) + item.increase);
  }
  return result;
}

/**
 * The guide's KPIs from two scrapes of `/metrics`, `seconds` apart: the same arithmetic as its
 * PromQL (`rate` = increase / seconds), on counter deltas instead of a TSDB.
 */
export function kpisFromScrapes(older: Scrape, newer: Scrape, seconds: number): KpiSnapshot {
  const steps = increases(older, newer, 'business_funnel_step_total');
  const cartViews = sumWhere(steps, (l) => l['step'] === 'cart_view');
  const confirmed = sumWhere(steps, (l) => l['step'] === 'order_confirmed');
  const errors = sumWhere(steps, (l) => l['step'] === 'checkout_error');
  const conversion = cartViews > 0 ? (confirmed / cartViews) * 100 : undefined;
  const abandoned = sumWhere(increases(older, newer, 'business_funnel_abandoned_total'), (l) => l['funnel'] === 'checkout');

  const revenue = sumBy(increases(older, newer, 'business_revenue_cents_total'), 'region');
  const revenuePerMinuteByRegion: Record<string, number> = {};
  for (const [region, cents] of revenue) if (cents > 0) revenuePerMinuteByRegion[region] = (cents / seconds) * 60;

  // sum by (product_category, le) of the bucket increases, then histogram_quantile(0.5, ...)
  const buckets = new Map<string, Map<number, number>>();
  for (const { labels, increase } of increases(older, newer, 'business_order_value_cents_bucket')) {
    const category = labels['product_category'] ?? '';
    const le = labels['le'] === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels['le']);
    const perCategory = buckets.get(category) ?? new Map<number, number>();
    perCategory.set(le, (perCategory.get(le) ?? 0) + increase);
    buckets.set(category, perCategory);
  }
  const medianOrderValueByCategory: Record<string, number> = {};
  for (const [category, perCategory] of buckets) {
    const median = histogramQuantileValue(0.5, perCategory);
    if (!Number.isNaN(median)) medianOrderValueByCategory[category] = median;
  }
  const orderCount = sumWhere(increases(older, newer, 'business_order_value_cents_count'), () => true);
  const orderSum = sumWhere(increases(older, newer, 'business_order_value_cents_sum'), () => true);

  return {
    basis: `embedded: counter deltas between /metrics scrapes over the last ${Math.round(seconds)} s`,
    conversionRatePercent: conversion,
    cartAbandonmentPercent: conversion === undefined ? undefined : 100 - conversion,
    abandonedSessions: abandoned,
    funnelAbandonmentPercent: cartViews > 0 ? (abandoned / cartViews) * 100 : undefined,
    revenuePerMinuteByRegion,
    medianOrderValueByCategory,
    averageOrderValueCents: orderCount > 0 ? orderSum / orderCount : undefined,
    checkoutErrorsPerMinute: (errors / seconds) * 60,
  };
}
