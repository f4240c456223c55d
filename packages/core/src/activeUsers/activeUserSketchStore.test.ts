import { findSampleSum, parseExposition } from '@bizmetrics/test-support';
import { setupBusinessMetrics } from '../runtime/setupBusinessMetrics';
import type { ActiveUserCount, ActiveUserSketchStore } from './activeUserSketchStore';
import type { WindowStarts } from './calendarWindows';

describe('ActiveUserSketchStore seam', () => {
  it('sends hashes (never ids) to the store and exports the counts it reports', async () => {
    const added: { high: number; low: number; tier: string; starts: WindowStarts }[] = [];
    const store: ActiveUserSketchStore = {
      add: (high, low, tier, starts) => void added.push({ high, low, tier, starts }),
      counts: (): readonly ActiveUserCount[] => [
        { window: 'daily', userTier: 'pro', value: 1234 },
        { window: 'monthly', userTier: 'pro', value: 5678 },
      ],
    };
    const now = Date.UTC(2026, 11, 3, 10);
    const runtime = setupBusinessMetrics({ activeUsers: { store, now: () => now } });
    runtime.activeUsers?.record('user-42', 'pro');
    runtime.activeUsers?.record('user-42', 'pro');
    runtime.activeUsers?.record(Number.NaN, 'pro'); // refused, not sent
    expect(added).toHaveLength(2);
    expect(added[0]).toEqual(added[1]);
    expect(JSON.stringify(added)).not.toContain('user-42');
    expect(added[0]?.starts.daily).toBe(Date.UTC(2026, 11, 3));
    const samples = parseExposition(await runtime.getMetrics());
    expect(findSampleSum(samples, 'business_active_users', { window: 'daily', user_tier: 'pro' })).toBe(1234);
    expect(findSampleSum(samples, 'business_active_users', { window: 'monthly', user_tier: 'pro' })).toBe(5678);
    expect(runtime.activeUsers?.estimate('monthly', 'pro')).toBe(5678);
    await runtime.shutdown();
  });
});
