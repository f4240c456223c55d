// SDK → Prometheus 3 over OTLP, no collector: `setupBusinessMetrics({ otlp: { url: <prom>/api/v1/otlp/v1/metrics } })`
// against a real Prometheus 3.16 built from its Go module (scripts/build-prometheus3.sh) with
// `--web.enable-otlp-receiver`. Proves the guide's queries and the generated alert rules on that path
// with the default translation, shows what `NoUTF8EscapingWithSuffixes` changes, and that delta
// temporality works with `--enable-feature=otlp-deltatocumulative`.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { businessCatalog, setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import { byLabels, metricNames, queryApi, queryInstantVector, startPrometheus, waitUntil, type RunningPrometheus } from '@bizmetrics/test-support';
import { generateRules } from '../../src/rules/generateRules';
import { guideQueries } from '@bizmetrics/core/queries';
import { repoRoot } from '../support/repoPaths';

jest.setTimeout(180_000);

/** The Prometheus 3 binary: BIZMETRICS_PROMETHEUS3 (set by scripts/test.sh), else built or taken from the cache. */
function prometheus3Binary(): string {
  const fromEnv = process.env['BIZMETRICS_PROMETHEUS3'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return execFileSync('bash', [join(repoRoot, 'scripts/build-prometheus3.sh')], { encoding: 'utf8', timeout: 1_800_000 }).trim();
}

interface Backend {
  readonly prometheus: RunningPrometheus;
  readonly bm: BusinessMetricsSetup;
  readonly serviceName: string;
}

const funnel = 'business_funnel_step_total';
const backends: Backend[] = [];
let workDir: string;

/** One burst of the shop's traffic: 1 % conversion, revenue 4:1 between eu and us, an HTTP request. */
function recordBurst(bm: BusinessMetricsSetup): void {
  for (let i = 0; i < 100; i++) bm.service.recordFunnelStep('cart_view', { source: 'direct', deviceType: 'desktop' });
  bm.service.recordFunnelStep('order_confirmed', { source: 'direct', deviceType: 'desktop' });
  for (let i = 0; i < 4; i++) bm.service.recordRevenue(5000, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
  for (let i = 0; i < 2; i++) bm.service.recordRevenue(2500, { productCategory: 'books', paymentMethod: 'card', region: 'us' });
  for (let i = 0; i < 3; i++) bm.service.recordFeatureUsage('search', { userTier: 'free', isNewUser: true });
  bm.service.recordFeatureUsage('export', { userTier: 'free', isNewUser: true });
  for (let i = 0; i < 5; i++) bm.service.recordSessionEnd(new Date(Date.now() - 42_000), { userTier: 'pro', entryPage: '/' });
  // The semantic-convention HTTP histogram the Express adapter records (unit s, dotted attribute names).
  bm.meterProvider
    .getMeter('prometheus3-test')
    .createHistogram('http.server.request.duration', { unit: 's' })
    .record(0.12, { 'http.route': '/cart', 'http.request.method': 'GET', 'http.response.status_code': 200 });
}

async function cartViews(prometheus: RunningPrometheus): Promise<number> {
  const samples = await queryInstantVector(prometheus.url, `sum(${funnel}{step="cart_view"})`);
  return samples[0]?.value ?? 0;
}

/** Starts Prometheus 3 with the OTLP receiver and the generated alert rules, and an SDK pushing to it; records two bursts. */
async function startBackend(name: string, options: { translation?: string; delta?: boolean }): Promise<Backend> {
  const rules = join(workDir, `${name}-alerts.yml`);
  await writeFile(rules, generateRules(businessCatalog).alerts);
  const prometheus = await startPrometheus({
    name,
    binary: prometheus3Binary(),
    configText: [
      'global:',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${JSON.stringify(rules)}`,
      ...(options.translation === undefined ? [] : ['otlp:', `  translation_strategy: ${options.translation}`]),
      '',
    ].join('\n'),
    extraArgs: ['--web.enable-otlp-receiver', ...(options.delta === true ? ['--enable-feature=otlp-deltatocumulative'] : [])],
  });
  const serviceName = `bizmetrics-${name}`;
  const bm = setupBusinessMetrics({
    serviceName,
    serviceInstanceId: `${name}-1`,
    prometheus: false,
    otlp: { url: `${prometheus.url}/api/v1/otlp/v1/metrics`, exportIntervalMillis: 1000, temporality: options.delta === true ? 'delta' : 'cumulative' },
  });
  const backend = { prometheus, bm, serviceName };
  backends.push(backend);
  recordBurst(bm);
  await waitUntil(async () => (await cartViews(prometheus)) === 100, { timeoutMs: 30_000, description: `${name}: the first push` });
  // A few more pushes so rate() has samples on both sides of the second burst.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  recordBurst(bm);
  await waitUntil(async () => (await cartViews(prometheus)) === 200, { timeoutMs: 30_000, description: `${name}: the second push` });
  return backend;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'bizmetrics-prom3-'));
}, 1_800_000);

afterAll(async () => {
  for (const { bm, prometheus } of backends) {
    await bm.shutdown({ timeoutMillis: 2000 });
    await prometheus.stop();
  }
  await rm(workDir, { recursive: true, force: true });
});

/** Instant value of each series of `expr`, keyed by `labels`. */
async function values(prometheus: RunningPrometheus, expr: string, labels: readonly string[] = []): Promise<Record<string, number>> {
  return byLabels(await queryInstantVector(prometheus.url, expr), labels);
}

interface RuleGroupsResponse {
  groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string; state?: string; type: string }> }>;
}

async function alertRules(prometheus: RunningPrometheus): Promise<RuleGroupsResponse['groups'][number]['rules']> {
  return (await queryApi<RuleGroupsResponse>(prometheus.url, '/api/v1/rules')).groups.flatMap((group) => group.rules);
}

/** The guide's queries and the generated alerts, on whatever Prometheus a backend pushed to. */
async function expectGuideQueriesAndAlerts({ prometheus }: Backend): Promise<void> {
  // The funnel counts are exact: every recorded step arrived, and the steps never taken exist at 0
  // (known step values are created with the first label set, so a first increment is visible to rate()).
  expect(await values(prometheus, `sum by (step) (${funnel})`, ['step'])).toEqual({
    cart_view: 200,
    order_confirmed: 2,
    shipping_info: 0,
    payment_info: 0,
    order_review: 0,
    checkout_error: 0,
  });
  // The guide's queries verbatim (their 1h/24h windows cover the whole short history).
  expect(Object.values(await values(prometheus, guideQueries.conversionRatePercent))[0]).toBeCloseTo(1, 9);
  expect(Object.values(await values(prometheus, guideQueries.cartAbandonmentRatio))[0]).toBeCloseTo(0.99, 9);
  const revenue = await values(prometheus, guideQueries.revenuePerMinuteByRegion, ['region']);
  expect(revenue['eu']! / revenue['us']!).toBeCloseTo(4, 9);
  const adoption = await values(prometheus, guideQueries.newUserFeatureAdoptionPercent, ['feature_name']);
  expect(adoption).toEqual({ search: expect.closeTo(75, 9), export: expect.closeTo(25, 9) });
  // Every order is 50.00 or 25.00: the median sits in the (2500, 5000] bucket.
  const median = Object.values(await values(prometheus, guideQueries.medianOrderValueByCategory, ['product_category']));
  expect(median).toHaveLength(1);
  expect(median[0]).toBeGreaterThan(2500);
  expect(median[0]).toBeLessThanOrEqual(5000);
  // 42 s sessions: p95 inside the (30, 60] bucket.
  const p95 = Object.values(await values(prometheus, guideQueries.sessionDurationP95ByTier, ['user_tier']))[0];
  expect(p95).toBeGreaterThan(30);
  expect(p95).toBeLessThanOrEqual(60);

  // The generated alert rules load and evaluate on the server; 1 % conversion trips the two funnel alerts.
  await waitUntil(
    async () => {
      const rules = await alertRules(prometheus);
      return ['ConversionRateDrop', 'HighCartAbandonment'].every((name) => rules.some((rule) => rule.name === name && rule.state !== 'inactive'));
    },
    { timeoutMs: 30_000, description: 'ConversionRateDrop and HighCartAbandonment pending' },
  );
  const rules = await alertRules(prometheus);
  expect(rules.map((rule) => rule.name).sort()).toEqual(['BusinessMetricsAbsent', 'ConversionRateDrop', 'HighCartAbandonment', 'NewUserEngagementDrop', 'RevenueBelowBaseline']);
  for (const rule of rules) expect({ name: rule.name, health: rule.health, lastError: rule.lastError ?? '' }).toEqual({ name: rule.name, health: 'ok', lastError: '' });
}

describe('Prometheus 3, default OTLP translation (UnderscoreEscapingWithSuffixes)', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend('prom3-default', {});
  }, 1_800_000);

  it('keeps the guide names; job and instance come from service.name and service.instance.id', async () => {
    const names = await metricNames(backend.prometheus.url);
    expect(names).toEqual(
      expect.arrayContaining([funnel, 'business_revenue_cents_total', 'business_order_value_cents_bucket', 'business_session_duration_seconds_bucket', 'business_feature_usage_total']),
    );
    const series = await queryInstantVector(backend.prometheus.url, `${funnel}{step="cart_view"}`);
    expect(series[0]?.metric).toMatchObject({ job: backend.serviceName, instance: 'prom3-default-1', source: 'direct', device_type: 'desktop' });
  });

  it('adds the unit suffix the OpenTelemetry JS Prometheus exporter leaves out: http_server_request_duration_seconds', async () => {
    const names = await metricNames(backend.prometheus.url);
    expect(names).toContain('http_server_request_duration_seconds_bucket');
    expect(names).not.toContain('http_server_request_duration_bucket');
    const routes = await values(backend.prometheus, 'sum by (http_route) (http_server_request_duration_seconds_count)', ['http_route']);
    expect(routes).toEqual({ '/cart': 2 });
  });

  it("answers the guide's queries and evaluates the generated alert rules", async () => {
    await expectGuideQueriesAndAlerts(backend);
  });
});

describe('Prometheus 3 with translation_strategy: NoUTF8EscapingWithSuffixes', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend('prom3-utf8', { translation: 'NoUTF8EscapingWithSuffixes' });
  }, 1_800_000);

  it('keeps dots in names and labels (quoted selectors needed) but leaves the underscore business names as they are', async () => {
    const names = await metricNames(backend.prometheus.url);
    expect(names).toEqual(expect.arrayContaining([funnel, 'business_order_value_cents_bucket', 'http.server.request.duration_seconds_bucket']));
    expect(names).not.toContain('http_server_request_duration_seconds_bucket');
    const routes = await values(backend.prometheus, 'sum by ("http.route") ({"http.server.request.duration_seconds_count"})', ['http.route']);
    expect(routes).toEqual({ '/cart': 2 });
  });

  it("answers the guide's queries and evaluates the generated alert rules all the same", async () => {
    await expectGuideQueriesAndAlerts(backend);
  });
});

describe('Prometheus 3 with delta temporality and --enable-feature=otlp-deltatocumulative', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend('prom3-delta', { delta: true });
  }, 1_800_000);

  it('turns the pushed deltas into cumulative counters the guide queries read as usual', async () => {
    await expectGuideQueriesAndAlerts(backend);
  });
});
