import { maxBatchBytes, maxEventsPerBatch, type EngagementEvent } from '../shared/engagementEvent';
import { backoffDelay } from './backoffDelay';
import { utf8Length } from './utf8Length';

/** Delivery settings of one provider. */
export interface DeliveryOptions {
  /** URL of the ingest endpoint. */
  readonly endpoint: string;
  /** Events that trigger an immediate send (capped at the wire format's `maxEventsPerBatch`). */
  readonly maxBatchSize: number;
  /** Longest time an event waits in the queue before it is sent, in milliseconds. */
  readonly flushIntervalMs: number;
  /** Events kept while the endpoint is unreachable; beyond it the oldest are dropped. */
  readonly maxQueueSize: number;
  /** First retry delay, in milliseconds; doubles each failed attempt. */
  readonly retryBaseMs: number;
  /** Longest retry delay, in milliseconds. */
  readonly retryMaxMs: number;
  /** Source of jitter; tests pass a fixed one. */
  readonly random?: () => number;
}

/** Counters of what the queue did, for a debug panel or your own telemetry. */
export interface DeliveryStats {
  /** Events accepted by the ingest endpoint (or handed to `sendBeacon`). */
  sent: number;
  /** Events dropped: queue full (oldest first), too large, or refused by the endpoint with a 4xx. */
  dropped: number;
  /** Sends that failed and were scheduled for retry. */
  failedSends: number;
  /** Events waiting now. */
  queued: number;
}

const batchOverhead = utf8Length('{"events":[]}');

function isName(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function isWellFormed(event: EngagementEvent): boolean {
  switch (event.type) {
    case 'feature_usage':
      return isName(event.feature) && isName(event.userTier) && typeof event.isNewUser === 'boolean';
    case 'milestone':
      return isName(event.milestone);
    case 'funnel_step':
      return isName(event.step);
    case 'session_end':
      return isName(event.userTier) && isName(event.entryPage) && Number.isFinite(event.durationSeconds);
    default:
      return false;
  }
}

function batchBody(batch: readonly string[]): string {
  return `{"events":[${batch.join(',')}]}`;
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * One batching, retrying delivery queue per provider. Events are serialized on entry, so a batch is
 * a string join; an event leaves the queue when it is handed to the network and comes back only if
 * that send failed, so nothing is sent twice.
 */
export class DeliveryQueue {
  private readonly pending: string[] = [];
  private readonly counters = { sent: 0, dropped: 0, failedSends: 0 };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;
  private failures = 0;
  private readonly options: DeliveryOptions;
  private readonly batchSize: number;

  constructor(options: DeliveryOptions) {
    this.options = options;
    this.batchSize = Math.max(1, Math.min(maxEventsPerBatch, Math.floor(options.maxBatchSize) || 1));
  }

  /**
   * Queues one event; sends at once when a batch is full, else within `flushIntervalMs`.
   * `hold` only queues it: the caller sends the queue itself next (by beacon on page hide).
   */
  enqueue(event: EngagementEvent, hold = false): void {
    // One malformed or oversized event would make the endpoint refuse its whole batch: drop it alone.
    // The shape is checked first: JSON.stringify throws on values such as a BigInt feature name.
    const json = isWellFormed(event) ? JSON.stringify(event) : '';
    if (json === '' || utf8Length(json) + batchOverhead > maxBatchBytes) {
      this.counters.dropped++;
      return;
    }
    this.pending.push(json);
    this.trim();
    if (hold) return;
    if (this.pending.length >= this.batchSize && this.failures === 0) void this.flush();
    else this.schedule(this.options.flushIntervalMs);
  }

  /** Sends everything queued now with `fetch` (keepalive); resolves when the sends settled. */
  flush(): Promise<void> {
    this.cancelTimer();
    // One drain at a time: a second caller joins it, since the drain takes events queued meanwhile too.
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /**
   * Hands everything queued to `navigator.sendBeacon`, which the browser delivers even after the
   * page is gone; falls back to a keepalive `fetch` where the beacon is refused or missing.
   */
  flushWithBeacon(): void {
    this.cancelTimer();
    const beacon = typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function';
    // Batches are cut first: a failed fallback puts its events back, and must not be cut again here.
    const batches: string[][] = [];
    while (this.pending.length > 0) batches.push(this.takeBatch());
    for (const batch of batches) {
      let queued = false;
      try {
        // A string body goes out as text/plain: no CORS preflight, which a closing page could not wait for.
        queued = beacon && navigator.sendBeacon(this.options.endpoint, batchBody(batch));
      } catch {
        // Treated like a refused beacon.
      }
      if (queued) this.counters.sent += batch.length;
      else void this.post(batch);
    }
  }

  /** A snapshot of the counters. */
  stats(): DeliveryStats {
    return { ...this.counters, queued: this.pending.length };
  }

  private async drain(): Promise<void> {
    // Stops at the first failure: the retry is scheduled with backoff instead.
    while (this.pending.length > 0) if (!(await this.post(this.takeBatch()))) return;
  }

  private async post(batch: string[]): Promise<boolean> {
    let status = 0;
    try {
      const response = await fetch(this.options.endpoint, {
        method: 'POST',
        keepalive: true,
        headers: { 'content-type': 'application/json' },
        body: batchBody(batch),
      });
      status = response.status;
    } catch {
      // Offline, CORS, no fetch at all: all worth a retry.
    }
    if (status >= 200 && status < 300) {
      this.counters.sent += batch.length;
      this.failures = 0;
      return true;
    }
    if (status !== 0 && !isRetryable(status)) {
      // The endpoint refused the batch itself: sending it again would be refused again.
      this.counters.dropped += batch.length;
      return true;
    }
    this.counters.failedSends++;
    this.failures++;
    this.pending.unshift(...batch);
    this.trim();
    const random = this.options.random ?? Math.random;
    this.schedule(backoffDelay(this.failures, this.options.retryBaseMs, this.options.retryMaxMs, random), true);
    return false;
  }

  /** Takes the oldest events that fit one batch by count and bytes. */
  private takeBatch(): string[] {
    let bytes = batchOverhead;
    let count = 0;
    while (count < this.pending.length && count < this.batchSize) {
      bytes += utf8Length(this.pending[count] as string) + (count > 0 ? 1 : 0);
      if (bytes > maxBatchBytes) break;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private trim(): void {
    const excess = this.pending.length - Math.max(1, this.options.maxQueueSize);
    if (excess > 0) {
      this.pending.splice(0, excess);
      this.counters.dropped += excess;
    }
  }

  private schedule(delayMs: number, replace = false): void {
    if (this.timer !== undefined) {
      if (!replace) return;
      this.cancelTimer();
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
