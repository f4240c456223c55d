import { BusinessMetricsConfigError } from '@bizmetrics/core';
import { ProcessGroup, startRedis, waitUntil, type RunningRedis } from '@bizmetrics/test-support';
import { createClient } from 'redis';
import { createRedisStores } from '../src/index';
import { startReplyDroppingProxy } from './replyDroppingProxy';
import { closeAll, flushAll, startReplica, total, web, type Replica } from './replicas';

const group = new ProcessGroup();
let redis: RunningRedis;
let replicas: Replica[] = [];
const now = 1_800_000_000_000;
const wallClock = () => now;

beforeAll(async () => {
  // Append-only, fsynced per write: what Redis answered before the SIGKILL is there after the restart.
  redis = await startRedis(group, { appendOnly: true });
});
afterEach(async () => {
  if (!redis.process.running) await redis.restart();
  await closeAll(replicas);
  replicas = [];
});
afterAll(() => group.stopAll());

describe('Redis outage', () => {
  it('never throws into the caller, counts failures, flushes the buffer after Redis returns, and counts nothing twice', async () => {
    replicas = [startReplica(redis.url, wallClock, { keyPrefix: 'outage:' }), startReplica(redis.url, wallClock, { keyPrefix: 'outage:' })];
    const [a, b] = replicas as [Replica, Replica];
    await Promise.all(replicas.map((replica) => replica.redis.ready()));
    const sessions = 2_000;
    for (let i = 0; i < sessions; i++) a.funnel.session(`u${i}`, web).step('cart_view');
    // Killed right after that batch went out: what Redis did not answer is retried after the restart.
    await new Promise((resolve) => setImmediate(resolve));
    await redis.kill();
    for (let i = 0; i < sessions; i++) {
      b.funnel.session(`u${i}`, web).step('cart_view'); // a reload during the outage: must not count again
      b.funnel.session(`u${i}`, web).step('shipping_info');
      a.runtime.activeUsers?.record(`user-${i}`, 'free');
    }
    b.funnel.session('u0', web).step('payment_info');
    b.funnel.session('u0', web).complete();
    expect(a.redis.bufferedCommands + b.redis.bufferedCommands).toBeGreaterThan(sessions);
    await waitUntil(() => a.redis.health.errors() > 0 && b.redis.health.errors() > 0, { timeoutMs: 10_000, description: 'failures counted' });
    expect(await total(replicas, 'bizmetrics_redis_errors_total')).toBeGreaterThan(0);
    expect(await total(replicas, 'bizmetrics_redis_buffered_commands')).toBeGreaterThan(sessions);

    await redis.restart();
    await flushAll(replicas);
    expect(a.redis.bufferedCommands + b.redis.bufferedCommands).toBe(0);
    expect(await total(replicas, 'business_funnel_step_total', { step: 'cart_view' })).toBe(sessions);
    expect(await total(replicas, 'business_funnel_step_total', { step: 'shipping_info' })).toBe(sessions);
    expect(await total(replicas, 'business_funnel_step_total', { step: 'payment_info' })).toBe(1);
    expect(await total(replicas, 'business_conversions_total')).toBe(1);
    expect(await total(replicas, 'bizmetrics_redis_dropped_total')).toBe(0);
  });

  it('a reply lost after Redis ran the script is retried and gets the same answer: each step, conversion and abandonment counts exactly once', async () => {
    const proxy = await startReplyDroppingProxy(redis.port);
    const direct = createClient({ url: redis.url });
    await direct.connect();
    try {
      replicas = [startReplica(`redis://127.0.0.1:${proxy.port}`, wallClock, { keyPrefix: 'lost:', maxBatch: 2_000 })];
      const [a] = replicas as [Replica];
      await a.redis.ready();
      a.funnel.session('c1', web).step('cart_view');
      a.funnel.session('e1', web).step('cart_view');
      await flushAll(replicas);
      proxy.dropReplies = true;
      const sessions = 500;
      for (let i = 0; i < sessions; i++) a.funnel.session(`l${i}`, web).step('cart_view');
      a.funnel.session('c1', web).complete();
      a.funnel.session('e1', web).end();
      // One pipeline: Redis runs every script (c1 and e1 leave the activity set); the replies go nowhere.
      await waitUntil(async () => (await direct.zCard('lost:{checkout}:active')) === sessions, { timeoutMs: 10_000, description: 'Redis ran the scripts' });
      expect(await total(replicas, 'business_funnel_step_total', { step: 'cart_view' })).toBe(2);
      proxy.dropReplies = false;
      proxy.cut();
      await waitUntil(() => a.redis.health.errors('funnel_step') >= sessions, { timeoutMs: 10_000, description: 'the lost calls counted as failures' });
      await flushAll(replicas);
      expect(a.redis.bufferedCommands).toBe(0);
      expect(await total(replicas, 'business_funnel_step_total', { step: 'cart_view' })).toBe(sessions + 2);
      expect(await total(replicas, 'bizmetrics_funnel_step_anomalies_total', { kind: 'repeated' })).toBe(0);
      expect(await total(replicas, 'business_funnel_step_total', { step: 'order_confirmed' })).toBe(1);
      expect(await total(replicas, 'business_conversions_total')).toBe(1);
      expect(await total(replicas, 'business_funnel_abandoned_total', { step: 'cart_view' })).toBe(1);
    } finally {
      await direct.close();
      await proxy.close();
    }
  });

  it('past maxBufferedCommands new commands are dropped and counted, not kept', async () => {
    replicas = [startReplica(redis.url, wallClock, { keyPrefix: 'bound:', maxBufferedCommands: 100 })];
    const [a] = replicas as [Replica];
    await a.redis.ready();
    await redis.kill();
    await waitUntil(() => a.redis.health.errors('connection') > 0, { timeoutMs: 10_000, description: 'the client noticed the outage' });
    for (let i = 0; i < 150; i++) a.funnel.session(`b${i}`, web).step('cart_view');
    expect(a.redis.bufferedCommands).toBe(100);
    expect(a.redis.health.droppedCount('funnel_step')).toBe(50);
    expect(await total(replicas, 'bizmetrics_redis_dropped_total', { operation: 'funnel_step' })).toBe(50);
    await redis.restart();
    await flushAll(replicas);
    expect(await total(replicas, 'business_funnel_step_total', { step: 'cart_view' })).toBe(100);
  });
});

describe('redis.url at start-up', () => {
  it.each([
    ['', /redis\.url is required/],
    ['localhost:6379', /redis\.url must start with redis:\/\/ or rediss:\/\//],
    ['http://127.0.0.1:6379', /redis\.url must start with redis:\/\//],
    ['redis://', /redis\.url .* (is not a URL|has no host)/],
    ['redis://127.0.0.1:6379/cache', /redis\.url path must be a database number/],
  ])('%j fails with an error naming redis.url', (url, message) => {
    const create = () => createRedisStores({ url });
    expect(create).toThrow(BusinessMetricsConfigError);
    expect(create).toThrow(message);
  });

  it('names the option of a bad numeric setting', () => {
    expect(() => createRedisStores({ url: 'redis://127.0.0.1:1', maxBufferedCommands: 0 })).toThrow(/redis\.maxBufferedCommands must be a positive integer/);
  });
});
