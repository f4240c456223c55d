import type { FunnelSessionLabels, FunnelSessions, FunnelSessionStore, FunnelStoreEvents } from './funnelSessionStore';
import { SessionState, SessionStore } from './sessionStore';

/**
 * Sessions of one funnel in this process's memory: bounded by `maxSessions` (least recently active
 * evicted) and the idle timeout. Correct for a single process only: replicas without sticky
 * sessions each see part of a session.
 */
class InProcessFunnelSessions<L extends FunnelSessionLabels> implements FunnelSessions<L> {
  private readonly store: SessionStore<L>;

  constructor(private readonly events: FunnelStoreEvents<L>) {
    this.store = new SessionStore<L>(events.maxSessions, events.sessionTimeoutMs, (state, cause) => events.closed(state.labels, state.furthest, cause));
  }

  get size(): number {
    return this.store.size;
  }

  step(key: string, index: number, labels: L, startedAt: Date | number | undefined): void {
    const now = this.events.clock();
    let state = this.store.touch(key, now);
    if (state === undefined) {
      state = new SessionState(key, this.startOf(startedAt, now), now, labels);
      this.store.insert(state);
    }
    const bit = 1 << index;
    if ((state.seen & bit) !== 0) return this.events.stepRepeated(index);
    state.seen |= bit;
    const previous = state.furthest;
    const ordered = index < this.events.orderedStepCount;
    const furthestOrdered = previous < this.events.orderedStepCount ? previous : -1;
    // A late ordered step is counted but does not move the session back; a side step only marks a session with none.
    if (!(ordered && index < furthestOrdered) && (ordered || previous === -1)) state.furthest = index;
    this.events.stepCounted(state.labels, index, previous);
  }

  complete(key: string, labels: L, startedAt: Date | number | undefined, completion: unknown): void {
    const now = this.events.clock();
    let state = this.store.touch(key, now);
    // Without an earlier step here or a startedAt, the start is unknown: no made-up duration.
    const knownStart = state !== undefined || startedAt !== undefined;
    if (state === undefined) state = new SessionState(key, this.startOf(startedAt, now), now, labels);
    else this.store.remove(key);
    const finalBit = 1 << (this.events.orderedStepCount - 1);
    const finalStepIsNew = (state.seen & finalBit) === 0;
    state.seen |= finalBit;
    this.events.converted(state.labels, finalStepIsNew, knownStart ? Math.max(0, now - state.startedAt) : undefined, completion);
  }

  end(key: string): void {
    const state = this.store.touch(key, this.events.clock()); // an idle session is dropped as expired here
    if (state === undefined) return;
    this.store.remove(key);
    this.events.closed(state.labels, state.furthest, 'ended');
  }

  sweep(): number {
    this.store.expire(this.events.clock());
    return this.store.size;
  }

  /** The monotonic start of a session whose caller gave `startedAt` (a date or epoch ms), else `now`. */
  private startOf(startedAt: Date | number | undefined, now: number): number {
    const givenMs = startedAt instanceof Date ? startedAt.getTime() : startedAt;
    return typeof givenMs === 'number' && Number.isFinite(givenMs) ? now - Math.max(0, this.events.wallClock() - givenMs) : now;
  }
}

/** The default funnel store: per-session state in this process (one instance only; see `FunnelSessionStore`). */
export const inProcessFunnelStore: FunnelSessionStore = {
  open: (events) => new InProcessFunnelSessions(events),
};
