import { LRUCache } from 'lru-cache';

/**
 * What the tracker keeps per open session: a few numbers, one shared label-set reference and its
 * key. A class, so every session has the same compact shape.
 */
export class SessionState<L> {
  /** Index of the furthest step reached (-1 before any). */
  furthest = -1;
  /** Bit i set once step i was counted for this session. */
  seen = 0;

  constructor(
    /** The session key as stored (never a label). */
    readonly key: string,
    /** Monotonic ms of the session start. */
    readonly startedAt: number,
    /** Monotonic ms of the last step. */
    public lastSeen: number,
    /** Interned labels of the session (shared between sessions with the same labels). */
    readonly labels: L,
  ) {}
}

/** Why a session left the store without completing. */
export type DropCause = 'expired' | 'evicted';

/**
 * Open sessions, bounded two ways: at most `maxSessions` (the least recently active is evicted
 * first) and at most `idleMs` without a step (expired). The one LRU of the project (`lru-cache`)
 * keeps them in recency order with an idle TTL read from the funnel's clock: touch and eviction are
 * constant time, with no timer; idle sessions are dropped when their key is touched again and when
 * `expire` runs (at each collection).
 */
export class SessionStore<L> {
  private readonly sessions: LRUCache<string, SessionState<L>>;
  /** The funnel's clock as of the last call, read by the cache (plus 1: lru-cache takes a start of 0 for "no TTL"). */
  private now = 1;
  private dropped = 0;

  constructor(maxSessions: number, idleMs: number, onDrop: (state: SessionState<L>, cause: DropCause) => void) {
    this.sessions = new LRUCache<string, SessionState<L>>({
      max: maxSessions,
      ttl: idleMs,
      ttlResolution: 0,
      updateAgeOnGet: true,
      perf: { now: () => this.now },
      dispose: (state, _key, reason) => {
        if (reason !== 'evict' && reason !== 'expire') return; // removed (ended, converted) or replaced: no drop
        this.dropped++;
        onDrop(state, reason === 'evict' ? 'evicted' : 'expired');
      },
    });
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The live session of `key` (an idle one is dropped as expired), made the most recently active. */
  touch(key: string, now: number): SessionState<L> | undefined {
    this.now = now + 1;
    const state = this.sessions.get(key);
    if (state !== undefined) state.lastSeen = now;
    return state;
  }

  /** Adds a new session, evicting the least recently active one when full. */
  insert(state: SessionState<L>): void {
    this.now = state.lastSeen + 1;
    this.sessions.set(state.key, state);
  }

  /** Removes a session that ended or converted (no drop callback). */
  remove(key: string): SessionState<L> | undefined {
    const state = this.sessions.peek(key, { allowStale: true });
    this.sessions.delete(key);
    return state;
  }

  /** Drops every session idle for longer than `idleMs`; returns how many. */
  expire(now: number): number {
    this.now = now + 1;
    const before = this.dropped;
    this.sessions.purgeStale();
    return this.dropped - before;
  }
}
