import { diag, type Attributes, type Meter } from '@opentelemetry/api';

/** What a self-metric counter is exported as. */
export interface SelfCounterDescriptor {
  /** Instrument name, e.g. `bizmetrics_refused_values` (`_total` is added by Prometheus exporters). */
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** One or two label names; each count is keyed by its value(s). */
  readonly labels: readonly [string] | readonly [string, string];
}

interface Tally {
  readonly attributes: Attributes;
  value: number;
}

/**
 * The one way bizmetrics counts its own troubles: count by one or two label values, expose the
 * counts as an observable counter (every tally on every collection), log the first of each kind
 * once through the diag logger. Keys come from fixed sets or the catalog, so the map is bounded.
 */
export class SelfCounter {
  // First, then second label value: two lookups with strings the caller has, no key built per count
  // (under a flood of hostile values every call may be a refusal).
  private readonly tallies = new Map<string, Map<string, Tally>>();
  /** The same tallies in creation order, the order they are exported in. */
  private readonly ordered: Tally[] = [];
  private readonly logged = new Set<string>();

  constructor(readonly descriptor: SelfCounterDescriptor) {}

  /** Adds `by` to the tally of `first` (and `second`, for two-label counters); returns the new count. */
  add(first: string, second = '', by = 1): number {
    const tally = this.tally(first, second);
    tally.value += by;
    return tally.value;
  }

  /** Creates tallies at 0, so their first increment is visible to `rate()` (fixed sets of keys). */
  preset(firsts: readonly string[], seconds: readonly string[] = ['']): void {
    for (const first of firsts) for (const second of seconds) this.tally(first, second);
  }

  /** True the first time `key` is asked about, false after: callers on hot paths build their message only then. */
  firstTime(key: string): boolean {
    if (this.logged.has(key)) return false;
    this.logged.add(key);
    return true;
  }

  /** Logs `message` the first time `key` is seen (later ones are only counted). */
  logOnce(key: string, message: () => string, level: 'warn' | 'debug' = 'warn'): void {
    if (this.firstTime(key)) diag[level](message());
  }

  /** The count of one key, or the sum over every tally whose label named `label` equals `value`. */
  total(label?: string, value?: string): number {
    let sum = 0;
    for (const tally of this.ordered) if (label === undefined || tally.attributes[label] === value) sum += tally.value;
    return sum;
  }

  /** The count of one key (0 when never counted). */
  value(first: string, second = ''): number {
    return this.tallies.get(first)?.get(second)?.value ?? 0;
  }

  /** Every tally, for callbacks and tests. */
  entries(): Iterable<Tally> {
    return this.ordered;
  }

  /** Registers the observable counter on `meter`. */
  observeOn(meter: Meter): void {
    meter
      .createObservableCounter(this.descriptor.name, { description: this.descriptor.description, unit: this.descriptor.unit })
      .addCallback((result) => {
        for (const tally of this.ordered) result.observe(tally.value, tally.attributes);
      });
  }

  private tally(first: string, second: string): Tally {
    let bySecond = this.tallies.get(first);
    if (bySecond === undefined) {
      bySecond = new Map();
      this.tallies.set(first, bySecond);
    }
    let tally = bySecond.get(second);
    if (tally === undefined) {
      const [a, b] = this.descriptor.labels;
      tally = { attributes: Object.freeze(b === undefined ? { [a]: first } : { [a]: first, [b]: second }), value: 0 };
      bySecond.set(second, tally);
      this.ordered.push(tally);
    }
    return tally;
  }
}
