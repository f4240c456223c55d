import { LRUCache } from 'lru-cache';

/** Per-client rate limit of the ingest endpoint (a token bucket per client key). */
export interface RateLimitOptions {
  /** Requests per second a client may send on average. @default 2 */
  tokensPerSecond?: number;
  /** Requests a client may send in a burst. @default 20 */
  burst?: number;
  /** Clients tracked at once; the least recently seen are forgotten first. @default 10000 */
  maxClients?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token buckets per client in a bounded LRU map. An idle bucket refills completely after
 * `burst / tokensPerSecond` seconds, so entries expire then: forgetting a full bucket loses nothing.
 */
export class TokenBucketLimiter {
  private readonly buckets: LRUCache<string, Bucket>;
  private readonly rate: number;
  private readonly burst: number;

  constructor(options: RateLimitOptions, private readonly now: () => number) {
    this.rate = options.tokensPerSecond ?? 2;
    this.burst = options.burst ?? 20;
    const maxClients = options.maxClients ?? 10_000;
    if (!(this.rate > 0) || !Number.isFinite(this.rate)) throw new RangeError(`rateLimit.tokensPerSecond must be a positive number, got ${String(this.rate)}`);
    if (!Number.isSafeInteger(this.burst) || this.burst < 1) throw new RangeError(`rateLimit.burst must be a positive integer, got ${String(this.burst)}`);
    if (!Number.isSafeInteger(maxClients) || maxClients < 1) throw new RangeError(`rateLimit.maxClients must be a positive integer, got ${String(maxClients)}`);
    this.buckets = new LRUCache<string, Bucket>({
      max: maxClients,
      ttl: Math.ceil((this.burst / this.rate) * 1000),
      ttlAutopurge: false,
      perf: { now: () => this.now() },
    });
  }

  /** Takes one token; returns 0 when allowed, else the seconds until the next token. */
  take(client: string): number {
    const now = this.now();
    let bucket = this.buckets.get(client);
    if (bucket === undefined) {
      bucket = { tokens: this.burst, updatedMs: now };
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.rate);
      bucket.updatedMs = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.buckets.set(client, bucket);
      return 0;
    }
    this.buckets.set(client, bucket);
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate));
  }

  /** Clients currently tracked (bounded by `maxClients`). */
  get size(): number {
    return this.buckets.size;
  }
}
