import { FirstComeAdmission, setupBusinessMetrics, type AdmissionPolicy } from '../index';
import { parseExposition, sampleSum } from '@bizmetrics/test-support';

describe('admission', () => {
  it('first come: the first `capacity` distinct values, and the same answer for one already admitted', () => {
    const policy = new FirstComeAdmission(2);
    expect([policy.admit('a'), policy.admit('b'), policy.admit('c'), policy.admit('a')]).toEqual([true, true, false, true]);
    expect(policy.size).toBe(2);
  });

  it('is one policy for every cap of a runtime, swapped with the admission option', async () => {
    const asked: number[] = [];
    // A policy that admits only label sets of the "pro" tier: everything else goes to the overflow set.
    const proOnly = (capacity: number): AdmissionPolicy => {
      asked.push(capacity);
      const admitted = new Set<string>();
      return {
        admit: (value) => (value.includes('pro') ? (admitted.add(value), true) : false),
        get size() {
          return admitted.size;
        },
      };
    };
    const bm = setupBusinessMetrics({ admission: proOnly, cardinalityLimit: 50, activeUsers: { maxTiers: 7 } });
    bm.service.recordFeatureUsage('export', { userTier: 'pro', isNewUser: false });
    bm.service.recordFeatureUsage('export', { userTier: 'free', isNewUser: false });
    bm.service.recordActiveUser('u1', { userTier: 'free' }); // tier refused by the same policy
    const samples = parseExposition(await bm.getMetrics());
    expect(sampleSum(samples, 'business_feature_usage_total', { user_tier: 'pro' })).toBe(1);
    expect(sampleSum(samples, 'business_feature_usage_total', { otel_metric_overflow: 'true' })).toBe(1);
    expect(Math.round(bm.activeUsers?.estimate('daily', 'free') ?? -1)).toBe(0);
    expect(asked).toContain(50); // every guarded instrument's table
    expect(asked).toContain(7); // the active-user tiers
    await bm.shutdown();
  });
});
