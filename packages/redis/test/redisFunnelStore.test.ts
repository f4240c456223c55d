import { ProcessGroup, startRedis, waitUntil, type RunningRedis } from '@bizmetrics/test-support';
import { createClient } from 'redis';
import { closeAll, flushAll, startReplica, total, web, type Replica } from './replicas';

// Two replicas in one process, each with its own Redis client, sharing one real redis-server.
const group = new ProcessGroup();
let redis: RunningRedis;
let replicas: Replica[] = [];
let now = 1_800_000_000_000;
const wallClock = () => now;

beforeAll(async () => {
  redis = await startRedis(group);
});
afterEach(async () => {
  await closeAll(replicas);
  replicas = [];
});
afterAll(() => group.stopAll());

const twoReplicas = (timeoutMs?: number) => {
  replicas = [startReplica(redis.url, wallClock, { keyPrefix: `t${now}:` }, timeoutMs), startReplica(redis.url, wallClock, { keyPrefix: `t${now}:` }, timeoutMs)];
  return replicas as [Replica, Replica];
};

describe('Redis funnel store across replicas', () => {
  it('a session whose cart view lands on A and purchase on B is one conversion: no abandonment, no anomaly, reloads count once', async () => {
    now += 1_000_000;
    const [a, b] = twoReplicas();
    a.funnel.session('s1', web).step('cart_view');
    a.funnel.session('s1', web).step('cart_view'); // reload on A
    await flushAll(replicas);
    now += 30_000;
    b.funnel.session('s1', web).step('cart_view'); // reload on B
    b.funnel.session('s1', web).step('shipping_info');
    await flushAll(replicas);
    now += 30_000;
    a.funnel.session('s1', web).step('payment_info');
    await flushAll(replicas);
    b.funnel.session('s1', web).step('order_review');
    b.funnel.session('s1', web).complete();
    await flushAll(replicas);
    for (const step of ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed']) {
      expect([step, await total(replicas, 'business_funnel_step_total', { step })]).toEqual([step, 1]);
    }
    expect(await total(replicas, 'business_conversions_total', { conversion_type: 'purchase' })).toBe(1);
    // Time to conversion runs from the first step, recorded on the other replica.
    expect(await total(replicas, 'business_time_to_conversion_seconds_sum')).toBe(60);
    expect(await total(replicas, 'bizmetrics_funnel_step_anomalies_total', { kind: 'repeated' })).toBe(2);
    expect(await total(replicas, 'bizmetrics_funnel_step_anomalies_total', { kind: 'out_of_order' })).toBe(0);
    // Long after the timeout both sweepers run: the converted session is not abandoned.
    now += 3_600_000;
    for (const replica of replicas) replica.funnel.sweep();
    await flushAll(replicas);
    expect(await total(replicas, 'business_funnel_abandoned_total')).toBe(0);
    expect(await total(replicas, 'bizmetrics_funnel_sessions_closed_total', { outcome: 'converted' })).toBe(1);
  });

  it('emits each abandoned session exactly once across both sweepers, at its furthest step', async () => {
    now += 1_000_000;
    const [a, b] = twoReplicas(1_000);
    const sessions = 300;
    for (let i = 0; i < sessions; i++) {
      const first = i % 2 === 0 ? a : b;
      const second = i % 2 === 0 ? b : a;
      first.funnel.session(`s${i}`, web).step('cart_view');
      if (i % 3 === 0) second.funnel.session(`s${i}`, web).step('shipping_info');
    }
    await flushAll(replicas);
    now += 5_000;
    // Both sweepers claim concurrently (timers every 100 ms plus explicit sweeps) until none is open.
    await waitUntil(
      async () => {
        a.funnel.sweep();
        b.funnel.sweep();
        await flushAll(replicas);
        return (await total(replicas, 'bizmetrics_funnel_sessions_closed_total', { outcome: 'expired' })) >= sessions && a.funnel.openSessions === 0;
      },
      { timeoutMs: 20_000, description: 'every idle session claimed' },
    );
    expect(await total(replicas, 'business_funnel_abandoned_total', { funnel: 'checkout', step: 'cart_view' })).toBe(200);
    expect(await total(replicas, 'business_funnel_abandoned_total', { funnel: 'checkout', step: 'shipping_info' })).toBe(100);
    expect(await total(replicas, 'bizmetrics_funnel_sessions_closed_total', { outcome: 'expired' })).toBe(sessions);
  });

  it('end() closes a session once even when both replicas end it', async () => {
    now += 1_000_000;
    const [a, b] = twoReplicas();
    a.funnel.session('e1', web).step('cart_view');
    b.funnel.session('e1', web).step('shipping_info');
    await flushAll(replicas);
    a.funnel.session('e1', web).end();
    b.funnel.session('e1', web).end();
    await flushAll(replicas);
    expect(await total(replicas, 'business_funnel_abandoned_total', { step: 'shipping_info' })).toBe(1);
    expect(await total(replicas, 'business_funnel_abandoned_total')).toBe(1);
  });

  it('keys expire: session state and the activity set carry a TTL', async () => {
    now += 1_000_000;
    const [a] = twoReplicas(60_000);
    a.funnel.session('ttl1', web).step('cart_view');
    await flushAll(replicas);
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const keys = await client.keys(`t${now}:{checkout}:*`);
      expect(keys.sort()).toEqual([`t${now}:{checkout}:active`, `t${now}:{checkout}:s:ttl1`]);
      for (const key of keys) {
        const ttl = await client.pTTL(key);
        expect(ttl).toBeGreaterThan(60_000);
        expect(ttl).toBeLessThanOrEqual(2 * 60_000 + 100);
      }
    } finally {
      await client.close();
    }
  });
});
