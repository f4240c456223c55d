// The guide's PromQL queries and alert expressions, verbatim, against a real Prometheus scraping a
// real node:http app that serves the @bizmetrics/core scrape handler.
//
// How the numbers can be exact: rate() divides a counter's increase inside the window by the window
// and scales it by an extrapolation factor f that depends only on the sample timestamps and on
// first-value / increase (Prometheus extrapolates at most to where the counter would have been 0).
// So the whole guide sequence is recorded once before Prometheus starts (every series exists and
// is scraped at value v0) and once more in one synchronous burst after 3 scrapes (every series then
// goes v0 -> 2*v0). All series of the app share the scrape timestamps and the ratio v0/increase = 1,
// hence the same f: ratios of sums of rates (conversion rate, abandonment, adoption shares) and
// histogram_quantile (invariant to scaling the buckets) equal what the sequence gives by hand, to
// rounding. The absolute revenue per minute is (increase * 60 / 300) * f; f is computed from the
// stored sample timestamps with Prometheus 2.42's extrapolatedRate rules and checked to 1e-9, and f
// itself is checked to lie in [1, 1 + 2.2 * scrape interval / sampled interval].
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupBusinessMetrics, type BusinessMetricsRuntime, type businessCatalog } from '../../src/index';

type BusinessMetricsSetup = BusinessMetricsRuntime<typeof businessCatalog>;
import {
  queryInstantVector,
  queryRangeVector,
  queryScalarValue,
  startPrometheus,
  waitUntil,
  type InstantSample,
  type RunningPrometheus,
} from '@bizmetrics/test-support';
import { startHttpServer, type LoopbackHttpServer } from '../support/startHttpServer';

jest.setTimeout(120_000);

const fixtures = join(__dirname, '..', 'fixtures', 'guide');
// The guide's "Example Prometheus Queries" block, verbatim; queries are separated by blank lines
// and keep their `#` comment lines (PromQL comments).
const exampleQueries = readFileSync(join(fixtures, 'example-queries.promql'), 'utf8').trim().split(/\n\s*\n/);
const alertRules = readFileSync(join(fixtures, 'prometheus-alerts.yml'), 'utf8');

function exampleQuery(title: string): string {
  const query = exampleQueries.find((q) => q.startsWith(`# ${title}`));
  if (query === undefined) throw new Error(`no guide query titled ${title}`);
  return query;
}

/** The `expr: |` block of each alert in the guide's rule file, verbatim. */
function alertExpressions(yaml: string): Map<string, string> {
  const result = new Map<string, string>();
  const lines = yaml.split('\n');
  let alert: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const name = /^\s*- alert: (\S+)/.exec(line);
    if (name) alert = name[1];
    if (alert !== undefined && /^\s*expr: \|\s*$/.test(line)) {
      const indent = /^\s*/.exec(lines[i + 1] ?? '')?.[0].length ?? 0;
      const body: string[] = [];
      for (let j = i + 1; j < lines.length && ((lines[j] as string).trim() === '' || /^\s*/.exec(lines[j] as string)![0].length >= indent); j++) {
        body.push((lines[j] as string).slice(indent));
      }
      result.set(alert, body.join('\n').trim());
    }
  }
  return result;
}

// ---- The event sequence (recorded twice, see above) ----

const funnel: { step: string; source: string; deviceType: string; count: number }[] = [
  { step: 'cart_view', source: 'google_ads', deviceType: 'mobile', count: 40 },
  { step: 'cart_view', source: 'google_ads', deviceType: 'desktop', count: 20 },
  { step: 'cart_view', source: 'newsletter', deviceType: 'mobile', count: 15 },
  { step: 'cart_view', source: 'direct', deviceType: 'desktop', count: 25 },
  { step: 'shipping_info', source: 'google_ads', deviceType: 'mobile', count: 22 },
  { step: 'shipping_info', source: 'direct', deviceType: 'desktop', count: 18 },
  { step: 'payment_info', source: 'google_ads', deviceType: 'mobile', count: 14 },
  { step: 'payment_info', source: 'direct', deviceType: 'desktop', count: 11 },
  { step: 'order_review', source: 'google_ads', deviceType: 'mobile', count: 9 },
  { step: 'order_review', source: 'newsletter', deviceType: 'mobile', count: 4 },
  { step: 'order_confirmed', source: 'google_ads', deviceType: 'mobile', count: 4 },
  { step: 'order_confirmed', source: 'google_ads', deviceType: 'desktop', count: 3 },
  { step: 'order_confirmed', source: 'newsletter', deviceType: 'mobile', count: 2 },
  { step: 'order_confirmed', source: 'direct', deviceType: 'desktop', count: 3 },
  { step: 'checkout_error', source: 'direct', deviceType: 'mobile', count: 5 },
];

