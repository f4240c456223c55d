import type { MetricDefinition } from '@bizmetrics/core';
import { prometheusName } from '@bizmetrics/core';
import { recordingBaseName } from '../catalog/catalogLookup';
import type { GeneratorConfig } from '../config/generatorConfig';
import { guideMetricNames, guideSeries } from '../promql/guideSeries';
import {
  activeUsersByWindowAndTier,
  cartAbandonmentRatio,
  conversionRatio,
  histogramMean,
  histogramQuantile,
  newUserFeatureAdoption,
  revenuePerMinuteByRegion,
} from '@bizmetrics/core/queries';
import type { RecordingRule, RuleGroup } from './ruleTypes';

/** `p95` for 0.95, `p99_9` for 0.999. */
export function quantileName(quantile: number): string {
  return `p${String(+(quantile * 100).toFixed(6)).replace('.', '_')}`;
}

function guideRecordingRules(catalog: readonly MetricDefinition[], config: GeneratorConfig): RecordingRule[] {
  const guide = guideSeries(catalog);
  const rules: RecordingRule[] = [];
  if (guide.funnel !== undefined) {
    rules.push({ record: 'business:conversion_rate:ratio_rate1h', expr: conversionRatio(guide.funnel) });
    rules.push({ record: 'business:cart_abandonment:ratio_rate1h', expr: cartAbandonmentRatio(guide.funnel) });
  }
  if (guide.revenue !== undefined) {
    rules.push({ record: 'region:business_revenue_cents:per_minute_rate5m', expr: revenuePerMinuteByRegion(guide.revenue) });
  }
  if (guide.orderValue !== undefined) {
    // The guide calls the median "average order value"; the true mean is recorded beside it.
    rules.push({
      record: 'product_category:business_order_value_cents:p50_rate1h',
      expr: histogramQuantile(guide.orderValue, 0.5, ['product_category'], '1h'),
    });
    rules.push({
      record: 'product_category:business_order_value_cents:mean_rate1h',
      expr: histogramMean(guide.orderValue, ['product_category'], '1h'),
    });
  }
  if (guide.featureUsage !== undefined) {
    rules.push({ record: 'feature_name:business_feature_usage:new_user_ratio_rate24h', expr: newUserFeatureAdoption(guide.featureUsage) });
  }
  if (guide.sessionDuration !== undefined) {
    for (const quantile of config.rules.sessionDurationQuantiles) {
      rules.push({
        record: `user_tier:business_session_duration_seconds:${quantileName(quantile)}_rate1h`,
        expr: histogramQuantile(guide.sessionDuration, quantile, ['user_tier'], '1h'),
      });
    }
  }
  if (guide.activeUsers !== undefined) {
    // max, not sum: see activeUsersByWindowAndTier.
    rules.push({ record: 'window_user_tier:business_active_users:max', expr: activeUsersByWindowAndTier(guide.activeUsers) });
  }
  return rules;
}

/** Rules for catalog entries the guide has no query for: rates of counters, p50/p95 of histograms by their first label. */
function catalogRecordingRules(catalog: readonly MetricDefinition[]): RecordingRule[] {
  const rules: RecordingRule[] = [];
  for (const definition of catalog) {
    if (guideMetricNames.includes(definition.name)) continue;
    const firstLabel = definition.labels[0]?.name;
    const level = firstLabel === undefined ? '' : `${firstLabel}:`;
    const by = firstLabel === undefined ? [] : [firstLabel];
    const base = recordingBaseName(definition);
    if (definition.kind === 'counter') {
      const grouping = firstLabel === undefined ? '' : ` by (${firstLabel})`;
      rules.push({ record: `${level}${base}:rate5m`, expr: `sum${grouping} (rate(${prometheusName(definition)}[5m]))` });
    } else if (definition.kind === 'histogram') {
      for (const quantile of [0.5, 0.95]) {
        rules.push({
          record: `${level}${base}:${quantileName(quantile)}_rate1h`,
          expr: histogramQuantile(prometheusName(definition), quantile, by, '1h'),
        });
      }
    }
  }
  return rules;
}

/** The recording-rule group: the guide's queries first, then one set per other catalog entry. */
export function buildRecordingRules(catalog: readonly MetricDefinition[], config: GeneratorConfig): RuleGroup<RecordingRule> {
  return { name: 'business_metrics_recording', rules: [...guideRecordingRules(catalog, config), ...catalogRecordingRules(catalog)] };
}
