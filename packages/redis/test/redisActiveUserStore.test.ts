import { windowStarts } from '@bizmetrics/core';
import { ProcessGroup, startRedis, type RunningRedis } from '@bizmetrics/test-support';
import { createClient } from 'redis';
import { closeAll, flushAll, startReplica, total, type Replica } from './replicas';

const group = new ProcessGroup();
let redis: RunningRedis;
let replicas: Replica[] = [];

beforeAll(async () => {
  redis = await startRedis(group);
});
afterAll(async () => {
  await closeAll(replicas);
  await group.stopAll();
});

describe('Redis active-user sketches', () => {
  it('two trackers on one Redis agree on the global distinct count of users spread over both', async () => {
    replicas = [startReplica(redis.url, Date.now, { keyPrefix: 'au:' }), startReplica(redis.url, Date.now, { keyPrefix: 'au:' })];
    const [a, b] = replicas as [Replica, Replica];
    // 30,000 users: 0-19,999 on A, 10,000-29,999 on B (10,000 seen by both), plus 500 pro users on B only.
    for (let i = 0; i < 20_000; i++) a.runtime.activeUsers?.record(`user-${i}`, 'free');
    for (let i = 10_000; i < 30_000; i++) b.runtime.activeUsers?.record(`user-${i}`, 'free');
    for (let i = 0; i < 500; i++) b.runtime.activeUsers?.record(`pro-${i}`, 'pro');
    await flushAll(replicas);
    const starts = windowStarts(Date.now());
    for (const replica of replicas) replica.redis.activeUsersStore.refresh(starts, true);
    await flushAll(replicas);
    for (const window of ['daily', 'weekly', 'monthly']) {
      const perReplica = await Promise.all(replicas.map((replica) => total([replica], 'business_active_users', { window, user_tier: 'free' })));
      // The same global value on every instance (so max() across instances is the answer)...
      expect(perReplica[0]).toBe(perReplica[1]);
      // ...within HyperLogLog's error (0.81 % standard error; 3 % is > 3.5 sigma) of the true 30,000, where a sum would say 40,000.
      expect(Math.abs((perReplica[0] as number) - 30_000)).toBeLessThan(900);
      // A knows the pro tier from Redis although only B saw it.
      expect(await total([a], 'business_active_users', { window, user_tier: 'pro' })).toBeGreaterThan(485);
    }
  });

  it('every key expires after its window (plus the grace period)', async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const keys = await client.keys('au:{au}:*');
      expect(keys.length).toBe(3 * 2 + 1); // three windows of two tiers, one tier set
      const starts = windowStarts(Date.now());
      for (const key of keys) {
        const expiresAt = await client.pExpireTime(key);
        const windowEnd = key.includes(':daily:') ? starts.daily + 86_400_000 : key.includes(':weekly:') ? starts.weekly + 7 * 86_400_000 : Date.UTC(new Date(starts.monthly).getUTCFullYear(), new Date(starts.monthly).getUTCMonth() + 1, 1);
        expect([key, expiresAt]).toEqual([key, windowEnd + 3_600_000]);
      }
    } finally {
      await client.close();
    }
  });
});