const orders: { cents: number; category: string; payment: string; region: string }[] = [
  { cents: 1200, category: 'books', payment: 'card', region: 'eu' },
  { cents: 4800, category: 'books', payment: 'paypal', region: 'eu' },
  { cents: 30000, category: 'electronics', payment: 'card', region: 'us_west' },
  { cents: 9000, category: 'apparel', payment: 'card', region: 'us_west' },
  { cents: 2000, category: 'apparel', payment: 'invoice', region: 'us_east' },
  { cents: 700, category: 'books', payment: 'card', region: 'us_east' },
  { cents: 15000, category: 'electronics', payment: 'paypal', region: 'eu' },
  { cents: 60000, category: 'electronics', payment: 'card', region: 'us_west' },
];

const featureUses: { feature: string; tier: string; isNewUser: boolean; count: number }[] = [
  { feature: 'dashboard_export', tier: 'pro', isNewUser: true, count: 6 },
  { feature: 'dashboard_export', tier: 'free', isNewUser: true, count: 2 },
  { feature: 'report_builder', tier: 'pro', isNewUser: true, count: 3 },
  { feature: 'search', tier: 'free', isNewUser: true, count: 9 },
  { feature: 'dashboard_export', tier: 'pro', isNewUser: false, count: 30 },
  { feature: 'search', tier: 'enterprise', isNewUser: false, count: 50 },
];

// Durations stay clear of bucket boundaries, so the milliseconds a replay takes never move one.
const sessions: { seconds: number; tier: string; entryPage: string }[] = [
  { seconds: 45, tier: 'pro', entryPage: '/dashboard' },
  { seconds: 200, tier: 'pro', entryPage: '/dashboard' },
  { seconds: 700, tier: 'pro', entryPage: '/' },
  { seconds: 1500, tier: 'pro', entryPage: '/reports' },
  { seconds: 2000, tier: 'pro', entryPage: '/' },
  { seconds: 15, tier: 'free', entryPage: '/' },
  { seconds: 25, tier: 'free', entryPage: '/pricing' },
  { seconds: 90, tier: 'free', entryPage: '/' },
  { seconds: 4000, tier: 'enterprise', entryPage: '/' },
];

function replaySequence(bm: BusinessMetricsSetup): void {
  const service = bm.service;
  const ago = (seconds: number): Date => new Date(Date.now() - seconds * 1000);
  for (const event of funnel) {
    for (let i = 0; i < event.count; i++) {
      service.recordFunnelStep(event.step, { source: event.source, deviceType: event.deviceType, experimentVariant: 'control' });
      if (event.step === 'order_confirmed') {
        service.recordConversion('purchase', { source: event.source, deviceType: event.deviceType, sessionStartTime: ago(400) });
      }
    }
  }
  for (const order of orders) {
    service.recordRevenue(order.cents, { productCategory: order.category, paymentMethod: order.payment, region: order.region });
  }
  for (const use of featureUses) {
    for (let i = 0; i < use.count; i++) service.recordFeatureUsage(use.feature, { userTier: use.tier, isNewUser: use.isNewUser });
  }
  for (const session of sessions) service.recordSessionEnd(ago(session.seconds), { userTier: session.tier, entryPage: session.entryPage });
  service.updateActiveUsers('daily', new Map([['pro', 120], ['free', 900]]));
  bm.metrics.set('business_revenue_per_minute_cents', 2045, { region: 'eu' });
}

// ---- Hand computation from the sequence ----

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const funnelCount = (step: string): number => sum(funnel.filter((e) => e.step === step).map((e) => e.count));

