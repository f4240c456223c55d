import type { AdmissionFactory, AdmissionPolicy } from './admission';

/** Options of `distinctClientAdmission`. */
export interface DistinctClientAdmissionOptions {
  /** Distinct clients (addresses, sessions) that must send a value before it gets a place. @default 3 */
  readonly minClients?: number;
  /** Values waiting for enough clients, kept at most (oldest one-client values are forgotten first). @default 8 × capacity, at least 256 */
  readonly maxCandidates?: number;
  /**
   * Values each client may admit on its own, before `minClients` others confirm them (a single
   * visitor's campaign shows at once; one address can take at most this many places). @default 0
   */
  readonly perClientQuota?: number;
  /** Clients whose quota use is remembered; past it, new clients admit only through `minClients`. @default 10000 */
  readonly maxClients?: number;
}

// How many waiting values an eviction looks at before it settles for the oldest.
const evictionScan = 32;

/**
 * Admission one client cannot exhaust: a value sent by clients gets a place once `minClients`
 * distinct clients have sent it, or on the sending client's own small quota (`perClientQuota`), so
 * 2,000 random values from one address take at most that quota of places, and a real campaign
 * (many visitors) still gets its place. Until then the caller records
 * it under its fallback (`other`): the measurement is kept, only the label is coarser. Once
 * admitted a value keeps its place for the life of the process, so a cumulative series never
 * loses its place (no reset, no reuse of a place by another value): places are only ever granted.
 *
 * Clients are remembered as 32-bit hashes, never as the address itself, and only while their
 * value waits. Values passed without a client come from server code and are admitted first come.
 * Many clients acting together (a botnet, or a proxy that lets callers choose their address) can
 * still fill the places: an allowlist of known values is the defence then.
 */
export class DistinctClientAdmission implements AdmissionPolicy {
  private readonly admitted = new Set<string>();
  private readonly candidates = new Map<string, number[]>();
  private readonly minClients: number;
  private readonly maxCandidates: number;
  private readonly perClientQuota: number;
  private readonly maxClients: number;
  /** Client hash → values it admitted on its quota. */
  private readonly quotaUsed = new Map<number, number>();

  constructor(
    readonly capacity: number,
    options: DistinctClientAdmissionOptions = {},
  ) {
    this.minClients = Math.max(1, Math.floor(options.minClients ?? 3));
    this.maxCandidates = Math.max(1, Math.floor(options.maxCandidates ?? Math.max(256, capacity * 8)));
    this.perClientQuota = Math.max(0, Math.floor(options.perClientQuota ?? 0));
    this.maxClients = Math.max(0, Math.floor(options.maxClients ?? 10_000));
  }

  /** Whether `value` has a place; `client` (an address or session key) counts towards admitting it. */
  admit(value: string, client?: string): boolean {
    if (this.admitted.has(value)) return true;
    if (this.admitted.size >= this.capacity) return false;
    if (client === undefined || this.minClients === 1) {
      this.admitted.add(value);
      return true;
    }
    let clients = this.candidates.get(value);
    if (clients === undefined) {
      if (this.candidates.size >= this.maxCandidates) this.evictOne();
      clients = [];
      this.candidates.set(value, clients);
    }
    const key = hashClient(client);
    if (!clients.includes(key)) clients.push(key);
    if (clients.length < this.minClients && !this.takeQuota(key)) return false;
    this.candidates.delete(value);
    this.admitted.add(value);
    return true;
  }

  get size(): number {
    return this.admitted.size;
  }

  /** Whether client `key` may still admit a value on its own (and counts it if so). */
  private takeQuota(key: number): boolean {
    if (this.perClientQuota === 0) return false;
    const used = this.quotaUsed.get(key);
    if (used === undefined) {
      if (this.quotaUsed.size >= this.maxClients) return false;
      this.quotaUsed.set(key, 1);
      return true;
    }
    if (used >= this.perClientQuota) return false;
    this.quotaUsed.set(key, used + 1);
    return true;
  }

  /** Values waiting for more clients (for tests and self-metrics). */
  get waiting(): number {
    return this.candidates.size;
  }

  /**
   * Forgets the oldest value only one client has sent (what a flood of random values consists of);
   * values several clients sent move to the back. Looks at a bounded number of entries.
   */
  private evictOne(): void {
    let looked = 0;
    for (const [value, clients] of this.candidates) {
      if (clients.length <= 1) {
        this.candidates.delete(value);
        return;
      }
      this.candidates.delete(value);
      this.candidates.set(value, clients);
      if (++looked >= evictionScan) break;
    }
    const oldest = this.candidates.keys().next();
    if (oldest.done !== true) this.candidates.delete(oldest.value);
  }
}

/** Builds a `DistinctClientAdmission` per table. */
export function distinctClientAdmission(options: DistinctClientAdmissionOptions = {}): AdmissionFactory {
  return (capacity) => new DistinctClientAdmission(capacity, options);
}

/** FNV-1a, 32 bits: enough to tell a handful of clients apart, and no address kept. */
function hashClient(client: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < client.length; i++) {
    hash ^= client.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
