import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { businessCatalog } from '../catalog/businessCatalog';
import type { MetricDefinition } from '../catalog/metricDefinition';

/**
 * Views that give each catalog histogram its bucket boundaries (seconds from 30 s to an hour,
 * cents from $5 to $500, ...). Pass them to your own `MeterProvider` in one call:
 *
 * @example
 * new MeterProvider({ views: businessViews(), readers: [myReader] })
 */
export function businessViews(catalog: readonly MetricDefinition[] = businessCatalog): ViewOptions[] {
  return catalog
    .filter((definition) => definition.kind === 'histogram' && definition.buckets !== undefined)
    .map((definition) => ({
      instrumentName: definition.name,
      aggregation: {
        type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
        options: { boundaries: [...(definition.buckets as readonly number[])] },
      },
    }));
}
