/**
 * The guide's example queries as the guide prints them (whitespace aside), on the series names
 * bizmetrics exports. They are the contract: each must answer on what we export, through the
 * scrape endpoint and through the collector alike.
 */
export const guideQueries = {
  /** Conversion rate over the last hour, in percent of cart views that end in a purchase. */
  conversionRatePercent: [
    'sum(rate(business_funnel_step_total{step="order_confirmed"}[1h]))',
    '/',
    'sum(rate(business_funnel_step_total{step="cart_view"}[1h]))',
    '* 100',
  ].join('\n'),
  /** Revenue per minute by region, in cents. */
  revenuePerMinuteByRegion: 'sum by (region) (rate(business_revenue_cents_total[5m])) * 60',
  /** The guide calls it "average order value by product category"; it is the median (p50). */
  medianOrderValueByCategory: 'histogram_quantile(0.5,\n  sum by (product_category, le) (\n    rate(business_order_value_cents_bucket[1h])\n  )\n)',
  /**
   * Feature adoption rate for new users, in percent of their feature uses, per feature: the
   * adoption-query fix (`ignoring(feature_name) group_left`), see `guideAdoptionQueryAsPrinted`.
   */
  newUserFeatureAdoptionPercent: [
    'sum(rate(business_feature_usage_total{is_new_user="true"}[24h])) by (feature_name)',
    '/ ignoring(feature_name) group_left',
    'sum(rate(business_feature_usage_total{is_new_user="true"}[24h]))',
    '* 100',
  ].join('\n'),
  /** Session duration p95 by user tier, in seconds. */
  sessionDurationP95ByTier: 'histogram_quantile(0.95,\n  sum by (user_tier, le) (\n    rate(business_session_duration_seconds_bucket[1h])\n  )\n)',
  /** Cart abandonment (ratio), as the guide's HighCartAbandonment alert computes it. */
  cartAbandonmentRatio: [
    '1 - (',
    '  sum(rate(business_funnel_step_total{step="order_confirmed"}[1h]))',
    '  /',
    '  sum(rate(business_funnel_step_total{step="cart_view"}[1h]))',
    ')',
  ].join('\n'),
} as const;

/** Names of the guide's queries. */
export type GuideQueryName = keyof typeof guideQueries;

/**
 * The guide's feature-adoption query exactly as printed. It returns no series: the left side keeps
 * `feature_name`, the right side has no labels, and one-to-one vector matching finds no pair. Kept
 * only so that a test can prove that, and that `guideQueries.newUserFeatureAdoptionPercent` fixes it.
 */
export const guideAdoptionQueryAsPrinted = [
  'sum(rate(business_feature_usage_total{is_new_user="true"}[24h])) by (feature_name)',
  '/',
  'sum(rate(business_feature_usage_total{is_new_user="true"}[24h]))',
  '* 100',
].join('\n');
