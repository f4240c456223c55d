import type { MeterProvider } from '@opentelemetry/api';

/** The labels a session carries (`source`, `device_type`, `experiment_variant`), as given by the caller. */
export interface FunnelSessionLabels {
  readonly source: unknown;
  readonly deviceType: unknown;
  readonly variant: unknown;
}

/** How a session left the store without converting. */
export type FunnelCloseCause = 'ended' | 'expired' | 'evicted';

/** What `complete()` passes through the store untouched, for the funnel to record (conversion type, revenue). */
export type FunnelCompletionPayload = unknown;

/**
 * The funnel's side of a store: what it needs to know and what it does with each outcome. A store
 * calls these when it knows the answer: at once for the in-process store, after Redis answers for a
 * shared one (never on the caller's request path then). Indexes are into `stepNames`.
 */
export interface FunnelStoreEvents<L extends FunnelSessionLabels = FunnelSessionLabels> {
  /** The funnel's name (keys of a shared store are prefixed with it). */
  readonly funnelName: string;
  /** The ordered steps, then the side steps. */
  readonly stepNames: readonly string[];
  /** How many of `stepNames` are ordered steps; the last ordered step converts. */
  readonly orderedStepCount: number;
  /** A session with no step for this long is abandoned as `expired`. */
  readonly sessionTimeoutMs: number;
  /** Open sessions an in-process store keeps before evicting the least recently active. */
  readonly maxSessions: number;
  /** Monotonic milliseconds (in-process timing). */
  clock(): number;
  /** Epoch milliseconds (shared stores: the only clock replicas share). */
  wallClock(): number;
  /** The funnel's label set for labels read back from a shared store ('' for a value that was not a string). */
  labels(source: string, deviceType: string, variant: string): L;
  /** Step `index` counted for the first time in its session; `previousFurthest` is the furthest step reached before it (-1: none). */
  stepCounted(labels: L, index: number, previousFurthest: number): void;
  /** Step `index` was already counted in its session. */
  stepRepeated(index: number): void;
  /**
   * The session converted. `finalStepIsNew`: the last step had not been counted yet (count it now).
   * `durationMs`: from the session's start, `undefined` when its start is unknown.
   */
  converted(labels: L, finalStepIsNew: boolean, durationMs: number | undefined, completion: FunnelCompletionPayload): void;
  /** The session left without converting, at its furthest step (-1: none reached). Called once per session. */
  closed(labels: L, furthest: number, cause: FunnelCloseCause): void;
}

/** The open sessions of one funnel in a store. Every method returns at once and never throws. */
export interface FunnelSessions<L extends FunnelSessionLabels = FunnelSessionLabels> {
  /** Records step `index` of session `key` (`startedAt`: the caller's session start, if known). */
  step(key: string, index: number, labels: L, startedAt: Date | number | undefined): void;
  /** Converts session `key` and closes it. */
  complete(key: string, labels: L, startedAt: Date | number | undefined, completion: FunnelCompletionPayload): void;
  /** Closes session `key` without converting (abandoned at its furthest step). */
  end(key: string): void;
  /**
   * Abandons sessions idle past the timeout (a shared store claims them in the background) and
   * returns the open sessions (a shared store's last known count, for every replica).
   */
  sweep(): number;
  /** Open sessions as last known. */
  readonly size: number;
}

/**
 * Where funnels keep per-session state. The default keeps it in the process (right for one
 * process); `@bizmetrics/redis` keeps it in Redis so every replica gives the same answer.
 */
export interface FunnelSessionStore {
  /** Opens the sessions of one funnel; a funnel calls it once, on first use. */
  open<L extends FunnelSessionLabels>(events: FunnelStoreEvents<L>): FunnelSessions<L>;
  /** Registers the store's own self-metrics on the funnel's meter provider (called on first use; must be idempotent). */
  observe?(meterProvider: MeterProvider): void;
}
