import { diag } from '@opentelemetry/api';
import { hash64 } from '../activeUsers/hash64';
import { BusinessMetricsConfigError, RefusedValueError } from '../errors';
import type { GuardedCounter } from '../instruments/guardedCounter';
import type { GuardedHistogram } from '../instruments/guardedHistogram';
import type { RevenueMetadata, RevenueRecorder } from '../revenue/revenueRecorder';
import { funnelAnomalyKinds, funnelOutcomes, type FunnelAnomalyKind, type FunnelOutcome, type FunnelSelfMetrics, type FunnelStats, type ObservedFunnel } from './funnelSelfMetrics';
import { SessionState, SessionStore, type DropCause } from './sessionStore';

/** What a funnel records into, handed over by the runtime (`bm.funnels.define(...)`). */
export interface FunnelDependencies {
  readonly stepCounter: GuardedCounter;
  readonly conversions: GuardedCounter;
  readonly timeToConversion: GuardedHistogram;
  readonly abandoned: GuardedCounter;
  /** Records `complete({ revenue })`; `undefined` when the catalog lacks the revenue metrics. */
  readonly revenue: RevenueRecorder | undefined;
  readonly selfMetrics: FunnelSelfMetrics;
}

/** Options of `defineFunnel`. */
export interface FunnelOptions {
  /**
   * Steps outside the order, counted once per session when they happen, e.g. `['checkout_error']`.
   * @default []
   */
  sideSteps?: readonly string[];
  /** `conversion_type` of the conversion the last step records. @default 'purchase' */
  conversionType?: string;
  /**
   * Open sessions kept per process; past it the least recently active session is evicted and
   * counted as abandoned at the last step it reached.
   * @default 100000
   */
  maxSessions?: number;
  /** A session with no step for this long is abandoned (swept when its key comes back and at each collection). @default 1800000 (30 min) */
  sessionTimeoutMs?: number;
  /** Monotonic milliseconds for session start and time to conversion; tests pass a fake. @default performance.now */
  clock?: () => number;
  /** Wall clock (epoch ms), only to place a `startedAt` given as a date. @default Date.now */
  wallClock?: () => number;
}

/** Labels and start of one session, given when its handle is taken. Session keys are never labels. */
export interface FunnelSessionContext {
  /** Where the visitor came from (`source` label). */
  source: string;
  /** Device class (`device_type` label). */
  deviceType: string;
  /** A/B experiment variant (`experiment_variant` label). @default 'control' */
  experimentVariant?: string;
  /**
   * When the session began, if before its first step in this process (a `Date` or epoch ms, e.g.
   * from your session store). Converted once to the monotonic clock. @default the first step
   */
  startedAt?: Date | number;
}

/** What `complete` may add. */
export interface FunnelCompletion {
  /** Overrides the funnel's `conversionType` for this conversion. */
  conversionType?: string;
  /** Also records the order's revenue (the guide's `trackPurchaseComplete`): minor units plus the revenue labels. */
  revenue?: RevenueMetadata & { amountMinor: number };
}

/** A per-session tracker, like the guide's `CheckoutTracker`. Never throws into the caller (outside strict mode). */
export interface FunnelSession {
  /** Records a step; each step counts once per session. The funnel's last step completes the session. */
  step(name: string): void;
  /** Records the conversion (and the last step, if not yet recorded) and closes the session. */
  complete(completion?: FunnelCompletion): void;
  /** Closes the session without converting: counted as abandoned at the last step reached. */
  end(): void;
}

interface LabelSet {
  readonly source: unknown;
  readonly deviceType: unknown;
  readonly variant: unknown;
  readonly stepValues: (readonly unknown[] | undefined)[];
  readonly abandonValues: (readonly unknown[] | undefined)[];
}

type Bound = FunnelDependencies;

/** The handle `funnel.session()` returns: a class, so taking one per request allocates one small object. */
class SessionHandle implements FunnelSession {
  closed = false;

  constructor(
    private readonly funnel: Funnel,
    readonly key: string,
    readonly labels: LabelSet,
    readonly startedAt: Date | number | undefined,
  ) {}

