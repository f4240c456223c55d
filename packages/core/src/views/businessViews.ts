import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { businessCatalog } from '../catalog/businessCatalog';
import type { MetricDefinition } from '../catalog/metricDefinition';
import { sdkCardinalityLimit } from './sdkCardinalityLimit';

/** Default series cap per instrument (`cardinalityLimit` of `setupBusinessMetrics`). */
export const defaultCardinalityLimit = 1000;

/**
 * Views for the catalog: each histogram gets its bucket boundaries (seconds from 30 s to an hour,
 * cents from $5 to $500, ...), and every instrument the SDK cardinality limit that matches our
 * series cap, so the SDK never writes an overflow set of its own. Pass them to your own
 * `MeterProvider` in one call (with the same `cardinalityLimit` you give `setupBusinessMetrics`):
 *
 * @example
 * new MeterProvider({ views: businessViews(), readers: [myReader] })
 */
export function businessViews(catalog: readonly MetricDefinition[] = businessCatalog, cardinalityLimit = defaultCardinalityLimit): ViewOptions[] {
  const aggregationCardinalityLimit = sdkCardinalityLimit(cardinalityLimit);
  return catalog.map((definition) =>
    definition.kind === 'histogram' && definition.buckets !== undefined
      ? {
          instrumentName: definition.name,
          aggregationCardinalityLimit,
          aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...definition.buckets] } },
        }
      : { instrumentName: definition.name, aggregationCardinalityLimit },
  );
}
