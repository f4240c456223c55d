import type { MeterProvider } from '@opentelemetry/api';
import type { ActiveUserWindow, WindowStarts } from './calendarWindows';

/** One distinct count of the current windows: what `business_active_users{window,user_tier}` reports. */
export interface ActiveUserCount {
  readonly window: ActiveUserWindow;
  readonly userTier: string;
  readonly value: number;
}

/**
 * Where the active-user sketches live when they are shared. Without one, the tracker keeps a
 * HyperLogLog per tier in the process: right for one instance only, since per-process estimates
 * cannot be summed. `@bizmetrics/redis` keeps them in Redis (PFADD/PFCOUNT), so every replica
 * exports the same global count and queries aggregate it with `max`.
 */
export interface ActiveUserSketchStore {
  /**
   * Adds a user, as the two 32-bit halves of its 64-bit hash (the id never leaves the process), to
   * the tier's daily, weekly and monthly windows starting at `starts`. Returns at once, never throws.
   */
  add(hashHigh: number, hashLow: number, userTier: string, starts: WindowStarts): void;
  /**
   * Distinct counts of the windows starting at `starts`, per window and tier, as last known (a
   * shared store refreshes them in the background). Never awaits.
   */
  counts(starts: WindowStarts): readonly ActiveUserCount[];
  /** Registers the store's own self-metrics (called once by the runtime; must be idempotent). */
  observe?(meterProvider: MeterProvider): void;
}
