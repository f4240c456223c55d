import { createMetricsRuntime, defineFunnel, type Funnel, type MetricsRuntime } from '@bizmetrics/core';
import { findSampleSum, parseExposition } from '@bizmetrics/test-support';
import { createRedisStores, type RedisStores, type RedisStoresOptions } from '../src/index';

export const checkoutSteps = ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed'] as const;
export const web = { source: 'google_ads', deviceType: 'desktop', experimentVariant: 'b' };

/** One "replica": its own runtime, Redis client and funnel, sharing Redis with the others. */
export interface Replica {
  readonly runtime: MetricsRuntime;
  readonly redis: RedisStores;
  readonly funnel: Funnel;
}

/** A replica of the shop; `wallClock` is shared so tests can move time for every replica at once. */
export function startReplica(url: string, wallClock: () => number, options: Partial<RedisStoresOptions> = {}, sessionTimeoutMs = 60_000): Replica {
  const redis = createRedisStores({ url, sweepIntervalMs: 100, ...options });
  const runtime = createMetricsRuntime({ activeUsers: { store: redis.activeUsersStore } });
  const funnel = defineFunnel('checkout', checkoutSteps, { sideSteps: ['checkout_error'], runtime, store: redis.funnelStore, wallClock, sessionTimeoutMs });
  return { runtime, redis, funnel };
}

/** The sum of one sample over every replica's exposition (what `sum()` in PromQL would give). */
export async function total(replicas: readonly Replica[], name: string, labels: Record<string, string> = {}): Promise<number> {
  let sum = 0;
  for (const replica of replicas) sum += findSampleSum(parseExposition(await replica.runtime.getMetrics()), name, labels) ?? 0;
  return sum;
}

export async function flushAll(replicas: readonly Replica[]): Promise<void> {
  for (const replica of replicas) await replica.redis.flush(10_000);
}

export async function closeAll(replicas: readonly Replica[]): Promise<void> {
  for (const replica of replicas) {
    await replica.redis.close();
    await replica.runtime.shutdown();
  }
}
