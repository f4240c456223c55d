// Every panel query of the committed dashboard, and the committed rules, against a real Prometheus
// that scraped a real app recording through @bizmetrics/core.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrafanaDashboard } from '@bizmetrics/cli';
import { queryApi, startPrometheus, type RunningPrometheus } from '@bizmetrics/test-support';
import { resolveGrafanaQuery } from '../support/grafanaQuery';
import { dashboardFile, rulesDir } from '../support/repoPaths';
import { replayTraffic, startShopApp, type ShopApp } from '../support/shopApp';

jest.setTimeout(90_000);

const job = 'shop';
let app: ShopApp;
let prometheus: RunningPrometheus;
let dashboard: GrafanaDashboard;

beforeAll(async () => {
  dashboard = JSON.parse(await readFile(dashboardFile, 'utf8')) as GrafanaDashboard;
  app = await startShopApp();
  prometheus = await startPrometheus({
    targets: [{ job, target: app.target }],
    ruleFilePaths: [join(rulesDir, 'business-recording.yml'), join(rulesDir, 'business-alerts.yml')],
  });
  await waitForValue(`up{job="${job}"}`, 1);
  // Two bursts, each scraped, so every counter has two different samples and rate() has a slope.
  const first = replayTraffic(app);
  await waitForValue(`sum(business_funnel_step_total{job="${job}"})`, first);
  const second = replayTraffic(app);
  await waitForValue(`sum(business_funnel_step_total{job="${job}"})`, first + second);
  await waitForValue(`sum(http_server_request_duration_count{job="${job}"})`, 20);
});

/** Polls `expr` until its single value equals `expected`. */
async function waitForValue(expr: string, expected: number): Promise<void> {
  await prometheus.waitFor(expr, (values) => values[0] === expected, 20_000);
}

afterAll(async () => {
  await prometheus?.stop();
  await app?.close();
});

function panelTargets(): { panel: string; refId: string; expr: string }[] {
  return dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ panel: panel.title, refId: target.refId, expr: target.expr })));
}

test('the service variable query finds the scraped job', async () => {
  const service = dashboard.templating.list.find((variable) => variable['name'] === 'service');
  const definition = String((service?.['query'] as { query?: string } | undefined)?.query);
  const match = /^label_values\((\w+), (\w+)\)$/.exec(definition);
  expect(match).not.toBeNull();
  const [, metric, label] = match as unknown as [string, string, string];
  const values = await queryApi<string[]>(prometheus.url, `/api/v1/label/${label}/values?${new URLSearchParams({ 'match[]': metric })}`);
  expect(values).toEqual([job]);
});

test('the dashboard has the guide panels and the technical ones', () => {
  expect(dashboard.panels.map((panel) => panel.title)).toEqual(
    expect.arrayContaining([
      'Conversion funnel',
      'Revenue per minute by region',
      'Order value quantiles by category',
      'New-user feature adoption',
      'Session duration p95 by user tier',
      'Active users by window and tier',
      'Request error rate',
      'Request latency p99 by route',
    ]),
  );
  expect(panelTargets().length).toBeGreaterThanOrEqual(12);
});

test.each([['all services', ['.*']], ['the shop service', [job]]])(
  'every panel query returns finite data with %s selected',
  async (_name, service) => {
    const failures: string[] = [];
    for (const target of panelTargets()) {
      const expr = resolveGrafanaQuery(target.expr, { service });
      try {
        const samples = await prometheus.query(expr);
        if (samples.length === 0) failures.push(`${target.panel} ${target.refId}: no data\n${expr}`);
        const bad = samples.filter((sample) => !Number.isFinite(sample.value));
        if (bad.length > 0) failures.push(`${target.panel} ${target.refId}: non-finite ${JSON.stringify(bad)}\n${expr}`);
      } catch (error) {
        failures.push(`${target.panel} ${target.refId}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  },
);

test('the panels show what was replayed', async () => {
  const byTitle = (title: string) => dashboard.panels.find((panel) => panel.title === title);
  const query = async (title: string, refId = 'A') => {
    const target = byTitle(title)?.targets.find((t) => t.refId === refId);
    if (target === undefined) throw new Error(`no target ${refId} in ${title}`);
    return prometheus.query(resolveGrafanaQuery(target.expr, { service: [job] }));
  };
  // 12 of 40 cart views ended in a purchase: the ratio of two rates over the same samples is exact.
  const conversion = await query('Conversion rate and cart abandonment', 'A');
  expect(conversion[0]?.value).toBeCloseTo(12 / 40, 6);
  const abandonment = await query('Conversion rate and cart abandonment', 'B');
  expect(abandonment[0]?.value).toBeCloseTo(28 / 40, 6);
  // 1 of 10 requests per burst was a 500.
  const errors = await query('Request error rate');
  expect(errors[0]?.value).toBeCloseTo(0.1, 6);
  // New users: 5 exports and 2 shares per burst.
  const adoption = await query('New-user feature adoption');
  const share = Object.fromEntries(adoption.map((sample) => [sample.metric['feature_name'], sample.value]));
  expect(share).toEqual({ dashboard_export: expect.closeTo(5 / 7, 6), share_link: expect.closeTo(2 / 7, 6) });
  const regions = (await query('Revenue per minute by region')).map((sample) => sample.metric['region']).sort();
  expect(regions).toEqual(['eu', 'us_west']);
  const routes = (await query('Request latency p99 by route')).map((sample) => sample.metric['http_route']).sort();
  expect(routes).toEqual(['/api/cart', '/api/checkout/complete']);
  // One instance: the max over instances is its own value, per window and tier.
  const activeUsers = await query('Active users by window and tier');
  expect(Object.fromEntries(activeUsers.map((sample) => [`${sample.metric['window']} ${sample.metric['user_tier']}`, sample.value]))).toEqual({
    'daily free': 120,
    'daily pro': 30,
  });
  const funnel = byTitle('Conversion funnel')?.targets.map((target) => target.legendFormat);
  expect(funnel).toHaveLength(5);
});

test('the generated rule files load into Prometheus and evaluate without errors', async () => {
  let groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] = [];
  const deadline = Date.now() + 15_000;
  // Rules are evaluated every second; wait until every rule has been evaluated once.
  while (Date.now() < deadline) {
    groups = (await queryApi<{ groups: typeof groups }>(prometheus.url, '/api/v1/rules')).groups;
    if (groups.length === 2 && groups.every((group) => group.rules.every((rule) => rule.health === 'ok'))) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(groups.map((group) => group.name).sort()).toEqual(['business_metrics', 'business_metrics_recording']);
  const unhealthy = groups.flatMap((group) => group.rules.filter((rule) => rule.health !== 'ok'));
  expect(unhealthy).toEqual([]);
  // The recorded conversion rate matches what the dashboard shows.
  await waitForValue('round(business:conversion_rate:ratio_rate1h * 1000)', 300);
});
