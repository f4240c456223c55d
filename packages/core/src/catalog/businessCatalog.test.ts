import { businessCatalog, prometheusName } from '../index';

// The guide's nine instruments, copied from its prom-client code: names, types, label names, buckets.
const guide = [
  { prom: 'business_funnel_step_total', type: 'counter', labels: ['step', 'source', 'device_type', 'experiment_variant'] },
  { prom: 'business_conversions_total', type: 'counter', labels: ['conversion_type', 'source', 'device_type'] },
  {
    prom: 'business_time_to_conversion_seconds',
    type: 'histogram',
    labels: ['conversion_type'],
    buckets: [30, 60, 120, 300, 600, 1800, 3600],
  },
  { prom: 'business_revenue_cents_total', type: 'counter', labels: ['product_category', 'payment_method', 'region'] },
  {
    prom: 'business_order_value_cents',
    type: 'histogram',
    labels: ['product_category'],
    buckets: [500, 1000, 2500, 5000, 10000, 25000, 50000],
  },
  { prom: 'business_revenue_per_minute_cents', type: 'gauge', labels: ['region'] },
  { prom: 'business_feature_usage_total', type: 'counter', labels: ['feature_name', 'user_tier', 'is_new_user'] },
  {
    prom: 'business_session_duration_seconds',
    type: 'histogram',
    labels: ['user_tier', 'entry_page'],
    buckets: [10, 30, 60, 120, 300, 600, 1800, 3600],
  },
  { prom: 'business_active_users', type: 'gauge', labels: ['window', 'user_tier'] },
] as const;

describe('businessCatalog', () => {
  it('declares exactly the guide nine instruments, in its order', () => {
    expect(businessCatalog.map((d) => prometheusName(d))).toEqual(guide.map((g) => g.prom));
  });

  it.each(guide)('$prom has the guide type, label names and buckets', (expected) => {
    const definition = businessCatalog.find((d) => prometheusName(d) === expected.prom);
    expect(definition).toBeDefined();
    expect(definition?.kind).toBe(expected.type);
    expect(definition?.labels.map((l) => l.name)).toEqual(expected.labels);
    expect((definition as { buckets?: readonly number[] }).buckets).toEqual('buckets' in expected ? expected.buckets : undefined);
  });

  it('keeps money and user counts integer-only', () => {
    const integerOnly = businessCatalog.filter((d) => 'valueType' in d && d.valueType === 'integer').map((d) => d.name);
    expect(integerOnly).toEqual(['business_revenue_cents', 'business_order_value_cents', 'business_active_users']);
  });
});

describe('prometheusName', () => {
  it('adds _total to counters once and leaves other kinds alone', () => {
    expect(prometheusName({ name: 'a', kind: 'counter' })).toBe('a_total');
    expect(prometheusName({ name: 'a_total', kind: 'counter' })).toBe('a_total');
    expect(prometheusName({ name: 'a', kind: 'histogram' })).toBe('a');
    expect(prometheusName({ name: 'a', kind: 'gauge' })).toBe('a');
  });
});