/** histogram_quantile as Prometheus documents it: linear interpolation inside the bucket holding the rank. */
function quantileOf(q: number, values: readonly number[], bounds: readonly number[]): number {
  const cumulative = bounds.map((bound) => values.filter((v) => v <= bound).length);
  const rank = q * values.length;
  const index = cumulative.findIndex((count) => count >= rank);
  if (index === -1) return bounds[bounds.length - 1] as number; // in the +Inf bucket
  const lower = index === 0 ? 0 : (bounds[index - 1] as number);
  const below = index === 0 ? 0 : (cumulative[index - 1] as number);
  return lower + ((bounds[index] as number) - lower) * ((rank - below) / ((cumulative[index] as number) - below));
}

/** Prometheus 2.42 `extrapolatedRate` for a counter range without resets (promql/functions.go). */
function prometheusRate(samples: readonly { time: number; value: number }[], evalTime: number, rangeSeconds: number): number {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined || samples.length < 2) throw new Error('need two samples');
  const increase = last.value - first.value;
  let durationToStart = first.time - (evalTime - rangeSeconds);
  const durationToEnd = evalTime - last.time;
  const sampledInterval = last.time - first.time;
  const averageInterval = sampledInterval / (samples.length - 1);
  if (increase > 0 && first.value >= 0) durationToStart = Math.min(durationToStart, sampledInterval * (first.value / increase));
  const threshold = averageInterval * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2;
  return (increase * (extrapolateTo / sampledInterval)) / rangeSeconds;
}

const closeTo = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

const byLabel = (result: readonly InstantSample[], label: string): Record<string, number> =>
  Object.fromEntries(result.map((r) => [r.metric[label] as string, r.value]));

