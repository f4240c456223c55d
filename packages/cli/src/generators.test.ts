// The programmatic API: generateDocs, generateRules, generateDashboard on the built-in and a user catalog.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { businessCatalog, type MetricDefinition } from '@bizmetrics/core';
import {
  defaultGeneratorConfig,
  generateDashboard,
  generateDocs,
  generateRules,
  parseGeneratorConfig,
  readGeneratorConfig,
  type AlertRule,
  type RecordingRule,
  type RuleGroup,
} from '@bizmetrics/cli';
import { parse } from 'yaml';
import { shopCatalog } from '../test/support/catalogFixtures';
import { cliPackageDir } from '../test/support/repoPaths';

const userCatalog = [...businessCatalog, ...(shopCatalog as unknown as MetricDefinition[])];

function alertsOf(yaml: string): AlertRule[] {
  return (parse(yaml) as { groups: RuleGroup<AlertRule>[] }).groups[0]?.rules.slice() ?? [];
}
function recordingsOf(yaml: string): RecordingRule[] {
  return (parse(yaml) as { groups: RuleGroup<RecordingRule>[] }).groups[0]?.rules.slice() ?? [];
}

describe('generateDocs', () => {
  const docs = generateDocs(userCatalog);
  const section = (name: string): string => docs.split(`\n## ${name}\n`)[1]?.split('\n## ')[0] ?? '';

  test('documents every metric with type, unit, owner and labels', () => {
    for (const name of ['business_funnel_step_total', 'business_active_users', 'shop_refunds_total', 'shop_delivery_seconds']) {
      expect(section(name)).not.toBe('');
    }
    const revenue = section('business_revenue_cents_total');
    expect(revenue).toContain('| Type | Counter |');
    expect(revenue).toContain('| Unit | `{cent}` (cents) |');
    expect(revenue).toContain('| Owner | Revenue Team |');
    expect(revenue).toContain('| `region` | Sales region | `us_west`, `us_east`, `eu` | any (personal data becomes `redacted`) | `unknown` |');
    // Each label's declared shape: a pattern and what happens outside it.
    expect(revenue).toContain('| `currency` | ISO 4217 code of the amount; values are integers in its minor unit | `USD`, `EUR`, `JPY` | matching `^(?:[A-Z]{3})$`; others refused | `USD` |');
    expect(revenue).toContain('sum by (region) (rate(business_revenue_cents_total[5m])) * 60');
  });

  test('lists bucket boundaries in the metric unit', () => {
    expect(section('business_order_value_cents')).toContain('| 500 | $5.00 |');
    expect(section('business_session_duration_seconds')).toContain('| 1800 | 30m |');
    expect(section('business_revenue_cents_total')).not.toContain('Bucket boundaries');
  });

  test('names the alerts that read each metric', () => {
    expect(section('business_funnel_step_total')).toContain('| ConversionRateDrop | Conversion rate has dropped below 2% | 15m | critical | product |');
    expect(section('business_feature_usage_total')).toContain('| NewUserEngagementDrop |');
    expect(section('business_feature_usage_total')).not.toContain('| ConversionRateDrop |');
    expect(section('business_active_users')).toContain('**Alerts:** none.');
  });

  test('gives a starting query for metrics the guide has no query for', () => {
    expect(section('shop_refunds_total')).toContain('sum by (reason) (rate(shop_refunds_total[5m]))');
  });

  test('aggregates active users across instances with max, never a sum of per-process estimates', () => {
    expect(section('business_active_users')).toContain('max by (window, user_tier) (business_active_users)');
    expect(section('business_active_users')).not.toMatch(/\bsum\b/);
  });
});

