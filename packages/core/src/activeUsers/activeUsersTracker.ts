import { BusinessMetricsConfigError } from '../errors';
import { firstComeAdmission, type AdmissionFactory, type AdmissionPolicy } from '../guard/admission';
import { defaultLabelValuePolicy, normalizeLabelValue } from '../guard/labelValue';
import type { GuardedGauge } from '../instruments/guardedGauge';
import type { ActiveUserSketchStore } from './activeUserSketchStore';
import { activeUserWindows, windowStarts, type ActiveUserWindow, type WindowStarts } from './calendarWindows';
import { hash64 } from './hash64';
import { HyperLogLog, sketchPrecision } from './hyperLogLog';

/** Options of the active-user sketches. */
export interface ActiveUsersOptions {
  /**
   * User tiers tracked (each costs 3 × 16 KiB); ids recorded with a further tier are dropped and
   * counted as `cardinality_overflow`.
   * @default 20
   */
  maxTiers?: number;
  /**
   * Report the sketches' estimates as `business_active_users`. Turn it off on instances that only
   * ship `exportSketch()` to an aggregator, so per-instance counts are never summed by mistake.
   * @default true
   */
  exportGauge?: boolean;
  /** Wall clock (epoch ms) that decides the UTC windows; tests pass a fake. @default Date.now */
  now?: () => number;
  /**
   * Shared sketches (e.g. `createRedisStores(...).activeUsersStore` from `@bizmetrics/redis`): the
   * gauge then reports the global count, the same on every instance (aggregate it with `max`).
   * `exportSketch`/`mergeSketch` only cover the local sketches, which stay empty then.
   * @default none: one HyperLogLog per tier in this process, right for one instance only
   */
  store?: ActiveUserSketchStore;
}

/** Serialisable registers of every current sketch: what `exportSketch` returns and `mergeSketch` takes. */
export interface ActiveUsersSnapshot {
  readonly format: 'bizmetrics.hll.v1';
  readonly precision: number;
  readonly sketches: readonly {
    readonly window: ActiveUserWindow;
    /** Start of the window, ISO 8601 UTC (e.g. `2026-11-23T00:00:00.000Z` for the ISO week). */
    readonly windowStart: string;
    readonly userTier: string;
    /** The 16,384 one-byte registers, base64. No id can be read back from them. */
    readonly registers: string;
  }[];
}

interface TierSketches {
  readonly tier: string;
  readonly sketches: Record<ActiveUserWindow, { start: number; readonly hll: HyperLogLog; estimate: number | undefined }>;
}

const scratch = new Uint32Array(2);

/**
 * Distinct active users per tumbling UTC window (day, ISO week, calendar month) and user tier, from
 * HyperLogLog sketches: user ids are hashed in the process and never stored, exported or used as
 * labels. Memory is fixed per tier (3 × 16 KiB); the error is about 0.8 % at any count.
 *
 * Per-instance estimates cannot be summed across instances (a user seen by two counts twice):
 * ship `exportSketch()` to one place, `mergeSketch()` there, and export from that place only.
 */
export class ActiveUsersTracker {
  private readonly byRawTier = new Map<string, TierSketches>();
  private readonly byTier = new Map<string, TierSketches>();
  private readonly now: () => number;
  private readonly maxTiers: number;
  private readonly tiers: AdmissionPolicy;
  private starts: WindowStarts;
  private readonly store: ActiveUserSketchStore | undefined;

  constructor(
    private readonly gauge: GuardedGauge,
    options: ActiveUsersOptions = {},
    admission: AdmissionFactory = firstComeAdmission,
  ) {
    const maxTiers = options.maxTiers ?? 20;
    if (!Number.isSafeInteger(maxTiers) || maxTiers < 1) {
      throw new BusinessMetricsConfigError(`bizmetrics: activeUsers.maxTiers must be a positive integer, got ${String(maxTiers)}`);
    }
    this.maxTiers = maxTiers;
    this.tiers = admission(maxTiers);
    this.now = options.now ?? Date.now;
    this.starts = windowStarts(this.now());
    this.store = options.store;
    if (options.exportGauge ?? true) gauge.onCollect(() => this.refreshGauge());
  }

  /**
   * Counts `userId` as active now in its tier's daily, weekly and monthly windows. The id is hashed
   * and dropped; bad ids are refused and counted, never thrown.
   */
  record(userId: string | number, userTier: string): void {
    let id: string;
    if (typeof userId === 'string' && userId !== '') id = userId;
    else if (typeof userId === 'number' && Number.isFinite(userId)) id = String(userId);
    else {
      this.gauge.refuse('invalid_value', `user id must be a non-empty string or a finite number, got ${typeof userId}`);
      return;
    }
    const tier = this.tierFor(userTier);
    if (tier === undefined) return;
    const starts = this.currentStarts();
    hash64(id, scratch);
    const high = scratch[0] as number;
    const low = scratch[1] as number;
    if (this.store !== undefined) return this.store.add(high, low, tier.tier, starts);
    for (const window of activeUserWindows) {
      const sketch = tier.sketches[window];
      if (sketch.start !== starts[window]) {
        sketch.hll.clear();
        sketch.start = starts[window];
      }
      sketch.hll.addHash(high, low);
      sketch.estimate = undefined;
    }
  }

