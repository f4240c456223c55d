import { diag, type MeterProvider } from '@opentelemetry/api';
import { hash64 } from '../activeUsers/hash64';
import type { businessCatalog } from '../catalog/businessCatalog';
import { BusinessMetricsConfigError, RefusedValueError } from '../errors';
import type { BusinessMetrics } from '../instruments/businessMetrics';
import type { GuardedCounter } from '../instruments/guardedCounter';
import type { GuardedHistogram } from '../instruments/guardedHistogram';
import { revenueRecorderFor, type RevenueMetadata } from '../revenue/revenueRecorder';
import { businessMetrics } from '../service/businessMetricsService';
import {
  funnelSelfMetricsFor,
  type FunnelAnomalyKind,
  type FunnelOutcome,
  type FunnelStats,
  type ObservedFunnel,
} from './funnelSelfMetrics';
import type { FunnelCloseCause, FunnelSessions, FunnelSessionStore, FunnelStoreEvents } from './funnelSessionStore';
import { inProcessFunnelStore } from './inProcessFunnelStore';

/** Where a funnel records: a `setupBusinessMetrics()`/`createMetricsRuntime()` result or anything with its `metrics`. */
export interface FunnelRuntime {
  readonly metrics: BusinessMetrics<typeof businessCatalog>;
  /** Where the funnel self-metrics are registered; without it they are only kept in `funnel.stats`. */
  readonly meterProvider?: MeterProvider;
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
   * Open sessions kept per process (in-process store); past it the least recently active session is evicted and
   * counted as abandoned at the last step it reached.
   * @default 100000
   */
  maxSessions?: number;
  /** A session with no step for this long is abandoned (swept on later steps and at each collection). @default 1800000 (30 min) */
  sessionTimeoutMs?: number;
  /** Where to record. @default the runtime of the guide's `businessMetrics` singleton, resolved on first use */
  runtime?: FunnelRuntime;
  /** Monotonic milliseconds for session start and time to conversion; tests pass a fake. @default performance.now */
  clock?: () => number;
  /** Wall clock (epoch ms): places a `startedAt` given as a date; a shared store's only clock. @default Date.now */
  wallClock?: () => number;
  /**
   * Where per-session state lives. The default keeps it in this process, which is right for one
   * process only; with replicas behind a load balancer without stickiness use a shared store
   * (`createRedisStores(...).funnelStore` from `@bizmetrics/redis`).
   * @default the in-process store
   */
  store?: FunnelSessionStore;
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

interface Bound {
  readonly metrics: BusinessMetrics<typeof businessCatalog>;
  readonly stepCounter: GuardedCounter;
  readonly conversions: GuardedCounter;
  readonly timeToConversion: GuardedHistogram;
  readonly abandoned: GuardedCounter;
}

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
 * Create it with `defineFunnel`.
 */
export class Funnel implements ObservedFunnel {
  readonly name: string;
  readonly steps: readonly string[];
  readonly sideSteps: readonly string[];
  readonly stats: FunnelStats = {
    anomalies: { repeated: 0, out_of_order: 0, unknown_step: 0, after_end: 0 },
    closed: { converted: 0, ended: 0, expired: 0, evicted: 0 },
    openSessions: 0,
  };
  private readonly allSteps: readonly string[];
  private readonly stepIndex: ReadonlyMap<string, number>;
  private readonly finalIndex: number;
  private readonly conversionType: string;
  private readonly clock: () => number;
  private readonly wallClock: () => number;
  private readonly sessionStore: FunnelSessionStore;
  private openedSessions: FunnelSessions<LabelSet> | undefined;
  private readonly maxSessions: number;
  private readonly sessionTimeoutMs: number;
  private readonly labelSets = new Map<unknown, Map<unknown, Map<unknown, LabelSet>>>();
  private internedLabelSets = 0;
  private readonly loggedAnomalies = new Set<FunnelAnomalyKind>();
  private bound: Bound | undefined;