describe('generateRules', () => {
  test('the guide four plus the absent alert, with the guide values by default', () => {
    const alerts = alertsOf(generateRules(businessCatalog).alerts);
    expect(alerts.map((alert) => [alert.alert, alert.for, alert.labels['severity'], alert.labels['team']])).toEqual([
      ['ConversionRateDrop', '15m', 'critical', 'product'],
      ['RevenueBelowBaseline', '10m', 'warning', 'business'],
      ['HighCartAbandonment', '30m', 'warning', 'product'],
      ['NewUserEngagementDrop', '1h', 'warning', 'growth'],
      ['BusinessMetricsAbsent', '10m', 'critical', 'platform'],
    ]);
    const byName = Object.fromEntries(alerts.map((alert) => [alert.alert, alert.expr]));
    expect(byName['ConversionRateDrop']).toContain(') < 0.02\nand\n');
    expect(byName['RevenueBelowBaseline']).toContain('* 60 < 50000');
    expect(byName['HighCartAbandonment']).toContain(') > 0.85');
    expect(byName['NewUserEngagementDrop']).toContain('[24h] offset 7d');
    expect(byName['BusinessMetricsAbsent']).toBe('absent(business_funnel_step_total)');
  });

  test('the config sets thresholds, durations, labels and guards, and can turn alerts off', () => {
    const config = parseGeneratorConfig({
      alerts: { revenueBelowBaseline: { threshold: 120000, for: '20m', team: 'sales' }, highCartAbandonment: { enabled: false } },
      guards: { minCartViewsPerHour: 500, absentMetric: 'business_revenue_cents_total' },
    });
    const alerts = alertsOf(generateRules(businessCatalog, config).alerts);
    expect(alerts.map((alert) => alert.alert)).not.toContain('HighCartAbandonment');
    const revenue = alerts.find((alert) => alert.alert === 'RevenueBelowBaseline');
    expect(revenue?.expr).toContain('* 60 < 120000');
    expect(revenue?.expr).toContain('* 3600 >= 500');
    expect(revenue?.for).toBe('20m');
    expect(revenue?.labels).toEqual({ severity: 'warning', team: 'sales' });
    expect(revenue?.annotations['summary']).toBe('Revenue per minute is below $1200');
    expect(alerts.find((alert) => alert.alert === 'BusinessMetricsAbsent')?.expr).toBe('absent(business_revenue_cents_total)');
  });

  test('records the matched feature-adoption form and the configured session quantiles', () => {
    const config = parseGeneratorConfig({ rules: { sessionDurationQuantiles: [0.9] } });
    const rules = recordingsOf(generateRules(businessCatalog, config).recording);
    const adoption = rules.find((rule) => rule.record === 'feature_name:business_feature_usage:new_user_ratio_rate24h');
    expect(adoption?.expr).toContain('/ ignoring(feature_name) group_left()');
    expect(rules.filter((rule) => rule.record.startsWith('user_tier:business_session_duration_seconds:')).map((rule) => rule.record)).toEqual([
      'user_tier:business_session_duration_seconds:p90_rate1h',
    ]);
  });

  test('leaves out the alerts whose metrics the catalog lacks', () => {
    const rules = generateRules(shopCatalog as unknown as MetricDefinition[]);
    expect(alertsOf(rules.alerts)).toEqual([]);
    expect(recordingsOf(rules.recording).map((rule) => rule.record)).toEqual([
      'reason:shop_refunds:rate5m',
      'carrier:shop_delivery_seconds:p50_rate1h',
      'carrier:shop_delivery_seconds:p95_rate1h',
    ]);
  });
});

describe('active users', () => {
  test('no rule or panel sums business_active_users over instances', () => {
    const rules = generateRules(businessCatalog);
    const exprs = [
      ...recordingsOf(rules.recording).map((rule) => rule.expr),
      ...alertsOf(rules.alerts).map((rule) => rule.expr),
      ...generateDashboard(businessCatalog).panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
    ].filter((expr) => expr.includes('business_active_users'));
    expect(exprs).toEqual([
      'max by (window, user_tier) (business_active_users)',
      'max by (window, user_tier) (business_active_users{job=~"$service"})',
    ]);
  });
});

describe('generateDashboard', () => {
  test('every panel reads the datasource variable and every query the service variable', () => {
    const dashboard = generateDashboard(businessCatalog);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.schemaVersion).toBeLessThanOrEqual(41);
    expect(dashboard.templating.list.map((variable) => [variable['name'], variable['type']])).toEqual([
      ['datasource', 'datasource'],
      ['service', 'query'],
    ]);
    for (const panel of dashboard.panels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets) expect(target.expr).toContain('job=~"$service"');
    }
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
  });

  test('panels do not overlap on the grid', () => {
    const cells = new Set<string>();
    for (const { gridPos } of generateDashboard(businessCatalog).panels) {
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          const cell = `${x},${y}`;
          expect(cells.has(cell)).toBe(false);
          cells.add(cell);
        }
      }
    }
  });

  test('the technical metric and the service label come from the config', () => {
    const config = parseGeneratorConfig({ dashboard: { technicalMetric: 'http_server_duration_seconds', serviceLabel: 'service_name' } });
    const dashboard = generateDashboard(businessCatalog, config);
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    expect(exprs.filter((expr) => expr.includes('http_server_duration_seconds_bucket'))).toHaveLength(1);
    expect(exprs.filter((expr) => expr.includes('http_server_duration_seconds_count'))).toHaveLength(1);
    expect(exprs.every((expr) => expr.includes('service_name=~"$service"'))).toBe(true);
    expect(dashboard.templating.list[1]?.['query']).toMatchObject({ query: 'label_values(business_funnel_step_total, service_name)' });
  });
});

test('the example config file holds exactly the defaults', async () => {
  const example = await readGeneratorConfig(join(cliPackageDir, 'bizmetrics.alerts.example.yaml'));
  expect(example).toEqual(defaultGeneratorConfig());
  expect(parse(await readFile(join(cliPackageDir, 'bizmetrics.alerts.example.yaml'), 'utf8'))).toBeTruthy();
});
