import { setupBusinessMetrics, windowStarts } from '@bizmetrics/core';
import { findSampleSum, parseExposition, ProcessGroup, startRedis, type RunningRedis } from '@bizmetrics/test-support';
import { createRedisStores } from '../src/index';

// The wiring the README gives each replica, verbatim in shape: setupBusinessMetrics + bm.funnels.checkout.
const group = new ProcessGroup();
let redis: RunningRedis;

beforeAll(async () => {
  redis = await startRedis(group);
});
afterAll(() => group.stopAll());

function replica() {
  const stores = createRedisStores({ url: redis.url, keyPrefix: 'shop:' });
  const bm = setupBusinessMetrics({ serviceName: 'shop', activeUsers: { store: stores.activeUsersStore } });
  const checkout = bm.funnels.checkout({ store: stores.funnelStore });
  return { stores, bm, checkout };
}

describe('README wiring', () => {
  it('three replicas share one checkout session, active users and the Redis self-metrics', async () => {
    const replicas = [replica(), replica(), replica()];
    const [a, b, c] = replicas as [ReturnType<typeof replica>, ReturnType<typeof replica>, ReturnType<typeof replica>];
    const context = { source: 'newsletter', deviceType: 'mobile' };
    try {
      a.checkout.session('cookie-session-1', context).step('cart_view');
      a.bm.service.recordActiveUser('alice', { userTier: 'pro' });
      await a.stores.flush();
      b.checkout.session('cookie-session-1', context).step('shipping_info');
      b.bm.service.recordActiveUser('alice', { userTier: 'pro' });
      await b.stores.flush();
      c.checkout.session('cookie-session-1', context).complete({ revenue: { amountMinor: 4999, productCategory: 'books', paymentMethod: 'card', region: 'eu' } });
      c.bm.service.recordActiveUser('bob', { userTier: 'pro' });
      await c.stores.flush();
      for (const { stores } of replicas) stores.activeUsersStore.refresh(windowStarts(Date.now()), true);
      for (const { stores } of replicas) await stores.flush();
      let conversions = 0;
      let cartViews = 0;
      for (const { bm } of replicas) {
        const samples = parseExposition(await bm.getMetrics());
        conversions += findSampleSum(samples, 'business_conversions_total') ?? 0;
        cartViews += findSampleSum(samples, 'business_funnel_step_total', { step: 'cart_view' }) ?? 0;
        // Every replica: the global count of distinct users (alice on two replicas counts once), and the Redis self-metrics.
        expect(findSampleSum(samples, 'business_active_users', { window: 'daily', user_tier: 'pro' })).toBe(2);
        expect(findSampleSum(samples, 'bizmetrics_redis_errors_total', { operation: 'funnel_step' })).toBe(0);
        expect(findSampleSum(samples, 'bizmetrics_redis_dropped_total', { operation: 'funnel_step' })).toBe(0);
      }
      expect(conversions).toBe(1);
      expect(cartViews).toBe(1);
    } finally {
      for (const { stores, bm } of replicas) {
        await stores.close();
        await bm.shutdown();
      }
    }
  });
});
