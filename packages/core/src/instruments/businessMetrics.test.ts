import { setupBusinessMetrics, type MetricDefinition } from '../index';
import { parseExposition, sampleValue } from '@bizmetrics/test-support';

describe('typed API: setupBusinessMetrics().metrics', () => {
  it('count() adds 1 by default or the given value; observe() records; set() replaces', async () => {
    const bm = setupBusinessMetrics();
    const { metrics } = bm;
    metrics.count('business_conversions', { conversion_type: 'signup', source: 'newsletter', device_type: 'desktop' });
    metrics.count('business_conversions', { conversion_type: 'signup', source: 'newsletter', device_type: 'desktop' }, 4);
    metrics.observe('business_time_to_conversion_seconds', 75, { conversion_type: 'signup' });
    metrics.observe('business_time_to_conversion_seconds', 45, { conversion_type: 'signup' });
    metrics.set('business_active_users', 10, { window: 'weekly', user_tier: 'free' });
    metrics.set('business_active_users', 7, { window: 'weekly', user_tier: 'free' });
    const samples = parseExposition(await bm.getMetrics());
    expect(sampleValue(samples, 'business_conversions_total', { conversion_type: 'signup' })).toBe(5);
    expect(sampleValue(samples, 'business_time_to_conversion_seconds_count')).toBe(2);
    expect(sampleValue(samples, 'business_time_to_conversion_seconds_sum')).toBe(120);
    expect(sampleValue(samples, 'business_time_to_conversion_seconds_bucket', { le: '60' })).toBe(1);
    expect(sampleValue(samples, 'business_time_to_conversion_seconds_bucket', { le: '120' })).toBe(2);
    expect(sampleValue(samples, 'business_active_users', { window: 'weekly', user_tier: 'free' })).toBe(7);
    await bm.shutdown();
  });

  it('exposes the guarded instruments by name and throws on a name not in the catalog (a programming error)', () => {
    const { metrics } = setupBusinessMetrics();
    expect(metrics.counter('business_revenue_cents').definition.name).toBe('business_revenue_cents');
    expect(metrics.histogram('business_order_value_cents').definition.kind).toBe('histogram');
    expect(metrics.gauge('business_active_users').definition.kind).toBe('gauge');
    expect(() => metrics.counter('business_nope' as 'business_revenue_cents')).toThrow('no counter named "business_nope" in the catalog');
  });

  it('rejects undeclared label names and wrong instrument kinds at compile time (and counts them at run time)', () => {
    const { metrics } = setupBusinessMetrics({ prometheus: false });
    // @ts-expect-error country is not a label of business_conversions
    metrics.count('business_conversions', { country: 'de' });
    // @ts-expect-error business_order_value_cents is a histogram, not a counter
    metrics.count('business_order_value_cents');
    // @ts-expect-error gauges take a value
    metrics.set('business_active_users');
    expect(metrics.refusedCount('undeclared_label')).toBe(1);
    expect(metrics.refusedCount('unknown_metric')).toBe(1);
    expect(metrics.refusedCount('invalid_value')).toBe(1);
  });

  it('types and records a custom catalog', async () => {
    const catalog = [
      {
        name: 'business_trials',
        kind: 'counter',
        unit: '{trial}',
        description: 'Trials started',
        owner: 'Growth Team',
        labels: [{ name: 'plan', description: 'Plan', default: 'basic' }],
      },
    ] as const satisfies readonly MetricDefinition[];
    const bm = setupBusinessMetrics({ catalog });
    bm.metrics.count('business_trials', { plan: 'team' });
    bm.metrics.count('business_trials');
    const samples = parseExposition(await bm.getMetrics());
    expect(sampleValue(samples, 'business_trials_total', { plan: 'team' })).toBe(1);
    expect(sampleValue(samples, 'business_trials_total', { plan: 'basic' })).toBe(1);
    // Only the custom catalog's instruments exist.
    expect(samples.some((s) => s.name.startsWith('business_funnel'))).toBe(false);
    await bm.shutdown();
  });
});
