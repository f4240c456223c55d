import fc from 'fast-check';
import { parseExposition, personalDataArbitraries } from '@bizmetrics/test-support';
import { BusinessMetricsService } from '../index';

// Fixed seed: the same values every run; per family, this many values go through the guide's API.
const seed = 16;
const valuesPerFamily = 200;

describe('personal data in a label value, through the guide API', () => {
  it.each(Object.entries(personalDataArbitraries))(
    'a %s as a funnel step source is exported as source="redacted", every step counted, each refusal counted by family',
    async (_, { family, arbitrary }) => {
      const values = fc.sample(arbitrary, { seed, numRuns: valuesPerFamily });
      const service = new BusinessMetricsService();
      for (const value of values) service.recordFunnelStep('cart_view', { source: value, deviceType: 'mobile' });
      const samples = parseExposition(await service.getMetrics());

      const steps = samples.filter((sample) => sample.name === 'business_funnel_step_total' && sample.labels.step === 'cart_view' && sample.value > 0);
      // Every measurement kept, all under the one redaction value.
      expect(steps.map((sample) => [sample.labels.source, sample.value])).toEqual([['redacted', values.length]]);
      // No generated value (nor its first 12 characters) appears in any label of the exposition.
      const exported = new Set(samples.flatMap((sample) => Object.values(sample.labels)));
      for (const value of values) expect(exported.has(value.trim())).toBe(false);

      const refused = samples.filter((sample) => sample.name === 'bizmetrics_refused_values_total' && sample.labels.metric === 'business_funnel_step');
      const byReason = new Map(refused.map((sample) => [sample.labels.reason, sample.value]));
      // Counted by reason: each value once; the family the generator meant holds most of them.
      expect([...byReason.values()].reduce((a, b) => a + b, 0)).toBe(values.length);
      expect(byReason.get(`personal_data_${family}`) ?? 0).toBeGreaterThan(values.length / 2);
    },
  );

  it('counts a repeated value every time (a redacted value is never served from the alias cache)', async () => {
    const service = new BusinessMetricsService();
    for (let i = 0; i < 5; i++) service.recordFunnelStep('cart_view', { source: 'alice@example.com', deviceType: 'mobile' });
    for (let i = 0; i < 3; i++) service.recordFunnelStep('cart_view', { source: 'google', deviceType: 'mobile' });
    const samples = parseExposition(await service.getMetrics());
    const value = (name: string, labels: Record<string, string>): number | undefined =>
      samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, v]) => sample.labels[key] === v))?.value;
    expect(value('business_funnel_step_total', { step: 'cart_view', source: 'redacted' })).toBe(5);
    expect(value('business_funnel_step_total', { step: 'cart_view', source: 'google' })).toBe(3);
    expect(value('bizmetrics_refused_values_total', { metric: 'business_funnel_step', reason: 'personal_data_email' })).toBe(5);
  });

  it('keeps the amount of a revenue event whose category carries a card number', async () => {
    const service = new BusinessMetricsService();
    service.recordRevenue(4999, { productCategory: '4111 1111 1111 1111', paymentMethod: 'card', region: 'eu' });
    const samples = parseExposition(await service.getMetrics());
    const revenue = samples.filter((sample) => sample.name === 'business_revenue_cents_total' && sample.value > 0);
    expect(revenue.map((sample) => [sample.labels.product_category, sample.value])).toEqual([['redacted', 4999]]);
  });
});
