/** What the tracker keeps per open session: a few numbers and one shared label-set reference. */
export interface SessionState<L> {
  /** Index of the furthest step reached (-1 before any). */
  furthest: number;
  /** Bit i set once step i was counted for this session. */
  seen: number;
  /** Monotonic ms of the session start. */
  readonly startedAt: number;
  /** Monotonic ms of the last step. */
  lastSeen: number;
  /** Interned labels of the session (shared between sessions with the same labels). */
  readonly labels: L;
}

/** Why a session left the store without completing. */
export type DropCause = 'expired' | 'evicted';

/**
 * Open sessions, bounded two ways: at most `maxSessions` (the least recently active is evicted
 * first) and at most `idleMs` without a step (expired). A `Map` keeps insertion order and a touch
 * re-inserts, so the first entry is always the least recently active: both eviction and expiry
 * read from the front, in constant amortised time, with no timer.
 */
export class SessionStore<L> {
  private readonly sessions = new Map<string, SessionState<L>>();

  constructor(
    private readonly maxSessions: number,
    private readonly idleMs: number,
    private readonly onDrop: (state: SessionState<L>, cause: DropCause) => void,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** The live session of `key` (expired ones are dropped first), moved to most recently active. */
  touch(key: string, now: number): SessionState<L> | undefined {
    this.expire(now, 2);
    const state = this.sessions.get(key);
    if (state === undefined) return undefined;
    this.sessions.delete(key);
    if (now - state.lastSeen > this.idleMs) {
      this.onDrop(state, 'expired');
      return undefined;
    }
    state.lastSeen = now;
    this.sessions.set(key, state);
    return state;
  }

  /** Adds a new session, evicting the least recently active one when full. */
  insert(key: string, state: SessionState<L>): void {
    if (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.entries().next();
      if (!oldest.done) {
        this.sessions.delete(oldest.value[0]);
        this.onDrop(oldest.value[1], 'evicted');
      }
    }
    this.sessions.set(key, state);
  }

  /** Removes a session that ended or converted (no drop callback). */
  remove(key: string): SessionState<L> | undefined {
    const state = this.sessions.get(key);
    if (state !== undefined) this.sessions.delete(key);
    return state;
  }

  /** Drops sessions idle for longer than `idleMs`, at most `limit` of them; returns how many. */
  expire(now: number, limit = Number.POSITIVE_INFINITY): number {
    let dropped = 0;
    for (const [key, state] of this.sessions) {
      if (dropped >= limit || now - state.lastSeen <= this.idleMs) break;
      this.sessions.delete(key);
      this.onDrop(state, 'expired');
      dropped++;
    }
    return dropped;
  }
}
