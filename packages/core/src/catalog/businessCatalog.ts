import type { LabelDefinition, MetricDefinition } from './metricDefinition';

// Shared labels keep their literal names (`as const`): typed as plain LabelDefinition, their names
// widened to `string` and the typed API accepted any label name on the metrics using them.

const source = {
  name: 'source',
  description: 'Where the visitor came from (UTM source or referrer host)',
  examples: ['direct', 'google_ads', 'newsletter', 'in_app'],
  default: 'direct',
} as const satisfies LabelDefinition;
const deviceType = {
  name: 'device_type',
  description: 'Device class from the User-Agent',
  examples: ['desktop', 'mobile', 'tablet'],
} as const satisfies LabelDefinition;
const userTier = {
  name: 'user_tier',
  description: 'Plan of the user',
  examples: ['free', 'pro', 'enterprise'],
} as const satisfies LabelDefinition;
const productCategory = {
  name: 'product_category',
  description: 'Catalogue category of the order',
  examples: ['electronics', 'books', 'apparel'],
} as const satisfies LabelDefinition;

/** The guide's funnel steps for the checkout funnel. */
export const checkoutSteps = ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed'] as const;

export const funnelStepMetric = {
  name: 'business_funnel_step',
  kind: 'counter',
  unit: '{step}',
  description: 'Counts progression through conversion funnel steps',
  owner: 'Growth Team',
  labels: [
    { name: 'step', description: 'Funnel step reached', examples: [...checkoutSteps, 'checkout_error'] },
    source,
    deviceType,
    {
      name: 'experiment_variant',
      description: 'A/B experiment variant of the session',
      examples: ['control', 'variant_a'],
      default: 'control',
    },
  ],
} as const satisfies MetricDefinition;

export const conversionsMetric = {
  name: 'business_conversions',
  kind: 'counter',
  unit: '{conversion}',
  description: 'Total number of completed conversions',
  owner: 'Growth Team',
  labels: [
    { name: 'conversion_type', description: 'What converted', examples: ['purchase', 'signup'] },
    source,
    deviceType,
  ],
} as const satisfies MetricDefinition;

export const timeToConversionMetric = {
  name: 'business_time_to_conversion_seconds',
  kind: 'histogram',
  unit: 's',
  description: 'Time elapsed from session start to conversion',
  owner: 'Growth Team',
  labels: [{ name: 'conversion_type', description: 'What converted', examples: ['purchase', 'signup'] }],
  buckets: [30, 60, 120, 300, 600, 1800, 3600],
} as const satisfies MetricDefinition;

export const revenueMetric = {
  name: 'business_revenue_cents',
  kind: 'counter',
  unit: '{cent}',
  description: 'Total revenue in cents to avoid floating point issues',
  owner: 'Revenue Team',
  valueType: 'integer',
  labels: [
    productCategory,
    { name: 'payment_method', description: 'How the order was paid', examples: ['card', 'paypal', 'invoice'] },
    { name: 'region', description: 'Sales region', examples: ['us_west', 'us_east', 'eu'] },
  ],
} as const satisfies MetricDefinition;

export const orderValueMetric = {
  name: 'business_order_value_cents',
  kind: 'histogram',
  unit: '{cent}',
  description: 'Distribution of order values in cents',
  owner: 'Revenue Team',
  valueType: 'integer',
  labels: [productCategory],
  buckets: [500, 1000, 2500, 5000, 10000, 25000, 50000],
} as const satisfies MetricDefinition;

export const revenuePerMinuteMetric = {
  name: 'business_revenue_per_minute_cents',
  kind: 'gauge',
  unit: '{cent}',
  description: 'Rolling revenue per minute calculation',
  owner: 'Revenue Team',
  labels: [{ name: 'region', description: 'Sales region', examples: ['us_west', 'us_east', 'eu'] }],
} as const satisfies MetricDefinition;

export const featureUsageMetric = {
  name: 'business_feature_usage',
  kind: 'counter',
  unit: '{use}',
  description: 'Counts of feature interactions by users',
  owner: 'Product Team',
  labels: [
    { name: 'feature_name', description: 'Feature the user interacted with', examples: ['dashboard_export'] },
    userTier,
    { name: 'is_new_user', description: 'Whether the user signed up recently', examples: ['true', 'false'] },
  ],
} as const satisfies MetricDefinition;

export const sessionDurationMetric = {
  name: 'business_session_duration_seconds',
  kind: 'histogram',
  unit: 's',
  description: 'Duration of user sessions',
  owner: 'Product Team',
  labels: [userTier, { name: 'entry_page', description: 'First page of the session', examples: ['/', '/dashboard'] }],
  buckets: [10, 30, 60, 120, 300, 600, 1800, 3600],
} as const satisfies MetricDefinition;

export const activeUsersMetric = {
  name: 'business_active_users',
  kind: 'gauge',
  unit: '{user}',
  description: 'Number of active users in the given time window',
  owner: 'Product Team',
  valueType: 'integer',
  labels: [{ name: 'window', description: 'Counting window', examples: ['daily', 'weekly', 'monthly'] }, userTier],
} as const satisfies MetricDefinition;

/** The guide's nine instruments. */
export const businessCatalog = [
  funnelStepMetric,
  conversionsMetric,
  timeToConversionMetric,
  revenueMetric,
  orderValueMetric,
  revenuePerMinuteMetric,
  featureUsageMetric,
  sessionDurationMetric,
  activeUsersMetric,
] as const satisfies readonly MetricDefinition[];
