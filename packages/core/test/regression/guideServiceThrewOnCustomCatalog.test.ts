// Bug: with a custom catalog lacking the guide's instruments, every guide-API call
// (`bm.service.recordFunnelStep(...)`) threw "no counter named ... in the catalog" into business code.
// Now the call is counted as unknown_metric and dropped (thrown only in strict mode).
import { businessCatalog, RefusedValueError, setupBusinessMetrics, type MetricDefinition } from '../../src/index';
import { parseExposition, sampleValue } from '@bizmetrics/test-support';

const trials = { name: 'business_trials', kind: 'counter', unit: '{trial}', description: 'Trials', owner: 'Growth', labels: [] } as const satisfies MetricDefinition;

describe('regression: the guide service threw on a custom catalog without the guide instruments', () => {
  it('counts the calls as unknown_metric and keeps recording what the catalog has', async () => {
    const bm = setupBusinessMetrics({ catalog: [trials] });
    expect(() => bm.service.recordFunnelStep('cart_view', { source: 'a', deviceType: 'b' })).not.toThrow();
    expect(() => bm.service.recordRevenue(100, { productCategory: 'b', paymentMethod: 'c', region: 'eu' })).not.toThrow();
    expect(() => bm.service.updateActiveUsers('daily', new Map([['pro', 1]]))).not.toThrow();
    bm.metrics.count('business_trials');
    const samples = parseExposition(await bm.getMetrics());
    // recordRevenue touches two instruments, updateActiveUsers one per map entry.
    expect(sampleValue(samples, 'bizmetrics_refused_values_total', { reason: 'unknown_metric' })).toBe(4);
    expect(sampleValue(samples, 'business_trials_total')).toBe(1);
    await bm.shutdown();
  });

  it('throws RefusedValueError in strict mode', () => {
    const bm = setupBusinessMetrics({ catalog: [trials], strict: true });
    expect(() => bm.service.recordFeatureUsage('x', { userTier: 'pro', isNewUser: true })).toThrow(RefusedValueError);
  });

  it('still uses the guide instruments when a custom catalog includes them', async () => {
    const bm = setupBusinessMetrics({ catalog: [...businessCatalog, trials] });
    bm.service.recordFunnelStep('cart_view', { source: 'a', deviceType: 'b' });
    expect(sampleValue(parseExposition(await bm.getMetrics()), 'business_funnel_step_total', { step: 'cart_view' })).toBe(1);
    expect(bm.metrics.refusedCount()).toBe(0);
    await bm.shutdown();
  });
});
