import { BusinessMetricsService } from '../guide/businessMetricsService';
import { setupBusinessMetrics } from '../runtime/setupBusinessMetrics';
import { findSampleSum, parseExposition } from '@bizmetrics/test-support';
import { ActiveUsersTracker } from './activeUsersTracker';

function setup(startIso = '2026-11-27T10:00:00Z', options: { maxTiers?: number; exportGauge?: boolean } = {}) {
  let now = Date.parse(startIso);
  const runtime = setupBusinessMetrics({ activeUsers: { ...options, now: () => now } });
  const tracker = runtime.activeUsers as ActiveUsersTracker;
  const service = new BusinessMetricsService(runtime);
  return {
    runtime,
    tracker,
    service,
    setNow(iso: string) {
      now = Date.parse(iso);
    },
  };
}

describe('recordActiveUser', () => {
  it('counts distinct users per window and tier and exports business_active_users', async () => {
    const { runtime, service } = setup();
    for (let repeat = 0; repeat < 3; repeat++) {
      for (let i = 0; i < 40; i++) service.recordActiveUser(`user-${i}`, { userTier: 'free' });
      for (let i = 0; i < 5; i++) service.recordActiveUser(1000 + i, { userTier: 'pro' });
    }
    const text = await runtime.getMetrics();
    for (const window of ['daily', 'weekly', 'monthly']) {
      // A sketch, not a set: two of 40 ids may share a register (p ≈ 5 %), so allow one.
      expect(Math.abs((findSampleSum(parseExposition(text), 'business_active_users', { window, user_tier: 'free' }) as number) - 40)).toBeLessThanOrEqual(1);
      expect(findSampleSum(parseExposition(text), 'business_active_users', { window, user_tier: 'pro' })).toBe(5);
    }
  });

  it('never puts a user id in the exposition or the exported sketch', async () => {
    const { runtime, service } = setup();
    service.recordActiveUser('alice@example.com', { userTier: 'pro' });
    service.recordActiveUser('user-8472615', { userTier: 'pro' });
    const text = await runtime.getMetrics();
    const snapshot = JSON.stringify(service.activeUsers?.exportSketch());
    for (const id of ['alice', 'example.com', '8472615']) {
      expect(text).not.toContain(id);
      expect(snapshot).not.toContain(id);
    }
    expect(findSampleSum(parseExposition(text), 'business_active_users', { window: 'daily', user_tier: 'pro' })).toBe(2);
  });

  it('resets each window at its UTC boundary, read as zero until new activity', async () => {
    const { runtime, service, setNow, tracker } = setup('2026-11-27T23:59:00Z'); // Friday
    service.recordActiveUser('a', { userTier: 'free' });
    service.recordActiveUser('b', { userTier: 'free' });
    setNow('2026-11-28T00:00:01Z'); // Saturday: new day, same ISO week and month
    let text = await runtime.getMetrics();
    expect(findSampleSum(parseExposition(text), 'business_active_users', { window: 'daily', user_tier: 'free' })).toBe(0);
    expect(findSampleSum(parseExposition(text), 'business_active_users', { window: 'weekly', user_tier: 'free' })).toBe(2);
    service.recordActiveUser('a', { userTier: 'free' });
    expect(Math.round(tracker.estimate('daily', 'free'))).toBe(1);
    expect(Math.round(tracker.estimate('weekly', 'free'))).toBe(2);
    setNow('2026-11-30T09:00:00Z'); // Monday: new week, same month
    service.recordActiveUser('c', { userTier: 'free' });
    text = await runtime.getMetrics();
    expect(findSampleSum(parseExposition(text), 'business_active_users', { window: 'weekly', user_tier: 'free' })).toBe(1);
    expect(findSampleSum(parseExposition(text), 'business_active_users', { window: 'monthly', user_tier: 'free' })).toBe(3);
    setNow('2026-12-01T00:00:00Z'); // new month
    expect(tracker.estimate('monthly', 'free')).toBe(0);
  });

  it('drops bad ids and tiers past the cap without throwing, and counts them', async () => {
    const { runtime, service } = setup(undefined, { maxTiers: 2 });
    service.recordActiveUser('', { userTier: 'free' });
    service.recordActiveUser(Number.NaN, { userTier: 'free' });
    service.recordActiveUser({} as unknown as string, { userTier: 'free' });
    service.recordActiveUser('u1', { userTier: 'free' });
    service.recordActiveUser('u1', { userTier: 'pro' });
    service.recordActiveUser('u1', { userTier: 'enterprise' });
    service.recordActiveUser('u1', { userTier: 'bob@example.com' });
    const text = await runtime.getMetrics();
    expect(findSampleSum(parseExposition(text), 'bizmetrics_refused_values_total', { metric: 'business_active_users', reason: 'invalid_value' })).toBe(3);
    expect(findSampleSum(parseExposition(text), 'bizmetrics_refused_values_total', { metric: 'business_active_users', reason: 'cardinality_overflow' })).toBe(2);
    // The address becomes the tier `redacted` (counted), which then finds the two tier places taken.
    expect(findSampleSum(parseExposition(text), 'bizmetrics_refused_values_total', { metric: 'business_active_users', reason: 'personal_data_email' })).toBe(1);
    expect(findSampleSum(parseExposition(text), 'business_active_users', { user_tier: 'enterprise' })).toBeUndefined();
  });

  it('keeps the guide updateActiveUsers for tiers it feeds', async () => {
    const { runtime, service } = setup();
    service.updateActiveUsers('daily', new Map([['enterprise', 12]]));
    expect(findSampleSum(parseExposition(await runtime.getMetrics()), 'business_active_users', { window: 'daily', user_tier: 'enterprise' })).toBe(12);
  });
});

