// The guide's PromQL queries give the same answers on every path from the SDK to Prometheus:
//
//   app (child process, @bizmetrics/core) --OTLP/HTTP--> otelcol-bizmetrics
//       --prometheus exporter--> Prometheus "collector-scrape" (scrapes the collector)
//       --remote write---------> Prometheus "remote-write" (--web.enable-remote-write-receiver)
//   app's own /metrics --------> Prometheus "app-direct" (scrapes the app)
//
// Every series is created by an initial event and seen by all three Prometheus servers before the
// measured replay, so each server's rate() extrapolates every series by the same factor: ratios and
// quantiles must then agree exactly across paths (and with what we recorded), while absolute values
// are compared as instant totals once the data has settled.
import { activeUsersMetric, orderValueMetric, sessionDurationMetric } from '@bizmetrics/core';
import {
  activeUsersByWindowAndTier,
  cumulativeBucketCounts,
  guideAdoptionQueryAsPrinted,
  guideQueries,
  histogramQuantileValue,
} from '@bizmetrics/core/queries';
import { startBusinessApp, type BusinessApp } from '../support/businessAppProcess';
import type { BusinessEvent } from '../support/businessEvents';
import { startCollector, type CollectorProcess } from '../support/collectorProcess';
import { byLabels, type InstantSample, metricNames, type RunningPrometheus, sleep, startPrometheus, waitUntil } from '@bizmetrics/test-support';
import { e2eWorkspace } from '../support/e2eWorkspace';

// The guide's queries from the one module the CLI, the demo and the other tests import; the
// adoption query both as the guide prints it (it returns nothing) and with the fix.
const guide = { ...guideQueries, newUserFeatureAdoptionAsPrinted: guideAdoptionQueryAsPrinted };
/** histogram_quantile of these observations in these buckets, computed without Prometheus. */
const expectedHistogramQuantile = (q: number, bounds: readonly number[], observations: readonly number[]): number =>
  histogramQuantileValue(q, cumulativeBucketCounts(bounds, observations));

// Active users across instances take the max (one app here, so it is that app's value).
const dailyActiveUsers = activeUsersByWindowAndTier(activeUsersMetric.name, ['window="daily"']);

// Every name the recorded instruments must have in Prometheus, on every path; nothing else business_*.
const guideNames = [
  'business_active_users',
  'business_conversions_total',
  'business_feature_usage_total',
  'business_funnel_step_total',
  'business_order_value_cents_bucket',
  'business_order_value_cents_count',
  'business_order_value_cents_sum',
  'business_revenue_cents_total',
  'business_revenue_per_minute_cents', // computed in the process from recordRevenue
  'business_session_duration_seconds_bucket',
  'business_session_duration_seconds_count',
  'business_session_duration_seconds_sum',
  'business_time_to_conversion_seconds_bucket',
  'business_time_to_conversion_seconds_count',
  'business_time_to_conversion_seconds_sum',
];

const repeat = <T>(times: number, make: (i: number) => T): T[] => Array.from({ length: times }, (_, i) => make(i));
const funnel = (step: string, source: string): BusinessEvent => ({ kind: 'funnelStep', step, source, deviceType: 'mobile' });
const order = (cents: number, productCategory: string, paymentMethod: string, region: string): BusinessEvent => ({
  kind: 'revenue',
  cents,
  productCategory,
  paymentMethod,
  region,
});
const feature = (featureName: string, isNewUser: boolean): BusinessEvent => ({ kind: 'featureUsage', featureName, userTier: 'pro', isNewUser });
const session = (seconds: number, userTier: string): BusinessEvent => ({ kind: 'sessionEnd', seconds, userTier, entryPage: '/dashboard' });
const conversion = (secondsToConvert: number): BusinessEvent => ({
  kind: 'conversion',
  conversionType: 'purchase',
  source: 'google_ads',
  deviceType: 'mobile',
  secondsToConvert,
});

const revenueSeries = [
  ['books', 'card', 'eu_west'],
  ['books', 'paypal', 'us_east'],
  ['electronics', 'card', 'eu_west'],
  ['electronics', 'card', 'us_east'],
] as const;

