import { randomUUID } from 'node:crypto';
import type { FunnelSessionLabels, FunnelSessions, FunnelSessionStore, FunnelStoreEvents } from '@bizmetrics/core';
import type { MeterProvider } from '@opentelemetry/api';
import type { RedisCommandBuffer } from './redisCommandBuffer';
import { funnelClaimScript, funnelCompleteScript, funnelEndScript, funnelStepScript } from './funnelScripts';
import type { RedisStoreHealth } from './redisStoreHealth';

/** Settings of the funnel store (see `RedisStoresOptions`). */
export interface RedisFunnelSettings {
  readonly keyPrefix: string;
  readonly sweepIntervalMs: number;
  readonly sweepBatch: number;
}

/**
 * Sessions of one funnel in Redis. Each call queues one atomic script and returns; the answer
 * decides what is counted, so a step counts once per session whichever replica records it, and a
 * replay after an outage answers "seen". Every replica runs a sweeper that claims idle sessions:
 * the claim removes them, so each abandonment is emitted by exactly one replica.
 */
class RedisFunnelSessions<L extends FunnelSessionLabels> implements FunnelSessions<L> {
  private readonly sessionPrefix: string;
  private readonly activeKey: string;
  private readonly opPrefix: string;
  private readonly ttlMs: string;
  private readonly timeoutMs: string;
  private readonly orderedStepCount: string;
  private readonly finalIndex: string;
  private readonly stepIndexArgs: readonly string[];
  /** Call ids: unique per process run (random prefix) and call (sequence). */
  private readonly callPrefix = `${randomUUID()}:`;
  private calls = 0;
  private lastOpen = 0;
  /** When the pending claim was queued (a claim dropped while Redis is down must not block later ones). */
  private claimQueuedAt: number | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly events: FunnelStoreEvents<L>,
    private readonly buffer: RedisCommandBuffer,
    private readonly settings: RedisFunnelSettings,
    onClose: (sessions: { stop(): void }) => void,
  ) {
    const base = `${settings.keyPrefix}{${events.funnelName}}:`;
    this.sessionPrefix = `${base}s:`;
    this.activeKey = `${base}active`;
    this.opPrefix = `${base}op:`;
    // State outlives the timeout by one more timeout, so a sweeper that ran late still finds it.
    this.ttlMs = String(Math.ceil(events.sessionTimeoutMs * 2 + settings.sweepIntervalMs));
    this.timeoutMs = String(events.sessionTimeoutMs);
    this.orderedStepCount = String(events.orderedStepCount);
    this.finalIndex = String(events.orderedStepCount - 1);
    this.stepIndexArgs = events.stepNames.map((_, index) => String(index));
    this.timer = setInterval(() => this.sweep(), settings.sweepIntervalMs);
    this.timer.unref();
    onClose({ stop: () => clearInterval(this.timer) });
  }

  get size(): number {
    return this.lastOpen;
  }

  step(key: string, index: number, labels: L, startedAt: Date | number | undefined): void {
    const now = this.events.wallClock();
    this.buffer.enqueue({
      operation: 'funnel_step',
      script: funnelStepScript,
      keys: [this.sessionPrefix + key, this.activeKey],
      args: [
        this.stepIndexArgs[index] ?? String(index),
        this.orderedStepCount,
        String(now),
        String(startOf(startedAt, now)),
        labelText(labels.source),
        labelText(labels.deviceType),
        labelText(labels.variant),
        this.ttlMs,
        key,
        this.timeoutMs,
        this.callId(),
      ],
      onReply: (reply) => {
        const answer = reply as readonly unknown[];
        if (answer[2] === 1) this.closeFrom(answer, 3, 'expired');
        if (answer[0] === 1) this.events.stepCounted(labels, index, Number(answer[1]));
        else this.events.stepRepeated(index);
      },
    });
  }

  complete(key: string, labels: L, startedAt: Date | number | undefined, completion: unknown): void {
    const now = this.events.wallClock();
    this.buffer.enqueue({
      operation: 'funnel_complete',
      script: funnelCompleteScript,
      // A fresh id per call: a replay of this very call is recognised, a later purchase is not.
      keys: [this.sessionPrefix + key, this.activeKey, this.opPrefix + this.callId()],
      args: [this.finalIndex, String(now), this.ttlMs, key, this.timeoutMs],
      onReply: (reply) => {
        const answer = reply as readonly unknown[];
        if (answer[3] === 1) this.closeFrom(answer, 4, 'expired');
        const storedStart = answer[1] === '' || answer[3] === 1 ? undefined : Number(answer[1]);
        const start = storedStart ?? (startedAt === undefined ? undefined : startOf(startedAt, now));
        this.events.converted(labels, answer[2] !== 1, start === undefined ? undefined : Math.max(0, now - start), completion);
      },
    });
  }

  end(key: string): void {
    this.buffer.enqueue({
      operation: 'funnel_end',
      script: funnelEndScript,
      keys: [this.sessionPrefix + key, this.activeKey, this.opPrefix + this.callId()],
      args: [key, String(this.events.wallClock()), this.timeoutMs, this.ttlMs],
      onReply: (reply) => {
        if (!Array.isArray(reply) || reply.length === 0) return;
        this.closeFrom(reply, 1, reply[0] === 'expired' ? 'expired' : 'ended');
      },
    });
  }

  sweep(): number {
    const now = this.events.wallClock();
    if (this.claimQueuedAt !== undefined && now - this.claimQueuedAt < this.settings.sweepIntervalMs * 4) return this.lastOpen;
    this.claimQueuedAt = now;
    const cutoff = now - this.events.sessionTimeoutMs;
    this.buffer.enqueue({
      operation: 'funnel_sweep',
      script: funnelClaimScript,
      keys: [this.activeKey, this.opPrefix + this.callId()],
      args: [String(cutoff), String(this.settings.sweepBatch), this.sessionPrefix, this.ttlMs],
      onReply: (reply) => {
        this.claimQueuedAt = undefined;
        const answer = reply as readonly unknown[];
        this.lastOpen = Number(answer[0]);
        for (let offset = 1; offset + 3 < answer.length; offset += 4) this.closeFrom(answer, offset, 'expired');
        // A full batch means more idle sessions may wait: claim the next batch now.
        if ((answer.length - 1) / 4 >= this.settings.sweepBatch) this.sweep();
      },
    });
    return this.lastOpen;
  }

  private callId(): string {
    return this.callPrefix + (this.calls++).toString(36);
  }

  private closeFrom(answer: readonly unknown[], offset: number, cause: 'ended' | 'expired'): void {
    const labels = this.events.labels(String(answer[offset] ?? ''), String(answer[offset + 1] ?? ''), String(answer[offset + 2] ?? ''));
    this.events.closed(labels, Number(answer[offset + 3]), cause);
  }
}

/** The funnel store of `createRedisStores`: one Redis client and buffer shared by every funnel. */
export class RedisFunnelStore implements FunnelSessionStore {
  private readonly opened: { stop(): void }[] = [];

  constructor(
    private readonly buffer: RedisCommandBuffer,
    private readonly health: RedisStoreHealth,
    private readonly settings: RedisFunnelSettings,
  ) {}

  open<L extends FunnelSessionLabels>(events: FunnelStoreEvents<L>): FunnelSessions<L> {
    return new RedisFunnelSessions(events, this.buffer, this.settings, (sessions) => this.opened.push(sessions));
  }

  observe(meterProvider: MeterProvider): void {
    this.health.observe(meterProvider);
  }

  /** Stops every funnel's sweeper. */
  stop(): void {
    for (const sessions of this.opened) sessions.stop();
  }
}

function labelText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The session start in epoch ms: the caller's `startedAt` when given, else now. */
function startOf(startedAt: Date | number | undefined, now: number): number {
  const givenMs = startedAt instanceof Date ? startedAt.getTime() : startedAt;
  return typeof givenMs === 'number' && Number.isFinite(givenMs) ? Math.min(givenMs, now) : now;
}
