import {
  activeUsersMetric,
  featureUsageMetric,
  funnelStepMetric,
  orderValueMetric,
  prometheusName,
  revenueMetric,
  sessionDurationMetric,
  type MetricDefinition,
} from '@bizmetrics/core';
import { findMetric } from '../catalog/catalogLookup';

/**
 * Prometheus names of the guide's metrics that the catalog actually has. Rules, panels and alerts
 * built on a metric are generated only when the catalog declares it.
 */
export interface GuideSeries {
  /** `business_funnel_step_total` */
  readonly funnel?: string;
  /** `business_revenue_cents_total` */
  readonly revenue?: string;
  /** `business_order_value_cents` (histogram base name) */
  readonly orderValue?: string;
  /** `business_feature_usage_total` */
  readonly featureUsage?: string;
  /** `business_session_duration_seconds` (histogram base name) */
  readonly sessionDuration?: string;
  /** `business_active_users` (gauge; aggregated with `max` across instances, never `sum`) */
  readonly activeUsers?: string;
}

/** The guide metrics (by OpenTelemetry name) whose rules and panels are special-cased. */
export const guideMetricNames: readonly string[] = [
  funnelStepMetric.name,
  revenueMetric.name,
  orderValueMetric.name,
  featureUsageMetric.name,
  sessionDurationMetric.name,
  activeUsersMetric.name,
];

function present(catalog: readonly MetricDefinition[], name: string, kind: MetricDefinition['kind']): string | undefined {
  const definition = findMetric(catalog, name);
  return definition?.kind === kind ? prometheusName(definition) : undefined;
}

/** Looks the guide's metrics up in a catalog. */
export function guideSeries(catalog: readonly MetricDefinition[]): GuideSeries {
  return {
    funnel: present(catalog, funnelStepMetric.name, 'counter'),
    revenue: present(catalog, revenueMetric.name, 'counter'),
    orderValue: present(catalog, orderValueMetric.name, 'histogram'),
    featureUsage: present(catalog, featureUsageMetric.name, 'counter'),
    sessionDuration: present(catalog, sessionDurationMetric.name, 'histogram'),
    activeUsers: present(catalog, activeUsersMetric.name, 'gauge'),
  };
}
