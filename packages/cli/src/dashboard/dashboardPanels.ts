import { checkoutSteps } from '@bizmetrics/core';
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
      timeseries('Revenue per minute by region', 'Cents per minute, from business_revenue_cents_total.', 'short', [
        { expr: revenuePerMinuteByRegion(revenue, '$__rate_interval', scope), legend: '{{region}}' },
      ]),
    );
  }
  if (orderValue !== undefined) {
    panels.push(
      timeseries('Order value quantiles by category', 'Median and p95 order value in cents over 1h.', 'short', [
        { expr: histogramQuantile(orderValue, 0.5, ['product_category'], '1h', scope), legend: 'p50 {{product_category}}' },
        { expr: histogramQuantile(orderValue, 0.95, ['product_category'], '1h', scope), legend: 'p95 {{product_category}}' },
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
