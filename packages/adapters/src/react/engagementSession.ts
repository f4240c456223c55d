import type { EngagementEvent } from '../shared/engagementEvent';

/** What the guide's `useEngagementTracking` is given. */
export interface EngagementConfig {
  /** Plan of the user, e.g. `free`, `pro`, `enterprise` (label `user_tier`). */
  readonly userTier: string;
  /** First page of the session, e.g. `/dashboard` (label `entry_page`). */
  readonly entryPage: string;
  /** Whether the user signed up recently (label `is_new_user`). */
  readonly isNewUser: boolean;
}

/** Why a session ended. */
export type SessionEndReason = 'unmount' | 'hidden' | 'idle' | 'config_change';

/** What a session needs from its provider. */
export interface SessionHost {
  send(event: EngagementEvent): void;
  /** Marks user activity; returns the monotonic time of it. */
  touch(): number;
  /** Monotonic time of the last user activity. */
  lastActivity(): number;
  release(session: EngagementSession): void;
}

function monotonicNow(): number {
  return performance.now();
}

/**
 * One mounted `useEngagementTracking`. Its session runs from mount until unmount, page hide or idle
 * timeout, whichever comes first, and ends exactly once; activity after a hide or idle end starts a
 * fresh session with the same labels.
 */
export class EngagementSession {
  readonly key: string;
  private startedAt: number | undefined;
  private closed = false;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly config: EngagementConfig,
    private readonly host: SessionHost,
  ) {
    this.key = sessionKey(config);
    this.startedAt = host.touch();
  }

  get running(): boolean {
    return this.startedAt !== undefined;
  }

  trackFeature(feature: string): void {
    if (!this.activate()) return;
    this.host.send({
      type: 'feature_usage',
      feature,
      userTier: this.config.userTier,
      isNewUser: this.config.isNewUser,
      at: Date.now(),
    });
  }

  trackMilestone(milestone: string): void {
    if (this.activate()) this.host.send({ type: 'milestone', milestone, at: Date.now() });
  }

  /** Starts a new session after a hide or idle end, unless unmounted. */
  resume(): void {
    if (!this.closed && this.startedAt === undefined) this.startedAt = this.host.touch();
  }

  /** Ends the running session, if any. Idle sessions end at their last activity, not at the timeout. */
  end(reason: SessionEndReason): void {
    const startedAt = this.startedAt;
    if (startedAt === undefined) return;
    this.startedAt = undefined;
    const endedAt = reason === 'idle' ? this.host.lastActivity() : monotonicNow();
    this.host.send({
      type: 'session_end',
      durationSeconds: Math.max(0, endedAt - startedAt) / 1000,
      userTier: this.config.userTier,
      entryPage: this.config.entryPage,
      at: Date.now(),
    });
  }

  /**
   * Ends the session on the next task unless `cancelClose` comes first: StrictMode unmounts and
   * remounts every effect once in development, and that must not end the session.
   */
  closeSoon(reason: SessionEndReason): void {
    if (this.closed || this.closeTimer !== undefined) return;
    this.closeTimer = setTimeout(() => this.close(reason), 0);
  }

  /** Keeps the session after a StrictMode remount; false if it is already closed. */
  cancelClose(): boolean {
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    return !this.closed;
  }

  close(reason: SessionEndReason): void {
    this.cancelClose();
    if (this.closed) return;
    this.end(reason);
    this.closed = true;
    this.host.release(this);
  }

  private activate(): boolean {
    if (this.closed) return false;
    this.host.touch();
    this.resume();
    return true;
  }
}

export function sessionKey(config: EngagementConfig): string {
  return JSON.stringify([config.userTier, config.entryPage, config.isNewUser]);
}