  step(name: string): void {
    try {
      this.funnel[recordStep](this, name);
    } catch (error) {
      this.funnel[failed](error);
    }
  }

  complete(completion?: FunnelCompletion): void {
    try {
      this.funnel[recordCompletion](this, completion);
    } catch (error) {
      this.funnel[failed](error);
    }
  }

  end(): void {
    try {
      this.funnel[recordEnd](this);
    } catch (error) {
      this.funnel[failed](error);
    }
  }
}

type Handle = SessionHandle;

// Module-private method keys: the handle can call them, users of Funnel cannot see them.
const recordStep = Symbol('recordStep');
const recordCompletion = Symbol('recordCompletion');
const recordEnd = Symbol('recordEnd');
const failed = Symbol('failed');

const maxStepCount = 30;
const maxInternedLabelSets = 10_000;
// Longer session keys are replaced by their hash so a hostile key cannot grow memory per session.
const maxKeyLength = 128;
const keyHash = new Uint32Array(2);
const nameOk = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * A funnel: ordered steps recorded per session through the guide's `business_funnel_step_total`,
 * with conversions, time to conversion and abandonment derived from bounded per-session state.
 * Create it with `bm.funnels.define(...)` (or `defineFunnel(bm, ...)`).
 */
export class Funnel implements ObservedFunnel {
  readonly name: string;
  readonly steps: readonly string[];
  readonly sideSteps: readonly string[];
  private readonly allSteps: readonly string[];
  private readonly stepIndex: ReadonlyMap<string, number>;
  private readonly finalIndex: number;
  private readonly conversionType: string;
  private readonly clock: () => number;
  private readonly wallClock: () => number;
  private readonly store: SessionStore<LabelSet>;
  private readonly labelSets = new Map<unknown, Map<unknown, Map<unknown, LabelSet>>>();
  private internedLabelSets = 0;
  private readonly bound: Bound;

  constructor(name: string, steps: readonly string[], options: FunnelOptions, dependencies: FunnelDependencies) {
    if (!nameOk(name)) throw new BusinessMetricsConfigError('bizmetrics: defineFunnel needs a non-empty name, e.g. "checkout"');
    const sideSteps = options.sideSteps ?? [];
    if (!Array.isArray(steps) || steps.length < 2) {
      throw new BusinessMetricsConfigError(`bizmetrics: funnel "${name}" needs at least two ordered steps, e.g. ['cart_view', 'order_confirmed']`);
    }
    const allSteps = [...steps, ...sideSteps];
    if (!allSteps.every(nameOk)) throw new BusinessMetricsConfigError(`bizmetrics: funnel "${name}" has a step that is not a non-empty string`);
    if (new Set(allSteps).size !== allSteps.length) throw new BusinessMetricsConfigError(`bizmetrics: funnel "${name}" lists a step twice`);
    if (allSteps.length > maxStepCount) {
      throw new BusinessMetricsConfigError(`bizmetrics: funnel "${name}" has ${allSteps.length} steps; at most ${maxStepCount} (steps and side steps) are supported`);
    }
    const maxSessions = options.maxSessions ?? 100_000;
    if (!Number.isSafeInteger(maxSessions) || maxSessions < 1) {
      throw new BusinessMetricsConfigError(`bizmetrics: funnel "${name}": maxSessions must be a positive integer, got ${String(maxSessions)}`);
    }
    const timeout = options.sessionTimeoutMs ?? 30 * 60_000;
    if (typeof timeout !== 'number' || !(timeout > 0)) {
      throw new BusinessMetricsConfigError(`bizmetrics: funnel "${name}": sessionTimeoutMs must be a positive number of milliseconds, got ${String(timeout)}`);
    }
    this.name = name;
    this.steps = Object.freeze([...steps]);
    this.sideSteps = Object.freeze([...sideSteps]);
    this.allSteps = allSteps;
    this.stepIndex = new Map(allSteps.map((step, index) => [step, index]));
    this.finalIndex = steps.length - 1;
    this.conversionType = options.conversionType ?? 'purchase';
    this.clock = options.clock ?? (() => performance.now());
    this.wallClock = options.wallClock ?? Date.now;
    this.store = new SessionStore<LabelSet>(maxSessions, timeout, (state, cause) => this.dropped(state, cause));
    this.bound = dependencies;
    dependencies.selfMetrics.add(this);
  }

