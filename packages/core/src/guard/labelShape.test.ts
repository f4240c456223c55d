import { setupBusinessMetrics } from '../runtime/setupBusinessMetrics';
import { findCatalogProblems } from '../catalog/validateCatalog';
import type { MetricDefinition } from '../catalog/metricDefinition';

const shaped = {
  name: 'business_shaped',
  kind: 'counter',
  unit: '{event}',
  description: 'A metric whose labels declare their values',
  owner: 'Test Team',
  labels: [
    { name: 'payment_method', description: 'closed set with a fallback', knownValues: ['card', 'paypal', 'other'], values: { closed: true, outsideValue: 'other' } },
    { name: 'currency', description: 'pattern, refused outside', values: { pattern: '[A-Z]{3}' }, default: 'USD' },
  ],
} as const satisfies MetricDefinition;

describe('declared label value shapes', () => {
  it('maps a value outside a closed set to its declared fallback (kept, counted) and refuses one outside a pattern without fallback (counted)', () => {
    const bm = setupBusinessMetrics({ catalog: [shaped] });
    bm.metrics.count('business_shaped', { payment_method: 'card', currency: 'EUR' });
    bm.metrics.count('business_shaped', { payment_method: 'bitcoin', currency: 'EUR' });
    bm.metrics.count('business_shaped', { payment_method: 'card', currency: 'euro' });
    const series = [...bm.metrics.counter('business_shaped').series.all()].filter((s) => s.value > 0).map((s) => [s.attributes.payment_method, s.attributes.currency, s.value]);
    expect(series).toEqual([
      ['card', 'EUR', 1],
      ['other', 'EUR', 1],
    ]);
    expect(bm.metrics.refusedCount('label_value_outside_shape')).toBe(2);
  });

  it('finds shape mistakes in a catalog at set-up', () => {
    const broken = {
      ...shaped,
      labels: [
        { name: 'payment_method', description: 'closed without values', values: { closed: true } },
        { name: 'currency', description: 'bad pattern', values: { pattern: '([A-Z' } },
      ],
    } as unknown as MetricDefinition;
    const fields = findCatalogProblems([broken]).map((problem) => problem.field);
    expect(fields).toEqual(expect.arrayContaining(['labels[0].values', 'labels[1].values.pattern']));
  });

  it('the guide catalog: is_new_user outside true/false becomes unknown; a currency that is not three capitals is refused', () => {
    const bm = setupBusinessMetrics();
    bm.metrics.count('business_feature_usage', { feature_name: 'export', user_tier: 'pro', is_new_user: 'maybe' });
    const usage = [...bm.metrics.counter('business_feature_usage').series.all()].filter((s) => s.value > 0);
    expect(usage.map((s) => s.attributes.is_new_user)).toEqual(['unknown']);
    expect(bm.metrics.refusedCount('label_value_outside_shape')).toBe(1);
  });
});
