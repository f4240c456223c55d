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
const paymentMethod = { name: 'payment_method', description: 'How the order was paid', examples: ['card', 'paypal', 'invoice'] } as const satisfies LabelDefinition;
const region = { name: 'region', description: 'Sales region', examples: ['us_west', 'us_east', 'eu'] } as const satisfies LabelDefinition;
/**
 * ISO 4217 code of an amount. Recorders fill it from `defaultCurrency` (one currency per deployment)
 * unless a call names another accepted currency; sums across different values are meaningless,
 * so multi-currency deployments query `sum by (currency)`.
 */
const currency = {
  name: 'currency',
  description: 'ISO 4217 code of the amount; values are integers in its minor unit',
  examples: ['USD', 'EUR', 'JPY'],
  default: 'USD',
  values: { pattern: '[A-Z]{3}' },
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
    { name: 'step', description: 'Funnel step reached', examples: [...checkoutSteps, 'checkout_error'], knownValues: [...checkoutSteps, 'checkout_error'] },
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
  labels: [productCategory, paymentMethod, region, currency],
} as const satisfies MetricDefinition;

/** Refunds, cancellations and chargebacks: net revenue is revenue minus this, one PromQL subtraction. */
export const refundsMetric = {
  name: 'business_refunds_cents',
  kind: 'counter',
  unit: '{cent}',
  description: 'Total refunded or cancelled revenue in minor currency units',
  owner: 'Revenue Team',
  valueType: 'integer',
  labels: [
    productCategory,
    paymentMethod,
    region,
    {
      name: 'reason',
      description: 'Why the money went back',
      examples: ['refund', 'cancellation', 'chargeback'],
      knownValues: ['refund', 'cancellation', 'chargeback'],
      default: 'refund',
    },
    currency,
  ],
} as const satisfies MetricDefinition;

export const orderValueMetric = {
  name: 'business_order_value_cents',
  kind: 'histogram',
  unit: '{cent}',
  description: 'Distribution of order values in cents',
  owner: 'Revenue Team',
  valueType: 'integer',
  labels: [productCategory, currency],
  buckets: [500, 1000, 2500, 5000, 10000, 25000, 50000],
} as const satisfies MetricDefinition;

export const revenuePerMinuteMetric = {
  name: 'business_revenue_per_minute_cents',
  kind: 'gauge',
  unit: '{cent}',
  description: 'Rolling revenue per minute calculation',
  owner: 'Revenue Team',
  labels: [region, currency],
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
    { name: 'is_new_user', description: 'Whether the user signed up recently', examples: ['true', 'false'], values: { pattern: 'true|false', outsideValue: 'unknown' } },
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
  labels: [{ name: 'window', description: 'Counting window', examples: ['daily', 'weekly', 'monthly'], values: { pattern: '[a-z0-9_]{1,32}' } }, userTier],
} as const satisfies MetricDefinition;

/** Where sessions left a funnel: the last step reached by sessions that ended, idled out or were evicted. */
export const funnelAbandonedMetric = {
  name: 'business_funnel_abandoned',
  kind: 'counter',
  unit: '{session}',
  description: 'Funnel sessions abandoned, by the last step they reached',
  owner: 'Growth Team',
  labels: [
    { name: 'funnel', description: 'Funnel name from defineFunnel', examples: ['checkout'] },
    { name: 'step', description: 'Last step the session reached', examples: [...checkoutSteps], knownValues: [...checkoutSteps] },
    {
      name: 'experiment_variant',
      description: 'A/B experiment variant of the session',
      examples: ['control', 'variant_a'],
      default: 'control',
    },
  ],
} as const satisfies MetricDefinition;

/** The guide's nine instruments, then the refunds and funnel-abandonment counters. */
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
  refundsMetric,
  funnelAbandonedMetric,
] as const satisfies readonly MetricDefinition[];