  /** Estimated distinct users of `userTier` in the current `window` (0 for a tier never seen; a shared store's last known count). */
  estimate(window: ActiveUserWindow, userTier: string): number {
    const normalized = normalizeLabelValue(userTier, 'unknown', defaultLabelValuePolicy);
    if (this.store !== undefined && normalized.ok) {
      const tier = normalized.value;
      return this.store.counts(this.currentStarts()).find((count) => count.window === window && count.userTier === tier)?.value ?? 0;
    }
    const tier = normalized.ok ? this.byTier.get(normalized.value) : undefined;
    return tier === undefined ? 0 : this.estimateOf(tier, window, this.currentStarts());
  }

  /** The registers of the current windows, to merge on an aggregator (JSON-serialisable, no ids). */
  exportSketch(): ActiveUsersSnapshot {
    const starts = this.currentStarts();
    const sketches: ActiveUsersSnapshot['sketches'][number][] = [];
    for (const tier of this.byTier.values()) {
      for (const window of activeUserWindows) {
        const sketch = tier.sketches[window];
        if (sketch.start !== starts[window] || sketch.hll.isEmpty) continue;
        sketches.push({
          window,
          windowStart: new Date(sketch.start).toISOString(),
          userTier: tier.tier,
          registers: Buffer.from(sketch.hll.registers.buffer, sketch.hll.registers.byteOffset, sketch.hll.registers.byteLength).toString('base64'),
        });
      }
    }
    return { format: 'bizmetrics.hll.v1', precision: sketchPrecision, sketches };
  }

  /**
   * Folds another instance's `exportSketch()` into these sketches (register-wise max: the union of
   * users). Sketches of windows other than the current ones are skipped. Throws on a malformed
   * snapshot, since it comes from a call you make, not from the record path.
   */
  mergeSketch(snapshot: ActiveUsersSnapshot): { merged: number; skipped: number } {
    if (snapshot?.format !== 'bizmetrics.hll.v1' || snapshot.precision !== sketchPrecision || !Array.isArray(snapshot.sketches)) {
      throw new TypeError(`bizmetrics: mergeSketch expects an exportSketch() result (format bizmetrics.hll.v1, precision ${sketchPrecision})`);
    }
    const starts = this.currentStarts();
    let merged = 0;
    let skipped = 0;
    for (const entry of snapshot.sketches as readonly ActiveUsersSnapshot['sketches'][number][]) {
      const window: ActiveUserWindow = entry?.window;
      if (!activeUserWindows.includes(window) || typeof entry.registers !== 'string' || typeof entry.windowStart !== 'string') {
        throw new TypeError('bizmetrics: mergeSketch got a sketch without window, windowStart or registers');
      }
      if (Date.parse(entry.windowStart) !== starts[window]) {
        skipped++;
        continue;
      }
      const tier = this.tierFor(entry.userTier);
      if (tier === undefined) {
        skipped++;
        continue;
      }
      const registers = new Uint8Array(Buffer.from(entry.registers, 'base64'));
      const sketch = tier.sketches[window];
      if (sketch.start !== starts[window]) {
        sketch.hll.clear();
        sketch.start = starts[window];
      }
      sketch.hll.merge(new HyperLogLog(registers));
      sketch.estimate = undefined;
      merged++;
    }
    return { merged, skipped };
  }

  private refreshGauge(): void {
    const starts = this.currentStarts();
    if (this.store !== undefined) {
      for (const count of this.store.counts(starts)) this.gauge.setValues(count.value, [count.window, count.userTier]);
      return;
    }
    for (const tier of this.byTier.values()) {
      for (const window of activeUserWindows) this.gauge.setValues(Math.round(this.estimateOf(tier, window, starts)), [window, tier.tier]);
    }
  }

  private estimateOf(tier: TierSketches, window: ActiveUserWindow, starts: WindowStarts): number {
    const sketch = tier.sketches[window];
    // A window that has passed reads as 0 until someone is active in the new one.
    if (sketch.start !== starts[window]) return 0;
    sketch.estimate ??= sketch.hll.estimate();
    return sketch.estimate;
  }

  private currentStarts(): WindowStarts {
    const now = this.now();
    if (now >= this.starts.validUntil || now < this.starts.daily) this.starts = windowStarts(now);
    return this.starts;
  }

  private tierFor(rawTier: unknown): TierSketches | undefined {
    const raw = typeof rawTier === 'string' ? rawTier : undefined;
    if (raw !== undefined) {
      const known = this.byRawTier.get(raw);
      if (known !== undefined) return known;
    }
    const normalized = normalizeLabelValue(rawTier, 'unknown', defaultLabelValuePolicy);
    if (!normalized.ok) {
      this.gauge.refuse(normalized.problem, 'label user_tier');
      return undefined;
    }
    if (normalized.redacted !== undefined) this.gauge.refuse(`personal_data_${normalized.redacted}`, 'label user_tier');
    let tier = this.byTier.get(normalized.value);
    if (tier === undefined) {
      if (!this.tiers.admit(normalized.value)) {
        this.gauge.refuse('cardinality_overflow', `more than ${this.maxTiers} user tiers in the active-user sketches`);
        return undefined;
      }
      const starts = this.currentStarts();
      const sketch = (window: ActiveUserWindow) => ({ start: starts[window], hll: new HyperLogLog(), estimate: undefined });
      tier = { tier: normalized.value, sketches: { daily: sketch('daily'), weekly: sketch('weekly'), monthly: sketch('monthly') } };
      this.byTier.set(normalized.value, tier);
    }
    if (raw !== undefined && this.byRawTier.size < this.maxTiers * 4) this.byRawTier.set(raw, tier);
    return tier;
  }
}

