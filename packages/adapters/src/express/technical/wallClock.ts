import { monotonicNow } from './monotonicNow';

// How long an offset between the monotonic and the wall clock is trusted before it is read again.
const resyncAfterMs = 1000;

let offsetMs = Date.now() - monotonicNow();
let syncedAt = monotonicNow();

/**
 * Epoch milliseconds at `monotonicMs` (a `monotonicNow()` reading): the monotonic reading plus an
 * offset to the wall clock read again once a second. A request already reads the monotonic clock
 * when it enters the middleware; `Date.now()` is a runtime call that cost more than the rest of the
 * session context in a profile under load. The result follows wall-clock changes within a second.
 */
export function wallClockAt(monotonicMs: number): number {
  if (monotonicMs - syncedAt > resyncAfterMs) {
    offsetMs = Date.now() - monotonicNow();
    syncedAt = monotonicMs;
  }
  return monotonicMs + offsetMs;
}
