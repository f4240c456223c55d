/** One side of the correlation: a PromQL query and how to talk about its values. */
export interface MetricSpec {
  /** PromQL returning exactly one series (aggregate with `sum(...)`/`avg(...)`). */
  query: string;
  /** Human name used in the report, e.g. "p99 latency". Default: the query. */
  name?: string;
  /** Unit of the values after `scale`, e.g. "ms" or "points". Default: none. */
  unit?: string;
  /**
   * Factor from the query's values to `unit` (1000 turns seconds into ms). Default 1.
   * @example { query: 'histogram_quantile(0.99, ...)', unit: 'ms', scale: 1000 }
   */
  scale?: number;
  /** Technical side only: express the impact per this many `unit`s ("per 100 ms"). Default 1. */
  per?: number;
}

/** A spec with every default filled in. */
export interface ResolvedMetricSpec {
  query: string;
  name: string;
  unit: string;
  scale: number;
  per: number;
}

export function resolveMetricSpec(spec: string | MetricSpec): ResolvedMetricSpec {
  const full = typeof spec === 'string' ? { query: spec } : spec;
  return {
    query: full.query,
    name: full.name ?? full.query,
    unit: full.unit ?? '',
    scale: full.scale ?? 1,
    per: full.per ?? 1,
  };
}