  /** This funnel's tallies: anomalies by kind, closed sessions by outcome, open sessions. */
  get stats(): FunnelStats {
    const { anomalies, closed } = this.bound.selfMetrics;
    const byKind = (kind: FunnelAnomalyKind): number => anomalies.value(this.name, kind);
    const byOutcome = (outcome: FunnelOutcome): number => closed.value(this.name, outcome);
    return {
      anomalies: Object.fromEntries(funnelAnomalyKinds.map((kind) => [kind, byKind(kind)])) as Record<FunnelAnomalyKind, number>,
      closed: Object.fromEntries(funnelOutcomes.map((outcome) => [outcome, byOutcome(outcome)])) as Record<FunnelOutcome, number>,
      openSessions: this.store.size,
    };
  }

  /**
   * The tracker of one session. `sessionKey` identifies the session in this process only (it is
   * never a label); take a handle per request, state lives in the funnel.
   */
  session(sessionKey: string, context: FunnelSessionContext): FunnelSession {
    const key = typeof sessionKey === 'string' && sessionKey.length > maxKeyLength ? hashedKey(sessionKey) : sessionKey;
    return new SessionHandle(this, key, this.labelsOf(context), context?.startedAt);
  }

  /** Sessions currently tracked. */
  get openSessions(): number {
    return this.store.size;
  }

  /** Abandons sessions idle past the timeout now (also done on steps and at each collection); returns the open count. */
  sweep(): number {
    this.store.expire(this.clock());
    return this.store.size;
  }

  /** @internal */
  [recordStep](handle: Handle, name: string): void {
    const index = this.stepIndex.get(name);
    if (index === undefined) return this.anomaly('unknown_step', `step ${JSON.stringify(String(name)).slice(0, 60)} is not in the funnel`);
    if (index === this.finalIndex) return this[recordCompletion](handle, undefined);
    if (handle.closed) return this.anomaly('after_end', `step ${name} after the session was completed or ended`);
    if (!this.validKey(handle.key)) return;
    const bound = this.bound;
    const now = this.clock();
    let state = this.store.touch(handle.key, now);
    if (state === undefined) {
      state = this.newState(handle, now);
      this.store.insert(state);
    }
    this.countStep(state, index, bound);
  }

  /** @internal */
  [recordCompletion](handle: Handle, completion: FunnelCompletion | undefined): void {
    if (handle.closed) return this.anomaly('after_end', 'complete() after the session was completed or ended');
    if (!this.validKey(handle.key)) return;
    handle.closed = true;
    const bound = this.bound;
    const now = this.clock();
    let state = this.store.touch(handle.key, now);
    const knownStart = state !== undefined || handle.startedAt !== undefined;
    if (state === undefined) state = this.newState(handle, now);
    else this.store.remove(handle.key);
    if ((state.seen & (1 << this.finalIndex)) === 0) this.countStep(state, this.finalIndex, bound);
    const type = completion?.conversionType ?? this.conversionType;
    bound.conversions.addValues(1, [type, state.labels.source, state.labels.deviceType]);
    // Without an earlier step here or a startedAt, the start is unknown: no made-up duration.
    if (knownStart) bound.timeToConversion.recordValues(Math.max(0, now - state.startedAt) / 1000, [type]);
    if (completion?.revenue !== undefined) this.recordRevenue(completion.revenue);
    bound.selfMetrics.closed.add(this.name, 'converted');
  }

  /** @internal */
  [recordEnd](handle: Handle): void {
    if (handle.closed) return;
    handle.closed = true;
    const now = this.clock();
    const state = this.store.touch(handle.key, now); // an idle session is dropped as expired here
    if (state === undefined) return;
    this.store.remove(handle.key);
    this.dropped(state, 'ended');
  }

