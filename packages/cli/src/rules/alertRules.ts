import type { MetricDefinition } from '@bizmetrics/core';
import type { AlertSettings, GeneratorConfig } from '../config/generatorConfig';
import { conversionRatio, funnelStepRate, indent, selector } from '@bizmetrics/core/queries';
import { guideSeries } from '../promql/guideSeries';
import type { AlertRule, RuleGroup } from './ruleTypes';

function percent(ratio: number): string {
  return `${+(ratio * 100).toFixed(4)}%`;
}

function dollars(cents: number): string {
  const value = cents / 100;
  return `$${Number.isInteger(value) ? String(value) : value.toFixed(2)}`;
}

function labels(settings: AlertSettings): Record<string, string> {
  return { severity: settings.severity, team: settings.team };
}

/**
 * `and <cart views per hour> >= N`: the funnel alerts stay quiet when too few carts are viewed for
 * the ratio to mean anything (a quiet night), and when traffic stops altogether.
 */
function minimumTraffic(funnel: string, config: GeneratorConfig): string {
  const perHour = config.guards.minCartViewsPerHour;
  // With the guard off, still refuse a zero denominator.
  const bound = perHour > 0 ? `>= ${perHour}` : '> 0';
  return `and\n${funnelStepRate(funnel, 'cart_view', '1h')} * 3600 ${bound}`;
}

function trafficNote(config: GeneratorConfig): string {
  const perHour = config.guards.minCartViewsPerHour;
  return perHour > 0 ? ` (with at least ${perHour} cart views per hour)` : '';
}

function conversionRateDrop(funnel: string, config: GeneratorConfig): AlertRule {
  const settings = config.alerts.conversionRateDrop;
  return {
    alert: 'ConversionRateDrop',
    expr: `(\n${indent(conversionRatio(funnel))}\n) < ${settings.threshold}\n${minimumTraffic(funnel, config)}`,
    for: settings.for,
    labels: labels(settings),
    annotations: {
      summary: `Conversion rate has dropped below ${percent(settings.threshold)}`,
      description: [
        'Current conversion rate is {{ $value | humanizePercentage }}.',
        `This is below the threshold of ${percent(settings.threshold)}${trafficNote(config)}.`,
        'Check for checkout errors, payment gateway issues, or UX problems.',
      ].join('\n'),
    },
  };
}

function revenueBelowBaseline(revenue: string, funnel: string | undefined, config: GeneratorConfig): AlertRule {
  const settings = config.alerts.revenueBelowBaseline;
  // No revenue series at all (nothing sold since the process started) is zero revenue, not "no data".
  const perMinute = `(sum(rate(${selector(revenue)}[5m])) or vector(0)) * 60 < ${settings.threshold}`;
  return {
    alert: 'RevenueBelowBaseline',
    expr: funnel === undefined ? perMinute : `${perMinute}\n${minimumTraffic(funnel, config)}`,
    for: settings.for,
    labels: labels(settings),
    annotations: {
      summary: `Revenue per minute is below ${dollars(settings.threshold)}`,
      description: [
        // The guide prints the cents value with a dollar sign; say what the number is.
        'Current revenue rate is {{ $value | humanize }} cents per minute.',
        `Expected baseline during business hours is ${dollars(settings.threshold)} per minute.`,
      ].join('\n'),
    },
  };
}

function highCartAbandonment(funnel: string, config: GeneratorConfig): AlertRule {
  const settings = config.alerts.highCartAbandonment;
  return {
    alert: 'HighCartAbandonment',
    expr: `1 - (\n${indent(conversionRatio(funnel))}\n) > ${settings.threshold}\n${minimumTraffic(funnel, config)}`,
    for: settings.for,
    labels: labels(settings),
    annotations: {
      summary: `Cart abandonment rate exceeds ${percent(settings.threshold)}`,
      description: ['{{ $value | humanizePercentage }} of carts are being abandoned.', 'Review checkout flow for potential friction points.'].join(
        '\n',
      ),
    },
  };
}

function newUserEngagementDrop(featureUsage: string, config: GeneratorConfig): AlertRule {
  const settings = config.alerts.newUserEngagementDrop;
  const newUsers = selector(featureUsage, ['is_new_user="true"']);
  const lastWeek = `sum(rate(${newUsers}[24h] offset 7d))`;
  const perDay = config.guards.minNewUserFeatureUsesPerDay;
  return {
    alert: 'NewUserEngagementDrop',
    expr: [
      '(',
      `  (sum(rate(${newUsers}[24h])) or vector(0))`,
      '  /',
      `  (${lastWeek} > 0)`,
      `) < ${settings.threshold}`,
      'and',
      `${lastWeek} * 86400 ${perDay > 0 ? `>= ${perDay}` : '> 0'}`,
    ].join('\n'),
    for: settings.for,
    labels: labels(settings),
    annotations: {
      summary: `New user feature engagement dropped ${percent(1 - settings.threshold)} week over week`,
      description: [
        'New user engagement is at {{ $value | humanizePercentage }} of last week.',
        'Check for onboarding flow issues or product changes.',
      ].join('\n'),
    },
  };
}

function businessMetricsAbsent(metric: string, config: GeneratorConfig): AlertRule {
  const settings = config.alerts.businessMetricsAbsent;
  return {
    alert: 'BusinessMetricsAbsent',
    expr: `absent(${metric})`,
    for: settings.for,
    labels: labels(settings),
    annotations: {
      summary: 'Business metrics are not arriving',
      description: [
        `No ${metric} series has been scraped for ${settings.for}: the business alerts cannot fire while it is missing.`,
        'Check that the app is up, that its /metrics endpoint is scraped, and the collector pipeline.',
      ].join('\n'),
    },
  };
}

/** The guide's four alerts with the guards it lacks, plus the metrics-absent alert; each only when its metrics are in the catalog. */
export function buildAlertRules(catalog: readonly MetricDefinition[], config: GeneratorConfig): RuleGroup<AlertRule> {
  const guide = guideSeries(catalog);
  const { alerts } = config;
  const rules: AlertRule[] = [];
  if (guide.funnel !== undefined && alerts.conversionRateDrop.enabled) rules.push(conversionRateDrop(guide.funnel, config));
  if (guide.revenue !== undefined && alerts.revenueBelowBaseline.enabled) rules.push(revenueBelowBaseline(guide.revenue, guide.funnel, config));
  if (guide.funnel !== undefined && alerts.highCartAbandonment.enabled) rules.push(highCartAbandonment(guide.funnel, config));
  if (guide.featureUsage !== undefined && alerts.newUserEngagementDrop.enabled) rules.push(newUserEngagementDrop(guide.featureUsage, config));
  const absentMetric = config.guards.absentMetric ?? guide.funnel;
  if (absentMetric !== undefined && alerts.businessMetricsAbsent.enabled) rules.push(businessMetricsAbsent(absentMetric, config));
  return { name: 'business_metrics', rules };
}