  constructor(
    name: string,
    steps: readonly string[],
    private readonly options: FunnelOptions = {},
  ) {
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
    this.maxSessions = maxSessions;
    this.sessionTimeoutMs = timeout;
    this.sessionStore = options.store ?? inProcessFunnelStore;
    // An explicit runtime is checked now, so a catalog without the funnel metrics fails at set-up.
    if (options.runtime !== undefined) this.bind();
  }

  /**
   * The same funnel recording into another runtime, optionally with other options
   * (e.g. `checkoutFunnel.withRuntime(setupBusinessMetrics(...), { sessionTimeoutMs: 600_000 })`).
   */
  withRuntime(runtime: FunnelRuntime, options: Omit<FunnelOptions, 'runtime'> = {}): Funnel {
    return new Funnel(this.name, this.steps, { ...this.options, ...options, runtime });
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
    return this.sessions().size;
  }

  /** Abandons sessions idle past the timeout now (also done on steps and at each collection); returns the open count. */
  sweep(): number {
    const open = this.sessions().sweep();
    this.stats.openSessions = open;
    return open;
  }

  /** @internal */
  [recordStep](handle: Handle, name: string): void {
    const index = this.stepIndex.get(name);
    if (index === undefined) return this.anomaly('unknown_step', `step ${JSON.stringify(String(name)).slice(0, 60)} is not in the funnel`);
    if (index === this.finalIndex) return this[recordCompletion](handle, undefined);
    if (handle.closed) return this.anomaly('after_end', `step ${name} after the session was completed or ended`);
    if (!this.validKey(handle.key)) return;
    this.bind();
    this.sessions().step(handle.key, index, handle.labels, handle.startedAt);
  }

  /** @internal */
  [recordCompletion](handle: Handle, completion: FunnelCompletion | undefined): void {
    if (handle.closed) return this.anomaly('after_end', 'complete() after the session was completed or ended');
    if (!this.validKey(handle.key)) return;
    handle.closed = true;
    const bound = this.bind();
    // Revenue is no session state: recorded now, whatever a shared store answers later.
    if (completion?.revenue !== undefined) revenueRecorderFor(bound.metrics).recordRevenue(completion.revenue.amountMinor, completion.revenue);
    this.sessions().complete(handle.key, handle.labels, handle.startedAt, completion?.conversionType ?? this.conversionType);
  }

  /** @internal */
  [recordEnd](handle: Handle): void {
    if (handle.closed) return;
    handle.closed = true;
    this.sessions().end(handle.key);
  }

  /** The store's sessions of this funnel, opened on first use. */
  private sessions(): FunnelSessions<LabelSet> {
    return (this.openedSessions ??= this.sessionStore.open(this.storeEvents()));
  }

  /** What the store reports back; outcomes become metrics here, whichever store decided them. */
  private storeEvents(): FunnelStoreEvents<LabelSet> {
    return {
      funnelName: this.name,
      stepNames: this.allSteps,
      orderedStepCount: this.steps.length,
      sessionTimeoutMs: this.sessionTimeoutMs,
      maxSessions: this.maxSessions,
      clock: this.clock,
      wallClock: this.wallClock,
      // '' stands for a value that was not a string when stored (the guard refuses it again at record time).
      labels: (source, deviceType, variant) => this.internLabels(source === '' ? undefined : source, deviceType === '' ? undefined : deviceType, variant || 'control'),
      stepCounted: (labels, index, previousFurthest) => this.countStep(labels, index, previousFurthest),
      stepRepeated: (index) => this.anomaly('repeated', () => `step ${this.allSteps[index]} again in one session`),
      converted: (labels, finalStepIsNew, durationMs, conversionType) => this.converted(labels, finalStepIsNew, durationMs, conversionType as string),
      closed: (labels, furthest, cause) => this.closed(labels, furthest, cause),
    };
  }