describe('the guide queries on a real Prometheus', () => {
  const job = 'bizmetrics_guide_app';
  let bm: BusinessMetricsSetup;
  let app: LoopbackHttpServer;
  let prometheus: RunningPrometheus;
  let evalTime: number;

  beforeAll(async () => {
    bm = setupBusinessMetrics({ serviceName: 'guide-shop', environment: 'test' });
    const handler = bm.prometheus?.handler;
    if (handler === undefined) throw new Error('no scrape handler');
    app = await startHttpServer((request, response) => {
      if (request.url === '/metrics') handler(request, response);
      else response.writeHead(404).end('not found');
    });
    replaySequence(bm); // every series exists before the first scrape
    prometheus = await startPrometheus({
      targets: [{ job, target: app.url.replace('http://', '') }],
      scrapeIntervalSeconds: 1,
      ruleFiles: [alertRules],
    });
    await prometheus.waitForScrapes(job, 3);
    replaySequence(bm); // one synchronous burst: no scrape sees half of it
    await prometheus.waitForScrapes(job, 3);
    // Evaluate at the newest sample: Prometheus has committed everything up to it.
    evalTime = await queryScalarValue(prometheus.url, 'max(timestamp(business_funnel_step_total))');
  });

  afterAll(async () => {
    await prometheus?.stop();
    await app?.close();
    await bm?.shutdown();
  });

  it('scrapes the app successfully and stores the guide metric names', async () => {
    expect(byLabel(await queryInstantVector(prometheus.url, `up{job="${job}"}`, evalTime), 'job')).toEqual({ [job]: 1 });
    const names = (await queryInstantVector(prometheus.url, 'group by (__name__) ({__name__=~"business_.+"})', evalTime)).map(
      (r) => r.metric['__name__'],
    );
    expect(names.sort()).toEqual(
      [
        'business_active_users',
        'business_conversions_total',
        'business_feature_usage_total',
        'business_funnel_step_total',
        ...['business_order_value_cents', 'business_session_duration_seconds', 'business_time_to_conversion_seconds'].flatMap((h) => [
          `${h}_bucket`,
          `${h}_count`,
          `${h}_sum`,
        ]),
        'business_revenue_cents_total',
        'business_revenue_per_minute_cents',
      ].sort(),
    );
    // Gauges hold the last value set.
    expect(await queryScalarValue(prometheus.url, 'business_active_users{window="daily",user_tier="free"}', evalTime)).toBe(900);
    // The guide API added no refusals while replaying.
    expect(await queryInstantVector(prometheus.url, 'bizmetrics_refused_values_total', evalTime)).toEqual([]);
  });

  it('conversion rate over the last hour = order_confirmed / cart_view * 100', async () => {
    const expected = (funnelCount('order_confirmed') / funnelCount('cart_view')) * 100; // 12 / 100 * 100 = 12
    expect(expected).toBe(12);
    closeTo(await queryScalarValue(prometheus.url, exampleQuery('Conversion rate over the last hour'), evalTime), expected);
  });

  it('revenue per minute by region = increase in 5m * 60 / 300, times the extrapolation factor', async () => {
    const result = byLabel(await queryInstantVector(prometheus.url, exampleQuery('Revenue per minute by region'), evalTime), 'region');
    const regions = [...new Set(orders.map((o) => o.region))].sort();
    expect(Object.keys(result).sort()).toEqual(regions);

    const raw = await queryRangeVector(prometheus.url, 'business_revenue_cents_total[5m]', evalTime);
    for (const region of regions) {
      const increase = sum(orders.filter((o) => o.region === region).map((o) => o.cents)); // eu 21000, us_west 99000, us_east 2700
      const series = raw.filter((r) => r.metric['region'] === region);
      // Oracle: Prometheus' rate() on the stored samples of each series, summed by region.
      const oracle = sum(series.map((s) => prometheusRate(s.samples, evalTime, 300))) * 60;
      closeTo(result[region] as number, oracle);
      // What the extrapolation may add, from the sample spacing.
      const samples = series[0]?.samples ?? [];
      expect(samples.length).toBeGreaterThanOrEqual(5);
      const sampled = (samples.at(-1)?.time ?? 0) - (samples[0]?.time ?? 0);
      const average = sampled / (samples.length - 1);
      const factor = (result[region] as number) / ((increase * 60) / 300);
      expect(factor).toBeGreaterThanOrEqual(1);
      expect(factor).toBeLessThanOrEqual(1 + (2.2 * average) / sampled);
    }
    // One factor for all regions: the ratios between regions are exact.
    closeTo((result['us_west'] as number) / (result['eu'] as number), 99000 / 21000);
  });

  it('median order value by product category = histogram_quantile of the sequence', async () => {
    const result = byLabel(
      await queryInstantVector(prometheus.url, exampleQuery('Average order value by product category'), evalTime),
      'product_category',
    );
    const bounds = [500, 1000, 2500, 5000, 10000, 25000, 50000];
    const categories = [...new Set(orders.map((o) => o.category))];
    expect(Object.keys(result).sort()).toEqual([...categories].sort());
    for (const category of categories) {
      closeTo(result[category] as number, quantileOf(0.5, orders.filter((o) => o.category === category).map((o) => o.cents), bounds));
    }
    // By hand: books {700, 1200, 4800}: rank 1.5 in (1000, 2500] -> 1000 + 1500 * 0.5;
    // electronics {15000, 30000, 60000}: rank 1.5 in (25000, 50000] -> 25000 + 25000 * 0.5;
    // apparel {2000, 9000}: rank 1 in (1000, 2500] -> 2500.
    expect(result).toEqual({ books: 1750, electronics: 37500, apparel: 2500 });
  });

  it('feature adoption rate for new users: the guide query returns no series (vector matching)', async () => {
    // `sum(...) by (feature_name) / sum(...)`: the left side has feature_name, the right side has no
    // labels, so one-to-one matching pairs nothing. Prometheus answers with an empty vector.
    expect(await queryInstantVector(prometheus.url, exampleQuery('Feature adoption rate for new users'), evalTime)).toEqual([]);
  });

  it('feature adoption rate for new users with ignoring(feature_name) group_left = each feature share', async () => {
    const fixed =
      'sum(rate(business_feature_usage_total{is_new_user="true"}[24h])) by (feature_name) / ignoring(feature_name) group_left sum(rate(business_feature_usage_total{is_new_user="true"}[24h])) * 100';
    const result = byLabel(await queryInstantVector(prometheus.url, fixed, evalTime), 'feature_name');
    const newUses = featureUses.filter((u) => u.isNewUser);
    const totalNew = sum(newUses.map((u) => u.count)); // 20
    const expected: Record<string, number> = {};
    for (const use of newUses) expected[use.feature] = (expected[use.feature] ?? 0) + (use.count / totalNew) * 100;
    expect(Object.keys(result).sort()).toEqual(Object.keys(expected).sort());
    for (const [feature, share] of Object.entries(expected)) closeTo(result[feature] as number, share);
    // By hand: dashboard_export 8/20, report_builder 3/20, search 9/20.
    closeTo(result['dashboard_export'] as number, 40);
    closeTo(result['report_builder'] as number, 15);
    closeTo(result['search'] as number, 45);
  });

  it('session duration p95 by user tier = histogram_quantile of the sequence', async () => {
    const result = byLabel(
      await queryInstantVector(prometheus.url, exampleQuery('Session duration percentiles by user tier'), evalTime),
      'user_tier',
    );
    const bounds = [10, 30, 60, 120, 300, 600, 1800, 3600];
    const tiers = [...new Set(sessions.map((s) => s.tier))];
    expect(Object.keys(result).sort()).toEqual([...tiers].sort());
    for (const tier of tiers) {
      closeTo(result[tier] as number, quantileOf(0.95, sessions.filter((s) => s.tier === tier).map((s) => s.seconds), bounds));
    }
    // By hand: pro, 5 sessions, rank 4.75 in (1800, 3600] holding 1 -> 1800 + 1800 * 0.75;
    // free {15, 25, 90}, rank 2.85 in (60, 120] -> 60 + 60 * 0.85; enterprise only in +Inf -> 3600.
    closeTo(result['pro'] as number, 3150);
    closeTo(result['free'] as number, 111);
    closeTo(result['enterprise'] as number, 3600);
  });

  it('evaluates the guide four alert expressions verbatim with the values the sequence implies', async () => {
    const expressions = alertExpressions(alertRules);
    expect([...expressions.keys()]).toEqual(['ConversionRateDrop', 'RevenueBelowBaseline', 'HighCartAbandonment', 'NewUserEngagementDrop']);
    const evaluate = (alert: string) => queryInstantVector(prometheus.url, expressions.get(alert) as string, evalTime);

    // 12 % is not below 2 %: no alert.
    expect(await evaluate('ConversionRateDrop')).toEqual([]);
    // 1 - 0.12 = 0.88 > 0.85: alert with the abandonment as value.
    const abandonment = await evaluate('HighCartAbandonment');
    expect(abandonment).toHaveLength(1);
    closeTo(abandonment[0]?.value as number, 1 - funnelCount('order_confirmed') / funnelCount('cart_view'));
    // Total revenue per minute, extrapolated as above, is below 50000 cents: alert with that value.
    const revenue = await evaluate('RevenueBelowBaseline');
    expect(revenue).toHaveLength(1);
    const perRegion = await queryInstantVector(prometheus.url, exampleQuery('Revenue per minute by region'), evalTime);
    closeTo(revenue[0]?.value as number, sum(perRegion.map((r) => r.value)));
    expect(revenue[0]?.value).toBeLessThan(50000);
    // There is no data from 7 days ago to compare with: no series, and no error.
    expect(await evaluate('NewUserEngagementDrop')).toEqual([]);
  });

  it('loads the guide rule file as written; Prometheus evaluates every rule without error', async () => {
    type Rule = { name: string; health: string; lastError?: string; state: string; lastEvaluation: string };
    const rules = await waitUntil(
      async () => {
        const body = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: { rules: Rule[] }[] } };
        const all = body.data.groups.flatMap((g) => g.rules);
        // Wait for an evaluation that saw the second replay.
        return all.length === 4 && all.every((r) => Date.parse(r.lastEvaluation) / 1000 > evalTime) ? all : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250, description: 'rule evaluations after the replay' },
    );
    expect(rules.map((r) => [r.name, r.health, r.lastError ?? ''])).toEqual([
      ['ConversionRateDrop', 'ok', ''],
      ['RevenueBelowBaseline', 'ok', ''],
      ['HighCartAbandonment', 'ok', ''],
      ['NewUserEngagementDrop', 'ok', ''],
    ]);
    // `for:` has not elapsed, so the two that hold are pending.
    expect(Object.fromEntries(rules.map((r) => [r.name, r.state]))).toEqual({
      ConversionRateDrop: 'inactive',
      RevenueBelowBaseline: 'pending',
      HighCartAbandonment: 'pending',
      NewUserEngagementDrop: 'inactive',
    });
  });
});
