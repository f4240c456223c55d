import { businessCatalog, checkoutSteps, prometheusName, type MetricDefinition } from '@bizmetrics/core';
import type { GeneratorConfig } from '../config/generatorConfig';
import {
  activeUsersByWindowAndTier,
  cartAbandonmentRatio,
  conversionRatio,
  histogramQuantile,
  newUserFeatureAdoption,
  revenuePerMinuteByRegion,
  selector,
} from '@bizmetrics/core/queries';
import type { GuideSeries } from '../promql/guideSeries';
import type { GrafanaDatasourceRef, GrafanaPanel, GrafanaTarget } from './grafanaTypes';
import { inMajorUnits, isMinorUnitAmount, moneyUnit } from './moneyUnit';

/** Every panel and query reads the data source chosen in the `datasource` variable. */
export const datasourceRef: GrafanaDatasourceRef = { type: 'prometheus', uid: '${datasource}' };

/** A panel before it is placed on the grid. */
export type PanelDraft = Omit<GrafanaPanel, 'id' | 'gridPos' | 'datasource'>;

interface TargetSpec {
  readonly expr: string;
  readonly legend: string;
  readonly instant?: boolean;
}

function targets(specs: readonly TargetSpec[]): GrafanaTarget[] {
  return specs.map((spec, index) => ({
    refId: String.fromCharCode(65 + index),
    datasource: datasourceRef,
    expr: spec.expr,
    legendFormat: spec.legend,
    instant: spec.instant ?? false,
    range: !(spec.instant ?? false),
  }));
}

