/**
 * PromQL builders for the guide's queries, parameterised by series name and extra matchers, so that
 * recording rules, alerts, dashboard panels, docs, the demo and the tests write each query once.
 * `scope` adds matchers (a dashboard passes `job=~"$service"`).
 */

/** `metric{a="b", c=~"d"}` (no braces when there are no matchers). */
export function selector(metric: string, matchers: readonly string[] = []): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

/** Indents every non-empty line (two spaces by default). */
export function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : by + line))
    .join('\n');
}

/** `sum(rate(funnel{step="<step>"}[window]))` */
export function funnelStepRate(funnel: string, step: string, window: string, scope: readonly string[] = []): string {
  return `sum(rate(${selector(funnel, [`step="${step}"`, ...scope])}[${window}]))`;
}

/** Funnel steps per minute, e.g. checkout errors (`step="checkout_error"`). */
export function funnelStepsPerMinute(funnel: string, step: string, window = '5m', scope: readonly string[] = []): string {
  return `${funnelStepRate(funnel, step, window, scope)} * 60`;
}

/**
 * Conversion rate (ratio, not percent) over `window`. Two guards the guide's form lacks: no purchase
 * series yet (fresh process) counts as 0 instead of hiding the result, and a zero cart-view rate
 * yields no sample instead of NaN/+Inf.
 */
export function conversionRatio(funnel: string, window = '1h', scope: readonly string[] = []): string {
  return [
    `(${funnelStepRate(funnel, 'order_confirmed', window, scope)} or vector(0))`,
    '/',
    `(${funnelStepRate(funnel, 'cart_view', window, scope)} > 0)`,
  ].join('\n');
}

/** Cart abandonment ratio: 1 - conversion. */
export function cartAbandonmentRatio(funnel: string, window = '1h', scope: readonly string[] = []): string {
  return `1 - (\n${indent(conversionRatio(funnel, window, scope))}\n)`;
}

/**
 * Sessions the session funnel counted as abandoned over `window` (idle past its timeout, ended or
 * evicted): the funnel's own count, next to the guide's ratio form `cartAbandonmentRatio`.
 */
export function funnelAbandonedSessions(abandoned: string, funnel: string, window = '1h', scope: readonly string[] = []): string {
  return `sum(increase(${selector(abandoned, [`funnel="${funnel}"`, ...scope])}[${window}]))`;
}

/** Abandoned sessions in percent of cart views over `window`. */
export function funnelAbandonmentPercent(abandoned: string, steps: string, funnel: string, window = '1h', scope: readonly string[] = []): string {
  return `sum(rate(${selector(abandoned, [`funnel="${funnel}"`, ...scope])}[${window}])) / ${funnelStepRate(steps, 'cart_view', window, scope)} * 100`;
}

/** Revenue per minute by region, in cents (the guide's query). */
export function revenuePerMinuteByRegion(revenue: string, window = '5m', scope: readonly string[] = []): string {
  return `sum by (region) (rate(${selector(revenue, scope)}[${window}])) * 60`;
}

/** `histogram_quantile(q, sum by (<by>, le) (rate(<histogram>_bucket[window])))` */
export function histogramQuantile(
  histogram: string,
  quantile: number,
  by: readonly string[],
  window: string,
  scope: readonly string[] = [],
): string {
  const groups = [...by, 'le'].join(', ');
  return `histogram_quantile(${quantile},\n  sum by (${groups}) (\n    rate(${selector(`${histogram}_bucket`, scope)}[${window}])\n  )\n)`;
}

/** Mean of a histogram (sum / count), empty instead of NaN when nothing was observed. */
export function histogramMean(histogram: string, by: readonly string[], window: string, scope: readonly string[] = []): string {
  const groups = by.length === 0 ? '' : ` by (${by.join(', ')})`;
  return [
    `sum${groups} (rate(${selector(`${histogram}_sum`, scope)}[${window}]))`,
    '/',
    `(sum${groups} (rate(${selector(`${histogram}_count`, scope)}[${window}])) > 0)`,
  ].join('\n');
}

/**
 * New-user feature adoption by feature (ratio). This is the adoption-query fix: the guide divides
 * `sum(...) by (feature_name)` by a `sum(...)` without labels, and PromQL's one-to-one matching
 * pairs nothing, so the guide's query returns no series at all. `ignoring(feature_name) group_left()`
 * matches every feature to the one total.
 */
export function newUserFeatureAdoption(featureUsage: string, window = '24h', scope: readonly string[] = []): string {
  const newUsers = selector(featureUsage, ['is_new_user="true"', ...scope]);
  return [
    `sum by (feature_name) (rate(${newUsers}[${window}]))`,
    // `group_left()`: with a bare `group_left` the parser would read the parenthesised divisor as its label list.
    '/ ignoring(feature_name) group_left()',
    `(sum(rate(${newUsers}[${window}])) > 0)`,
  ].join('\n');
}

/**
 * Active users by window and tier across instances: `max`, never `sum`. With the shared (Redis)
 * sketch store every instance reports the same global distinct count, so `max` is that count and
 * `sum` would multiply it by the number of instances. With per-process sketches the value is right
 * for one instance only: `max` is then a lower bound and `sum` an upper bound of the true count.
 */
export function activeUsersByWindowAndTier(activeUsers: string, scope: readonly string[] = []): string {
  return `max by (window, user_tier) (${selector(activeUsers, scope)})`;
}
