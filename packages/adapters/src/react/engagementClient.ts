import type { EngagementEvent } from '../shared/engagementEvent';
import { DeliveryQueue, type DeliveryOptions, type DeliveryStats } from './deliveryQueue';
import { EngagementSession, type EngagementConfig, type SessionHost } from './engagementSession';

/** Settings of one provider's client. */
export interface EngagementClientOptions extends DeliveryOptions {
  /** A session without user activity for this long ends, in milliseconds. */
  readonly idleTimeoutMs: number;
}

const activityEvents = ['pointerdown', 'keydown', 'scroll', 'touchstart'] as const;

/**
 * Everything one `BusinessMetricsProvider` owns: the delivery queue, the mounted sessions and the
 * page lifecycle listeners. The constructor touches no browser global, so it is safe during server
 * rendering and in the render phase; `attach` (from an effect) wires the page.
 */
export class EngagementClient implements SessionHost {
  readonly queue: DeliveryQueue;
  private readonly sessions = new Set<EngagementSession>();
  private readonly idleTimeoutMs: number;
  private lastActive = 0;
  private hiding = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private detach: (() => void) | undefined;

  constructor(options: EngagementClientOptions) {
    this.queue = new DeliveryQueue(options);
    this.idleTimeoutMs = options.idleTimeoutMs;
  }

  openSession(config: EngagementConfig): EngagementSession {
    const session = new EngagementSession(config, this);
    this.sessions.add(session);
    return session;
  }

  send(event: EngagementEvent): void {
    // While hiding, events wait for the beacon: a fetch started now may be cut off with the page.
    this.queue.enqueue(event, this.hiding);
    // The last event of a session should not wait for the batch timer: the tab may be closed next.
    if (event.type === 'session_end' && !this.hiding) void this.queue.flush();
  }

  touch(): number {
    this.lastActive = performance.now();
    this.scheduleIdleCheck(this.idleTimeoutMs);
    return this.lastActive;
  }

  lastActivity(): number {
    return this.lastActive;
  }

  release(session: EngagementSession): void {
    this.sessions.delete(session);
  }

  stats(): DeliveryStats {
    return this.queue.stats();
  }

  /** Ends every session and sends all queued events by beacon: the page may never come back. */
  hide(): void {
    this.hiding = true;
    try {
      for (const session of this.sessions) session.end('hidden');
    } finally {
      this.hiding = false;
    }
    this.queue.flushWithBeacon();
  }

  /** The page is visible again (tab switch back, back/forward cache): sessions start anew. */
  show(): void {
    for (const session of this.sessions) session.resume();
  }

  /** Wires the page lifecycle and activity listeners; calling it again is a no-op. */
  attach(): () => void {
    if (this.detach !== undefined || typeof window === 'undefined') return () => undefined;
    const onVisibility = (): void => (document.visibilityState === 'hidden' ? this.hide() : this.show());
    const onHide = (): void => this.hide();
    const onShow = (event: PageTransitionEvent): void => {
      if (event.persisted) this.show();
    };
    const onActivity = (): void => {
      for (const session of this.sessions) session.resume();
      this.touch();
    };
    const options = { capture: true, passive: true };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onHide);
    window.addEventListener('pageshow', onShow);
    for (const type of activityEvents) window.addEventListener(type, onActivity, options);
    this.detach = () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('pageshow', onShow);
      for (const type of activityEvents) window.removeEventListener(type, onActivity, options);
      if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      this.detach = undefined;
    };
    // A StrictMode detach/attach cycle cancelled the idle check of the running sessions.
    if (this.sessions.size > 0) this.scheduleIdleCheck(Math.max(0, this.idleTimeoutMs - (performance.now() - this.lastActive)));
    return () => this.detach?.();
  }

  private scheduleIdleCheck(delayMs: number): void {
    if (this.idleTimer !== undefined || !(this.idleTimeoutMs > 0)) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const idleFor = performance.now() - this.lastActive;
      if (idleFor < this.idleTimeoutMs) {
        this.scheduleIdleCheck(this.idleTimeoutMs - idleFor);
        return;
      }
      for (const session of this.sessions) session.end('idle');
    }, delayMs);
  }
}
