/**
 * What the tracker keeps per open session: a few numbers, one shared label-set reference, its key
 * and two list links. A class, so every session has the same compact shape.
 */
export class SessionState<L> {
  /** Index of the furthest step reached (-1 before any). */
  furthest = -1;
  /** Bit i set once step i was counted for this session. */
  seen = 0;
  /** Neighbours in recency order (older, newer). */
  older: SessionState<L> | undefined = undefined;
  newer: SessionState<L> | undefined = undefined;

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
 * first) and at most `idleMs` without a step (expired). A map finds a session by key; an intrusive
 * doubly linked list keeps them in recency order, so touch, eviction and expiry are all constant
 * time with no timer. (Re-inserting into a `Map` to keep order looks simpler, but iterating it from
 * the front then walks every deleted slot: measured 45 µs per step at 100k sessions.)
 */
export class SessionStore<L> {
  private readonly sessions = new Map<string, SessionState<L>>();
  private oldest: SessionState<L> | undefined;
  private newest: SessionState<L> | undefined;

  constructor(
    private readonly maxSessions: number,
    private readonly idleMs: number,
    private readonly onDrop: (state: SessionState<L>, cause: DropCause) => void,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** The live session of `key` (expired ones are dropped first), made the most recently active. */
  touch(key: string, now: number): SessionState<L> | undefined {
    this.expire(now, 2);
    const state = this.sessions.get(key);
    if (state === undefined) return undefined;
    if (now - state.lastSeen > this.idleMs) {
      this.unlink(state);
      this.sessions.delete(key);
      this.onDrop(state, 'expired');
      return undefined;
    }
    state.lastSeen = now;
    if (state !== this.newest) {
      this.unlink(state);
      this.append(state);
    }
    return state;
  }

  /** Adds a new session, evicting the least recently active one when full. */
  insert(state: SessionState<L>): void {
    if (this.sessions.size >= this.maxSessions && this.oldest !== undefined) {
      const evicted = this.oldest;
      this.unlink(evicted);
      this.sessions.delete(evicted.key);
      this.onDrop(evicted, 'evicted');
    }
    this.sessions.set(state.key, state);
    this.append(state);
  }

  /** Removes a session that ended or converted (no drop callback). */
  remove(key: string): SessionState<L> | undefined {
    const state = this.sessions.get(key);
    if (state !== undefined) {
      this.unlink(state);
      this.sessions.delete(key);
    }
    return state;
  }

  /** Drops sessions idle for longer than `idleMs`, at most `limit` of them; returns how many. */
  expire(now: number, limit = Number.POSITIVE_INFINITY): number {
    let dropped = 0;
    while (dropped < limit) {
      const state = this.oldest;
      if (state === undefined || now - state.lastSeen <= this.idleMs) break;
      this.unlink(state);
      this.sessions.delete(state.key);
      this.onDrop(state, 'expired');
      dropped++;
    }
    return dropped;
  }

  private append(state: SessionState<L>): void {
    state.older = this.newest;
    state.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = state;
    else this.oldest = state;
    this.newest = state;
  }

  private unlink(state: SessionState<L>): void {
    if (state.older !== undefined) state.older.newer = state.newer;
    else this.oldest = state.newer;
    if (state.newer !== undefined) state.newer.older = state.older;
    else this.newest = state.older;
    state.older = undefined;
    state.newer = undefined;
  }
}