  private countStep(state: SessionState<LabelSet>, index: number, bound: Bound): void {
    const bit = 1 << index;
    if ((state.seen & bit) !== 0) return this.anomaly('repeated', () => `step ${this.allSteps[index]} again in one session`);
    state.seen |= bit;
    const ordered = index < this.steps.length;
    const furthestOrdered = state.furthest < this.steps.length ? state.furthest : -1;
    if (ordered && index < furthestOrdered) {
      // Counted (once) all the same: a late event still means the visitor reached the step.
      this.anomaly('out_of_order', `step ${this.allSteps[index]} after ${this.allSteps[furthestOrdered]}`);
    } else if (ordered || state.furthest === -1) {
      state.furthest = index;
    }
    const labels = state.labels;
    const values = (labels.stepValues[index] ??= [this.allSteps[index], labels.source, labels.deviceType, labels.variant]);
    bound.stepCounter.addValues(1, values);
  }

  private recordRevenue(revenue: RevenueMetadata & { amountMinor: number }): void {
    if (this.bound.revenue === undefined) this.bound.stepCounter.refuse('unknown_metric', 'business_revenue_cents is not in the catalog');
    else this.bound.revenue.recordRevenue(revenue.amountMinor, revenue);
  }

  private dropped(state: SessionState<LabelSet>, cause: DropCause | 'ended'): void {
    this.bound.selfMetrics.closed.add(this.name, cause satisfies FunnelOutcome);
    if (state.furthest < 0) return;
    const labels = state.labels;
    const values = (labels.abandonValues[state.furthest] ??= [this.name, this.allSteps[state.furthest], labels.variant]);
    this.bound.abandoned.addValues(1, values);
  }

  private newState(handle: Handle, now: number): SessionState<LabelSet> {
    let startedAt = now;
    const given = handle.startedAt;
    const givenMs = given instanceof Date ? given.getTime() : given;
    if (typeof givenMs === 'number' && Number.isFinite(givenMs)) startedAt = now - Math.max(0, this.wallClock() - givenMs);
    return new SessionState(handle.key, startedAt, now, handle.labels);
  }

  private labelsOf(context: FunnelSessionContext | undefined): LabelSet {
    const source: unknown = context?.source;
    const deviceType: unknown = context?.deviceType;
    const variant: unknown = context?.experimentVariant || 'control';
    // Nested maps keyed by the caller's own values: no concatenated key to build and hash per call.
    let byDevice = this.labelSets.get(source);
    let byVariant = byDevice?.get(deviceType);
    let labels = byVariant?.get(variant);
    if (labels !== undefined) return labels;
    labels = { source, deviceType, variant, stepValues: [], abandonValues: [] };
    // Past the cap, sessions get their own (uninterned) label set: correct, just less compact.
    if (this.internedLabelSets < maxInternedLabelSets) {
      this.internedLabelSets++;
      if (byDevice === undefined) this.labelSets.set(source, (byDevice = new Map()));
      if (byVariant === undefined) byDevice.set(deviceType, (byVariant = new Map()));
      byVariant.set(variant, labels);
    }
    return labels;
  }

  private validKey(key: unknown): boolean {
    if (typeof key === 'string' && key !== '') return true;
    this.bound.stepCounter.refuse('invalid_value', `funnel ${this.name}: session key must be a non-empty string, got ${typeof key}`);
    return false;
  }

  private anomaly(kind: FunnelAnomalyKind, detail: string | (() => string)): void {
    // The first of each kind for this funnel is logged (its tally was preset at 0).
    if (this.bound.selfMetrics.anomalies.add(this.name, kind) !== 1) return;
    const text = typeof detail === 'string' ? detail : detail();
    diag.warn(`bizmetrics: funnel ${this.name}: ${text}; not counted as a step. Further "${kind}" cases are counted in bizmetrics_funnel_step_anomalies_total without logging.`);
  }


  /** @internal */
  [failed](error: unknown): void {
    // Strict mode's refusals reach the caller; anything else is instrumentation failing, which must not.
    if (error instanceof RefusedValueError) throw error;
    diag.error(`bizmetrics: funnel ${this.name} failed to record: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function hashedKey(key: string): string {
  hash64(key, keyHash);
  return `#${(keyHash[0] as number).toString(36)}.${(keyHash[1] as number).toString(36)}.${key.length}`;
}