describe('multi-instance: exportSketch / mergeSketch', () => {
  it('merged sketches estimate the union within 2 %, while summing instances is far off', () => {
    const start = '2026-11-27T10:00:00Z';
    const a = setup(start);
    const b = setup(start);
    const aggregator = setup(start, { exportGauge: true });
    for (let i = 0; i < 700_000; i++) a.tracker.record(`user-${i}`, 'free');
    for (let i = 300_000; i < 1_000_000; i++) b.tracker.record(`user-${i}`, 'free');
    const summed = a.tracker.estimate('daily', 'free') + b.tracker.estimate('daily', 'free');
    // Over the wire as JSON, as an aggregator would receive them.
    for (const instance of [a, b]) {
      const result = aggregator.tracker.mergeSketch(JSON.parse(JSON.stringify(instance.tracker.exportSketch())));
      expect(result).toEqual({ merged: 3, skipped: 0 });
    }
    const merged = aggregator.tracker.estimate('daily', 'free');
    expect(Math.abs(merged - 1_000_000) / 1_000_000).toBeLessThan(0.02);
    expect(Math.abs(summed - 1_000_000) / 1_000_000).toBeGreaterThan(0.3);
  });

  it('skips sketches of other windows and refuses malformed snapshots', () => {
    const old = setup('2026-11-20T10:00:00Z');
    old.tracker.record('x', 'free');
    const snapshot = old.tracker.exportSketch();
    const current = setup('2026-11-27T10:00:00Z');
    // Different day and ISO week; same month.
    expect(current.tracker.mergeSketch(snapshot)).toEqual({ merged: 1, skipped: 2 });
    expect(() => current.tracker.mergeSketch({ format: 'other' } as never)).toThrow(TypeError);
    expect(() =>
      current.tracker.mergeSketch({ ...snapshot, sketches: [{ ...snapshot.sketches.find((s) => s.window === 'monthly')!, registers: 'AAAA' }] }),
    ).toThrow(RangeError);
  });

  it('does not export the gauge when exportGauge is false', async () => {
    const runtime = setupBusinessMetrics();
    const tracker = new ActiveUsersTracker(runtime.metrics.gauge('business_active_users'), { exportGauge: false });
    tracker.record('u', 'free');
    expect(findSampleSum(parseExposition(await runtime.getMetrics()), 'business_active_users')).toBeUndefined();
    expect(Math.round(tracker.estimate('daily', 'free'))).toBe(1);
  });
});