// Initial events: every series exists, every histogram bucket is non-zero (an observation in the
// lowest bucket), and every counter starts at a sizeable fraction of its later increase, so PromQL's
// extrapolation never clamps a series at zero and treats all series of a server alike.
const initialEvents: BusinessEvent[] = [
  ...['cart_view', 'order_confirmed'].flatMap((step) => ['google_ads', 'organic'].flatMap((source) => repeat(4, () => funnel(step, source)))),
  // 4 small orders (lowest order-value bucket) + one large one, so revenue starts high enough.
  ...revenueSeries.flatMap(([category, method, region]) => [...repeat(4, () => order(400, category, method, region)), order(60000, category, method, region)]),
  ...['export_csv', 'dark_mode', 'search'].flatMap((name) => [true, false].flatMap((isNew) => repeat(4, () => feature(name, isNew)))),
  ...['free', 'pro'].flatMap((tier) => repeat(4, () => session(5, tier))),
  ...repeat(4, () => conversion(20)),
  { kind: 'activeUsers', window: 'daily', counts: { free: 120, pro: 30 } },
];

// The measured replay.
const replayOrders: [number, (typeof revenueSeries)[number]][] = [
  [1200, revenueSeries[0]], [2200, revenueSeries[0]], [4500, revenueSeries[0]], [900, revenueSeries[0]],
  [1800, revenueSeries[1]], [3000, revenueSeries[1]], [700, revenueSeries[1]], [1500, revenueSeries[1]],
  [8000, revenueSeries[2]], [20000, revenueSeries[2]], [45000, revenueSeries[2]], [15000, revenueSeries[2]],
  [12000, revenueSeries[3]], [30000, revenueSeries[3]], [9000, revenueSeries[3]], [6000, revenueSeries[3]],
];
const replaySessions = {
  free: [20, 45, 90, 150, 400, 700, 25, 50],
  pro: [200, 350, 900, 1200, 2000, 2500, 4000, 500],
};
const replayEvents: BusinessEvent[] = [
  ...repeat(16, () => funnel('cart_view', 'google_ads')),
  ...repeat(12, () => funnel('cart_view', 'organic')),
  ...repeat(5, () => funnel('order_confirmed', 'google_ads')),
  ...repeat(3, () => funnel('order_confirmed', 'organic')),
  ...replayOrders.map(([cents, [category, method, region]]) => order(cents, category, method, region)),
  ...repeat(10, () => feature('export_csv', true)),
  ...repeat(6, () => feature('dark_mode', true)),
  ...repeat(4, () => feature('search', true)),
  ...repeat(3, () => feature('search', false)),
  ...replaySessions.free.map((seconds) => session(seconds, 'free')),
  ...replaySessions.pro.map((seconds) => session(seconds, 'pro')),
  ...[100, 400, 700].map(conversion),
  { kind: 'activeUsers', window: 'daily', counts: { free: 150, pro: 42 } },
];

/** Instant totals after `events`, as PromQL queries → value: what every path must show once settled. */
function totalsAfter(events: readonly BusinessEvent[]): Record<string, number> {
  const count = (kind: BusinessEvent['kind']) => events.filter((event) => event.kind === kind).length;
  const revenue = (region: string) =>
    events.reduce((sum, event) => sum + (event.kind === 'revenue' && event.region === region ? event.cents : 0), 0);
  return {
    'sum(business_funnel_step_total)': count('funnelStep'),
    'sum(business_conversions_total)': count('conversion'),
    'sum(business_time_to_conversion_seconds_count)': count('conversion'),
    'sum(business_feature_usage_total)': count('featureUsage'),
    'sum(business_session_duration_seconds_count)': count('sessionEnd'),
    'sum(business_order_value_cents_count)': count('revenue'),
    'sum(business_revenue_cents_total{region="eu_west"})': revenue('eu_west'),
    'sum(business_revenue_cents_total{region="us_east"})': revenue('us_east'),
  };
}

const expectClose = (actual: number, expected: number, what: string) => {
  const tolerance = 1e-6 * Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tolerance)) throw new Error(`${what}: got ${actual}, expected ${expected} (±${tolerance})`);
};