  private countStep(labels: LabelSet, index: number, previousFurthest: number): void {
    const furthestOrdered = previousFurthest < this.steps.length ? previousFurthest : -1;
    if (index < this.steps.length && index < furthestOrdered) {
      // Counted (once) all the same: a late event still means the visitor reached the step.
      this.anomaly('out_of_order', `step ${this.allSteps[index]} after ${this.allSteps[furthestOrdered]}`);
    }
    const values = (labels.stepValues[index] ??= [this.allSteps[index], labels.source, labels.deviceType, labels.variant]);
    this.bind().stepCounter.addValues(1, values);
  }

  private converted(labels: LabelSet, finalStepIsNew: boolean, durationMs: number | undefined, conversionType: string): void {
    const bound = this.bind();
    if (finalStepIsNew) this.countStep(labels, this.finalIndex, -1);
    bound.conversions.addValues(1, [conversionType, labels.source, labels.deviceType]);
    if (durationMs !== undefined) bound.timeToConversion.recordValues(durationMs / 1000, [conversionType]);
    this.stats.closed.converted++;
  }

  private closed(labels: LabelSet, furthest: number, cause: FunnelCloseCause): void {
    this.stats.closed[cause satisfies FunnelOutcome]++;
    if (furthest < 0 || this.bound === undefined) return;
    const values = (labels.abandonValues[furthest] ??= [this.name, this.allSteps[furthest], labels.variant]);
    this.bound.abandoned.addValues(1, values);
  }

  private labelsOf(context: FunnelSessionContext | undefined): LabelSet {
    return this.internLabels(context?.source, context?.deviceType, context?.experimentVariant || 'control');
  }

  private internLabels(source: unknown, deviceType: unknown, variant: unknown): LabelSet {
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
    this.bind().stepCounter.refuse('invalid_value', `funnel ${this.name}: session key must be a non-empty string, got ${typeof key}`);
    return false;
  }

  private anomaly(kind: FunnelAnomalyKind, detail: string | (() => string)): void {
    this.stats.anomalies[kind]++;
    if (!this.loggedAnomalies.has(kind)) {
      this.loggedAnomalies.add(kind);
      const text = typeof detail === 'string' ? detail : detail();
      diag.warn(`bizmetrics: funnel ${this.name}: ${text}; not counted as a step. Further "${kind}" cases are counted in bizmetrics_funnel_step_anomalies_total without logging.`);
    }
  }

  private bind(): Bound {
    if (this.bound !== undefined) return this.bound;
    const runtime: FunnelRuntime = this.options.runtime ?? (businessMetrics.metricsRuntime as FunnelRuntime);
    const metrics = runtime.metrics;
    let bound: Bound;
    try {
      bound = {
        metrics,
        stepCounter: metrics.counter('business_funnel_step'),
        conversions: metrics.counter('business_conversions'),
        timeToConversion: metrics.histogram('business_time_to_conversion_seconds'),
        abandoned: metrics.counter('business_funnel_abandoned'),
      };
    } catch (error) {
      throw new BusinessMetricsConfigError(
        `bizmetrics: funnel "${this.name}" needs business_funnel_step, business_conversions, business_time_to_conversion_seconds and business_funnel_abandoned in the catalog (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    this.bound = bound;
    if (runtime.meterProvider !== undefined) {
      funnelSelfMetricsFor(runtime.meterProvider).add(this);
      this.sessionStore.observe?.(runtime.meterProvider);
    }
    return bound;
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

/**
 * Defines a funnel: ordered steps, optional side steps, and how sessions are bounded. Each session
 * counts each step once in `business_funnel_step_total{step}` (so the guide's conversion-rate
 * queries work), the last step records `business_conversions_total` and
 * `business_time_to_conversion_seconds`, and sessions that end, idle out or are evicted count in
 * `business_funnel_abandoned_total{funnel,step}` at the last step they reached.
 *
 * @example
 * const signup = defineFunnel('signup', ['landing', 'form', 'verified'], { conversionType: 'signup', runtime: bm });
 * signup.session(req.sessionID, { source: 'newsletter', deviceType: 'mobile' }).step('form');
 */
export function defineFunnel(name: string, steps: readonly string[], options: FunnelOptions = {}): Funnel {
  return new Funnel(name, steps, options);
}
