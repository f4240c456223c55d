import { BusinessMetricsConfigError } from '@bizmetrics/core';
import { createClient } from 'redis';
import { activeUserScripts } from './activeUserScripts';
import { funnelScripts } from './funnelScripts';
import { RedisActiveUserStore } from './redisActiveUserStore';
import { RedisCommandBuffer } from './redisCommandBuffer';
import { RedisFunnelStore } from './redisFunnelStore';
import { RedisStoreHealth, describe } from './redisStoreHealth';

/** Options of `createRedisStores`. */
export interface RedisStoresOptions {
  /** Redis URL, `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  url: string;
  /** Prefix of every key the stores write. @default 'bizmetrics:' */
  keyPrefix?: string;
  /**
   * Commands kept in the local buffer while Redis is slow or down (about 0.5 KB each); past it new
   * ones are dropped and counted in `bizmetrics_redis_dropped_total`.
   * @default 100000
   */
  maxBufferedCommands?: number;
  /** Commands sent per pipeline. @default 500 */
  maxBatch?: number;
  /** How often each replica claims the idle sessions of each funnel (they count as abandoned). @default 5000 */
  sweepIntervalMs?: number;
  /** Idle sessions claimed per sweep command (a full batch claims the next one at once). @default 500 */
  sweepBatch?: number;
  /** How often the active-user counts are read from Redis (PFCOUNT) for the gauge. @default 10000 */
  activeUsersRefreshMs?: number;
  /** Active-user keys live this long after their window ends, so the last count stays readable. @default 3600000 (1 h) */
  activeUsersExpiryGraceMs?: number;
  /** Milliseconds `close()` waits for the buffer to drain. @default 2000 */
  closeTimeoutMs?: number;
}

/** What `createRedisStores` returns: the two stores, their health, and how to stop them. */
export interface RedisStores {
  /** Per-session funnel state shared by every replica: `defineFunnel(..., { store })`, `funnel.withRuntime(bm, { store })`. */
  readonly funnelStore: RedisFunnelStore;
  /** Active-user sketches shared by every replica: `setupBusinessMetrics({ activeUsers: { store } })`. */
  readonly activeUsersStore: RedisActiveUserStore;
  /** Failure counts (also exported as self-metrics once a store is attached to a runtime). */
  readonly health: RedisStoreHealth;
  /** Commands waiting for Redis (including those sent and not answered yet). */
  readonly bufferedCommands: number;
  /** Resolves once the client is connected (it reconnects by itself; recording never waits for this). */
  ready(): Promise<void>;
  /** Sends what is buffered now and waits up to `timeoutMs` for the buffer to drain (tests, shutdown). */
  flush(timeoutMs?: number): Promise<void>;
  /** Stops the sweepers, drains the buffer for up to `closeTimeoutMs`, and closes the connection. */
  close(): Promise<void>;
}

function positiveInteger(options: RedisStoresOptions, name: keyof RedisStoresOptions, fallback: number): number {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new BusinessMetricsConfigError(`bizmetrics: redis.${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Checks `redis.url` now, so a typo fails at start-up and not as endless reconnects. */
function checkedUrl(url: unknown): string {
  const hint = 'e.g. redis://127.0.0.1:6379 or rediss://user:password@host:6380/0';
  if (typeof url !== 'string' || url === '') throw new BusinessMetricsConfigError(`bizmetrics: redis.url is required (${hint})`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BusinessMetricsConfigError(`bizmetrics: redis.url ${JSON.stringify(url)} is not a URL (${hint})`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new BusinessMetricsConfigError(`bizmetrics: redis.url must start with redis:// or rediss://, got ${JSON.stringify(parsed.protocol)} (${hint})`);
  }
  if (parsed.hostname === '') throw new BusinessMetricsConfigError(`bizmetrics: redis.url ${JSON.stringify(url)} has no host (${hint})`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new BusinessMetricsConfigError(`bizmetrics: redis.url path must be a database number, got ${JSON.stringify(parsed.pathname)} (${hint})`);
  return url;
}

/**
 * Connects to Redis and returns the shared funnel and active-user stores. Throws
 * `BusinessMetricsConfigError` for bad options (naming the option, e.g. `redis.url`); an
 * unreachable Redis is not an error here: recording buffers locally and the client reconnects.
 *
 * @example
 * const redis = createRedisStores({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
 * const bm = setupBusinessMetrics({ activeUsers: { store: redis.activeUsersStore } });
 * const checkout = checkoutFunnel.withRuntime(bm, { store: redis.funnelStore });
 */
export function createRedisStores(options: RedisStoresOptions): RedisStores {
  const url = checkedUrl(options?.url);
  const keyPrefix = options.keyPrefix ?? 'bizmetrics:';
  if (typeof keyPrefix !== 'string') throw new BusinessMetricsConfigError('bizmetrics: redis.keyPrefix must be a string');
  const maxBufferedCommands = positiveInteger(options, 'maxBufferedCommands', 100_000);
  const maxBatch = positiveInteger(options, 'maxBatch', 500);
  const sweepIntervalMs = positiveInteger(options, 'sweepIntervalMs', 5_000);
  const sweepBatch = positiveInteger(options, 'sweepBatch', 500);
  const refreshIntervalMs = positiveInteger(options, 'activeUsersRefreshMs', 10_000);
  const expiryGraceMs = positiveInteger(options, 'activeUsersExpiryGraceMs', 3_600_000);
  const closeTimeoutMs = positiveInteger(options, 'closeTimeoutMs', 2_000);

  // No offline queue: while disconnected, commands stay in our bounded buffer, not the client's unbounded one.
  const client = createClient({ url, disableOfflineQueue: true });
  const health = new RedisStoreHealth((): number => commands.size);
  const commands: RedisCommandBuffer = new RedisCommandBuffer(client, [...funnelScripts, ...activeUserScripts], health, { maxBufferedCommands, maxBatch, retryDelayMs: 200 });
  // Without an 'error' listener a lost connection would crash the process.
  client.on('error', (error: unknown) => health.error('connection', error));
  client.on('ready', () => commands.connectionReady());
  let connecting: Promise<void> = client.connect().then(
    () => undefined,
    (error: unknown) => health.logOnce('connect', () => `bizmetrics: Redis at redis.url could not be connected (${describe(error)})`),
  );

  const funnelStore = new RedisFunnelStore(commands, health, { keyPrefix, sweepIntervalMs, sweepBatch });
  const activeUsersStore = new RedisActiveUserStore(commands, health, { keyPrefix, refreshIntervalMs, expiryGraceMs });
  let closed = false;
  return {
    funnelStore,
    activeUsersStore,
    health,
    get bufferedCommands() {
      return commands.size;
    },
    ready: () => connecting,
    flush: (timeoutMs = closeTimeoutMs) => commands.flush(timeoutMs),
    async close() {
      if (closed) return;
      closed = true;
      funnelStore.stop();
      await commands.flush(closeTimeoutMs);
      commands.stop();
      connecting = Promise.resolve();
      if (client.isOpen) await client.close().catch(() => client.destroy());
      else client.destroy();
    },
  };
}