describe('guide queries through the collector (scrape + remote write) and direct scrape', () => {
  const { processes, workDir } = e2eWorkspace('guide');
  let remoteWrite: RunningPrometheus;
  let collectorScrape: RunningPrometheus;
  let appDirect: RunningPrometheus;
  let collector: CollectorProcess;
  let app: BusinessApp;
  let paths: [string, RunningPrometheus][];

  beforeAll(async () => {
    remoteWrite = await startPrometheus({ group: processes, name: 'remote-write', workDir, remoteWriteReceiver: true });
    collector = await startCollector(processes, {
      name: 'gateway',
      workDir,
      configs: ['otelcol/base.yaml', 'otelcol/profiles/remote-write.yaml'],
      env: { BIZMETRICS_REMOTE_WRITE_ENDPOINT: remoteWrite.remoteWriteUrl },
    });
    app = await startBusinessApp(processes, { name: 'guide', workDir, otlpUrl: `${collector.otlpHttpUrl}/v1/metrics`, exportIntervalMillis: 1000 });
    collectorScrape = await startPrometheus({
      group: processes,
      name: 'collector-scrape',
      workDir,
      targets: [{ job: 'bizmetrics-collector', target: collector.prometheusTarget, honorLabels: true }],
    });
    appDirect = await startPrometheus({ group: processes, name: 'app-direct', workDir, targets: [{ job: 'checkout', target: app.target }] });
    paths = [
      ['collector scrape', collectorScrape],
      ['remote write', remoteWrite],
      ['app direct', appDirect],
    ];
  });

  /** Waits until every path shows exactly `totals`. */
  async function waitUntilSettled(totals: Record<string, number>, what: string): Promise<void> {
    for (const [path, prometheus] of paths) {
      await waitUntil(
        async () => {
          for (const [promql, expected] of Object.entries(totals)) {
            const [sample] = await prometheus.query(promql);
            if (sample?.value !== expected) return false;
          }
          return true;
        },
        { description: `${what} on the ${path} path`, timeoutMs: 60000, intervalMs: 250, diagnostics: () => processes.logTails(10) },
      );
    }
  }

  test('all three paths store the guide metric names, and only those', async () => {
    await app.record(initialEvents);
    await waitUntilSettled(totalsAfter(initialEvents), 'the initial events');
    for (const [path, prometheus] of paths) {
      const names = (await metricNames(prometheus.url)).filter((name) => name.startsWith('business_'));
      expect({ path, names }).toEqual({ path, names: guideNames });
    }
  });

  test('the guide queries return the same values on every path, and the values that were recorded', async () => {
    // A few more samples with the initial values, then the measured replay.
    await sleep(3000);
    await app.record(replayEvents);
    const allEvents = [...initialEvents, ...replayEvents];
    await waitUntilSettled(totalsAfter(allEvents), 'the replayed events');
    await sleep(2000);
    const at = Date.now() / 1000;
    const results = new Map<string, Record<string, InstantSample[]>>();
    for (const [path, prometheus] of paths) {
      const byQuery: Record<string, InstantSample[]> = {};
      for (const [name, promql] of Object.entries(guide)) byQuery[name] = await prometheus.query(promql, at);
      for (const promql of ['sum by (region) (business_revenue_cents_total)', dailyActiveUsers]) {
        byQuery[promql] = await prometheus.query(promql, at);
      }
      results.set(path, byQuery);
    }

    const replayCount = (kind: string, test: (event: BusinessEvent) => boolean) => replayEvents.filter((e) => e.kind === kind && test(e)).length;
    const confirmed = replayCount('funnelStep', (e) => e.kind === 'funnelStep' && e.step === 'order_confirmed');
    const carts = replayCount('funnelStep', (e) => e.kind === 'funnelStep' && e.step === 'cart_view');
    const newUserUses = (name?: string) =>
      replayCount('featureUsage', (e) => e.kind === 'featureUsage' && e.isNewUser && (name === undefined || e.featureName === name));
    const replayRevenue = (region: string) => replayOrders.filter(([, series]) => series[2] === region).reduce((sum, [cents]) => sum + cents, 0);
    const allRevenue = (region: string) =>
      allEvents.reduce((sum, e) => sum + (e.kind === 'revenue' && e.region === region ? e.cents : 0), 0);
    const orderValues = (category: string) => replayOrders.filter(([, series]) => series[0] === category).map(([cents]) => cents);

    for (const [path, r] of results) {
      const at = (name: string) => r[name] as InstantSample[];
      // Conversion rate: a ratio of two rates of one metric.
      expect(at('conversionRatePercent')).toHaveLength(1);
      expectClose(at('conversionRatePercent')[0]?.value as number, (confirmed / carts) * 100, `${path}: conversion rate`);

      // Revenue per minute by region: absolute rates depend on each server's scrape phase, their
      // ratio does not; the instant totals are exact.
      const perMinute = byLabels(at('revenuePerMinuteByRegion'), ['region']);
      expect(Object.keys(perMinute).sort()).toEqual(['eu_west', 'us_east']);
      expect(perMinute['eu_west']).toBeGreaterThan(0);
      expectClose((perMinute['eu_west'] as number) / (perMinute['us_east'] as number), replayRevenue('eu_west') / replayRevenue('us_east'), `${path}: revenue/min eu_west : us_east`);
      expect(byLabels(at('sum by (region) (business_revenue_cents_total)'), ['region'])).toEqual({ eu_west: allRevenue('eu_west'), us_east: allRevenue('us_east') });

      // Average (median) order value by category, from the histogram buckets.
      const median = byLabels(at('medianOrderValueByCategory'), ['product_category']);
      expect(Object.keys(median).sort()).toEqual(['books', 'electronics']);
      for (const category of ['books', 'electronics']) {
        expectClose(median[category] as number, expectedHistogramQuantile(0.5, orderValueMetric.buckets, orderValues(category)), `${path}: median order value ${category}`);
      }

      // Feature adoption: the guide's form matches no series; the group_left form gives the shares.
      expect({ path, guideForm: at('newUserFeatureAdoptionAsPrinted') }).toEqual({ path, guideForm: [] });
      const adoption = byLabels(at('newUserFeatureAdoptionPercent'), ['feature_name']);
      expect(Object.keys(adoption).sort()).toEqual(['dark_mode', 'export_csv', 'search']);
      for (const name of ['dark_mode', 'export_csv', 'search']) {
        expectClose(adoption[name] as number, (newUserUses(name) / newUserUses()) * 100, `${path}: adoption of ${name}`);
      }

      // Session duration p95 by tier.
      const p95 = byLabels(at('sessionDurationP95ByTier'), ['user_tier']);
      expect(Object.keys(p95).sort()).toEqual(['free', 'pro']);
      for (const tier of ['free', 'pro'] as const) {
        expectClose(p95[tier] as number, expectedHistogramQuantile(0.95, sessionDurationMetric.buckets, replaySessions[tier]), `${path}: session p95 ${tier}`);
      }

      // The gauge: last value set.
      expect(byLabels(at(dailyActiveUsers), ['user_tier'])).toEqual({ free: 150, pro: 42 });
    }

    // And every path agrees with the others on every query (same label sets, values within 1e-6).
    const [first, ...others] = [...results.entries()];
    const [firstPath, firstResults] = first as [string, Record<string, InstantSample[]>];
    for (const [path, r] of others) {
      for (const [query, samples] of Object.entries(firstResults)) {
        const mine = byLabels(samples, ['region', 'product_category', 'feature_name', 'user_tier']);
        const theirs = byLabels(r[query] as InstantSample[], ['region', 'product_category', 'feature_name', 'user_tier']);
        expect({ query, path, keys: Object.keys(theirs).sort() }).toEqual({ query, path, keys: Object.keys(mine).sort() });
        for (const [key, value] of Object.entries(mine)) {
          if (query === 'revenuePerMinuteByRegion') continue; // absolute rate: compared as a ratio above
          expectClose(theirs[key] as number, value, `${query} ${key}: ${path} vs ${firstPath}`);
        }
      }
    }
  });
});
