import { activeUserWindows, type ActiveUserCount, type ActiveUserSketchStore, type WindowStarts } from '@bizmetrics/core';
import type { MeterProvider } from '@opentelemetry/api';
import { activeUserAddScript, activeUserCountScript } from './activeUserScripts';
import type { RedisCommandBuffer } from './redisCommandBuffer';
import type { RedisStoreHealth } from './redisStoreHealth';

/** Settings of the active-user store (see `RedisStoresOptions`). */
export interface RedisActiveUserSettings {
  readonly keyPrefix: string;
  readonly refreshIntervalMs: number;
  readonly expiryGraceMs: number;
}

const dayMs = 86_400_000;

/** Keys and expiries of the windows starting at one `WindowStarts`, built once per day and tier. */
interface WindowKeys {
  readonly starts: WindowStarts;
  readonly tierSet: string;
  readonly prefixes: readonly [string, string, string];
  readonly expiries: readonly [string, string, string, string];
  readonly byTier: Map<string, readonly string[]>;
}

/**
 * Active-user sketches in Redis: one HyperLogLog per window and tier, shared by every replica, so
 * the exported `business_active_users` is the global distinct count (the same on every instance:
 * aggregate it with `max`, never `sum`). Adding queues a PFADD and returns; counts are refreshed
 * in the background (PFCOUNT) and the gauge reports the last answer.
 */
export class RedisActiveUserStore implements ActiveUserSketchStore {
  private keys: WindowKeys | undefined;
  private last: { readonly starts: WindowStarts; readonly counts: readonly ActiveUserCount[] } | undefined;
  private refreshQueuedAt: number | undefined;
  private lastRefresh = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly buffer: RedisCommandBuffer,
    private readonly health: RedisStoreHealth,
    private readonly settings: RedisActiveUserSettings,
  ) {}

  add(hashHigh: number, hashLow: number, userTier: string, starts: WindowStarts): void {
    const keys = this.keysOf(starts);
    let tierKeys = keys.byTier.get(userTier);
    if (tierKeys === undefined) {
      tierKeys = [...keys.prefixes.map((prefix) => prefix + userTier), keys.tierSet];
      keys.byTier.set(userTier, tierKeys);
    }
    this.buffer.enqueue({
      operation: 'active_users_add',
      script: activeUserAddScript,
      keys: tierKeys,
      args: [`${hashHigh.toString(16)}:${hashLow.toString(16)}`, ...keys.expiries, userTier],
      onReply: () => undefined,
    });
  }

  counts(starts: WindowStarts): readonly ActiveUserCount[] {
    this.refresh(starts);
    return this.last !== undefined && this.last.starts.daily === starts.daily ? this.last.counts : [];
  }

  /** Asks Redis for the counts now (also done at most once per `refreshIntervalMs` when the gauge is read). */
  refresh(starts: WindowStarts, force = false): void {
    const now = performance.now();
    if (!force && now - this.lastRefresh < this.settings.refreshIntervalMs) return;
    // One count in flight at a time; one that Redis never answered is given up after a while.
    if (this.refreshQueuedAt !== undefined && now - this.refreshQueuedAt < this.settings.refreshIntervalMs * 4) return;
    this.refreshQueuedAt = now;
    const keys = this.keysOf(starts);
    this.buffer.enqueue({
      operation: 'active_users_count',
      script: activeUserCountScript,
      keys: [keys.tierSet],
      args: keys.prefixes,
      onReply: (reply) => {
        this.refreshQueuedAt = undefined;
        this.lastRefresh = performance.now();
        const answer = reply as readonly unknown[];
        const counts: ActiveUserCount[] = [];
        for (let offset = 0; offset + 3 < answer.length; offset += 4) {
          const userTier = String(answer[offset]);
          activeUserWindows.forEach((window, index) => counts.push({ window, userTier, value: Number(answer[offset + 1 + index]) }));
        }
        this.last = { starts, counts };
      },
    });
  }

  observe(meterProvider: MeterProvider): void {
    this.health.observe(meterProvider);
  }

  private keysOf(starts: WindowStarts): WindowKeys {
    if (this.keys?.starts === starts || (this.keys !== undefined && this.keys.starts.daily === starts.daily)) return this.keys;
    const base = `${this.settings.keyPrefix}{au}:`;
    const grace = this.settings.expiryGraceMs;
    const monthEnd = nextMonthStart(starts.monthly);
    this.keys = {
      starts,
      tierSet: `${base}tiers:${starts.monthly}`,
      prefixes: [`${base}daily:${starts.daily}:`, `${base}weekly:${starts.weekly}:`, `${base}monthly:${starts.monthly}:`],
      expiries: [String(starts.daily + dayMs + grace), String(starts.weekly + 7 * dayMs + grace), String(monthEnd + grace), String(monthEnd + grace)],
      byTier: new Map(),
    };
    return this.keys;
  }
}

function nextMonthStart(monthStart: number): number {
  const date = new Date(monthStart);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}
