/**
 * The SDK's own cardinality limit, set from ours so the SDK never overflows first: a guarded
 * instrument exports at most `limit` series plus its overflow series (the same
 * `{otel.metric.overflow: true}` set the SDK would write), and the SDK keeps `limit - 1` sets
 * before its overflow set. One spare set on top keeps an off-by-one in either from splitting them.
 */
export function sdkCardinalityLimit(limit: number): number {
  return limit + 3;
}

/** `cardinalityLimits` of a `PeriodicExportingMetricReader` from our cap. */
export function cardinalityLimitsFor(limit: number): { default: number } {
  return { default: sdkCardinalityLimit(limit) };
}
