import type { Attributes } from '@opentelemetry/api';
import { BusinessMetricsConfigError } from '../errors';
import { overflowAttributes } from '../guard/overflow';

/** What a bound histogram exports: the descriptor and scope of its data points. */
export interface BoundHistogramDescriptor {
  /** OpenTelemetry instrument name, e.g. `http.server.request.duration`. */
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** Explicit bucket upper bounds, ascending. */
  readonly boundaries: readonly number[];
  /** Instrumentation scope the data points are exported under. */
  readonly scope: { readonly name: string; readonly version?: string };
}

/**
 * One attribute set of a bound histogram: cumulative bucket counts, sum, min and max since it was
 * bound. `record` is a bucket search and four writes: no attribute hashing, no allocation.
 */
export class HistogramCell {
  /**
   * `counts[i]` counts values in (boundaries[i-1], boundaries[i]]; the last one values above every
   * boundary. A plain array of doubles lives on the JS heap next to the cell; a typed array's buffer
   * would be one more memory page touched per record.
   */
  readonly counts: number[];
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  constructor(
    readonly attributes: Attributes,
    private readonly boundaries: readonly number[],
    /** `Date.now()` when the cell was bound: start time of its cumulative points. */
    readonly startedAtMs: number,
  ) {
    const counts: number[] = [];
    for (let i = 0; i <= boundaries.length; i++) counts.push(0); // packed small integers: no holes to check
    this.counts = counts;
  }

  /** Adds one value; NaN and infinities are ignored (a histogram of durations never sees them). */
  record(value: number): void {
    if (!Number.isFinite(value)) return;
    const boundaries = this.boundaries;
    // A dozen or so boundaries: a linear scan beats a binary search and most values land early.
    let bucket = 0;
    while (bucket < boundaries.length && value > (boundaries[bucket] as number)) bucket++;
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
    this.count += 1;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
}

/**
 * A histogram whose attribute sets are bound once and recorded into directly: what OpenTelemetry
 * JS lacks (its `Histogram.record` hashes the attribute set on every call, the largest cost of a
 * per-request metric). Callers cache the cells they bind and bound how many they bind (through an
 * `AdmissionPolicy`, recording refused sets in `overflowCell()`); the runtime's readers export the
 * cells through a MetricProducer, with the temporality each reader asks for.
 */
export class BoundHistogram {
  readonly boundaries: readonly number[];
  private readonly bound: HistogramCell[] = [];
  private overflow: HistogramCell | undefined;

  constructor(readonly descriptor: BoundHistogramDescriptor) {
    const boundaries = descriptor.boundaries;
    for (let i = 0; i < boundaries.length; i++) {
      const boundary = boundaries[i] as number;
      if (!Number.isFinite(boundary) || (i > 0 && boundary <= (boundaries[i - 1] as number))) {
        throw new BusinessMetricsConfigError(`bizmetrics: bucket boundaries of ${descriptor.name} must be finite and ascending`);
      }
    }
    this.boundaries = Object.freeze([...boundaries]);
  }

  /** The one cell of the overflow attribute set, for attribute sets the caller did not admit. */
  overflowCell(): HistogramCell {
    this.overflow ??= new HistogramCell(overflowAttributes, this.boundaries, Date.now());
    return this.overflow;
  }

  /** A new cell for `attributes` (callers keep it: binding the same set twice exports two points). */
  bind(attributes: Attributes): HistogramCell {
    const cell = new HistogramCell(Object.freeze({ ...attributes }), this.boundaries, Date.now());
    this.bound.push(cell);
    return cell;
  }

  /** Every cell bound so far, the overflow cell last. */
  cells(): readonly HistogramCell[] {
    return this.overflow === undefined ? this.bound : [...this.bound, this.overflow];
  }
}