function timeseries(title: string, description: string, unit: string, specs: readonly TargetSpec[]): PanelDraft {
  return {
    type: 'timeseries',
    title,
    description,
    targets: targets(specs),
    fieldConfig: { defaults: { unit, min: 0, custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, spanNulls: true } }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

/** Scope matcher selecting the services picked in the `service` variable. */
export function serviceScope(config: GeneratorConfig): string[] {
  return [`${config.dashboard.serviceLabel}=~"$service"`];
}

/** The guide's business panels, for the metrics the catalog has. */
export function businessPanels(guide: GuideSeries, config: GeneratorConfig): PanelDraft[] {
  const scope = serviceScope(config);
  const money = moneyUnit(config.dashboard.currency);
  const panels: PanelDraft[] = [];
  const { funnel, revenue, orderValue, featureUsage, sessionDuration, activeUsers } = guide;
  if (funnel !== undefined) {
    // One query per step keeps the bars in funnel order (one `sum by (step)` would sort them by name).
    panels.push({
      type: 'bargauge',
      title: 'Conversion funnel',
      description: 'Checkout funnel steps reached in the selected time range.',
      targets: targets(
        checkoutSteps.map((step) => ({
          expr: `sum by (step) (increase(${selector(funnel, [`step="${step}"`, ...scope])}[$__range]))`,
          legend: '{{step}}',
          instant: true,
        })),
      ),
      fieldConfig: { defaults: { unit: 'short', min: 0, decimals: 0 }, overrides: [] },
      options: {
        orientation: 'horizontal',
        displayMode: 'gradient',
        showUnfilled: true,
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      },
    });
    panels.push(
      timeseries('Conversion rate and cart abandonment', 'order_confirmed / cart_view over 1h (the guide\'s alert window).', 'percentunit', [
        { expr: conversionRatio(funnel, '1h', scope), legend: 'conversion rate' },
        { expr: cartAbandonmentRatio(funnel, '1h', scope), legend: 'cart abandonment' },
      ]),
    );
  }
  if (revenue !== undefined) {
    panels.push(
      timeseries('Revenue per minute by region', `Revenue per minute in ${config.dashboard.currency}, from ${revenue} (recorded in minor units).`, money.unit, [
        { expr: inMajorUnits(revenuePerMinuteByRegion(revenue, '$__rate_interval', scope), money), legend: '{{region}}' },
      ]),
    );
  }
  if (orderValue !== undefined) {
    panels.push(
      timeseries('Order value quantiles by category', `Median and p95 order value in ${config.dashboard.currency} over 1h.`, money.unit, [
        { expr: inMajorUnits(histogramQuantile(orderValue, 0.5, ['product_category'], '1h', scope), money), legend: 'p50 {{product_category}}' },
        { expr: inMajorUnits(histogramQuantile(orderValue, 0.95, ['product_category'], '1h', scope), money), legend: 'p95 {{product_category}}' },
      ]),
    );
  }
  if (featureUsage !== undefined) {
    panels.push(
      timeseries('New-user feature adoption', 'Share of new-user feature interactions per feature over 24h.', 'percentunit', [
        { expr: newUserFeatureAdoption(featureUsage, '24h', scope), legend: '{{feature_name}}' },
      ]),
    );
  }
  if (sessionDuration !== undefined) {
    panels.push(
      timeseries('Session duration p95 by user tier', 'p95 session length over 1h.', 's', [
        { expr: histogramQuantile(sessionDuration, 0.95, ['user_tier'], '1h', scope), legend: '{{user_tier}}' },
      ]),
    );
  }
  if (activeUsers !== undefined) {
    panels.push(
      timeseries(
        'Active users by window and tier',
        'Distinct users per window (daily, weekly, monthly): max over instances, which is the global count with the shared sketch store; per-process sketches are right for one instance only.',
        'short',
        [{ expr: activeUsersByWindowAndTier(activeUsers, scope), legend: '{{window}} {{user_tier}}' }],
      ),
    );
  }
  return panels;
}

const builtInNames: ReadonlySet<string> = new Set(businessCatalog.map((definition) => definition.name));

/** Grafana unit of a UCUM unit; amounts in minor units become the configured currency. */
function grafanaUnit(unit: string, config: GeneratorConfig): string {
  if (isMinorUnitAmount(unit)) return moneyUnit(config.dashboard.currency).unit;
  return ({ s: 's', ms: 'ms', By: 'bytes', '1': 'percentunit', '%': 'percent' } as Readonly<Record<string, string>>)[unit] ?? 'short';
}

/**
 * One panel for each metric of your own (`--catalog`), the way `rules` records them: counters as a
 * rate per minute, histograms as p95, gauges as their sum, each by the first declared label.
 */
export function customMetricPanels(catalog: readonly MetricDefinition[], config: GeneratorConfig): PanelDraft[] {
  const scope = serviceScope(config);
  return catalog
    .filter((definition) => !builtInNames.has(definition.name))
    .map((definition) => {
      const name = prometheusName(definition);
      const by = definition.labels[0]?.name;
      const legend = by === undefined ? definition.name : `{{${by}}}`;
      const grouping = by === undefined ? 'sum' : `sum by (${by})`;
      const money = isMinorUnitAmount(definition.unit) ? moneyUnit(config.dashboard.currency) : undefined;
      const shown = (expr: string): string => (money === undefined ? expr : inMajorUnits(expr, money));
      const unit = grafanaUnit(definition.unit, config);
      if (definition.kind === 'counter') {
        return timeseries(`${definition.name} per minute`, `${definition.description} (${name}, per minute).`, unit, [
          { expr: shown(`${grouping} (rate(${selector(name, scope)}[$__rate_interval])) * 60`), legend },
        ]);
      }
      if (definition.kind === 'histogram') {
        return timeseries(`${definition.name} p95`, `${definition.description} (p95 of ${name}).`, unit, [
          { expr: shown(histogramQuantile(name, 0.95, by === undefined ? [] : [by], '$__rate_interval', scope)), legend },
        ]);
      }
      return timeseries(definition.name, `${definition.description} (${name}).`, unit, [{ expr: shown(`${grouping} (${selector(name, scope)})`), legend }]);
    });
}

/** Request latency and error rate from the HTTP server histogram, to set beside the business panels. */
export function technicalPanels(config: GeneratorConfig): PanelDraft[] {
  const scope = serviceScope(config);
  const metric = config.dashboard.technicalMetric;
  const count = `${metric}_count`;
  return [
    timeseries('Request error rate', '5xx responses / all responses.', 'percentunit', [
      {
        // No 5xx at all is a 0% error rate, not "no data".
        expr: [
          `(sum(rate(${selector(count, ['http_response_status_code=~"5.."', ...scope])}[$__rate_interval])) or vector(0))`,
          '/',
          `(sum(rate(${selector(count, scope)}[$__rate_interval])) > 0)`,
        ].join('\n'),
        legend: 'error rate',
      },
    ]),
    timeseries('Request latency p99 by route', `p99 of ${metric} by http_route.`, 's', [
      { expr: histogramQuantile(metric, 0.99, ['http_route'], '$__rate_interval', scope), legend: '{{http_route}}' },
    ]),
  ];
}
