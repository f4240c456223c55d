import { existsSync, readFileSync } from 'node:fs';

/** One data point of an OTLP/JSON metrics file, flattened. */
export interface OtlpJsonPoint {
  metric: string;
  /** Resource attributes of the request the point came in (e.g. `service.instance.id`). */
  resource: Record<string, string>;
  /** `sum`, `histogram`, `gauge`, ... */
  type: string;
  /** 1 = DELTA, 2 = CUMULATIVE (undefined for gauges). */
  aggregationTemporality: number | undefined;
  isMonotonic: boolean | undefined;
  attributes: Record<string, string>;
  /** The value of a sum/gauge point; the count of a histogram point. */
  value: number;
  /** Sum of a histogram point. */
  sum: number | undefined;
  timeUnixNano: string;
}

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
}

const temporalityNames: Record<string, number> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

function attributeValue(value: JsonAnyValue): string {
  return String(value.stringValue ?? value.boolValue ?? value.intValue ?? value.doubleValue ?? '');
}

/** Every metric data point in a file written by the collector's `file` exporter (`format: json`, one request a line). */
export function readOtlpJsonFile(path: string): OtlpJsonPoint[] {
  if (!existsSync(path)) return [];
  const points: OtlpJsonPoint[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const request = JSON.parse(line) as {
      resourceMetrics?: { resource?: { attributes?: { key: string; value: JsonAnyValue }[] }; scopeMetrics?: { metrics?: Record<string, unknown>[] }[] }[];
    };
    for (const resource of request.resourceMetrics ?? []) {
      const resourceAttributes: Record<string, string> = {};
      for (const attribute of resource.resource?.attributes ?? []) resourceAttributes[attribute.key] = attributeValue(attribute.value);
      for (const scope of resource.scopeMetrics ?? []) {
        for (const metric of scope.metrics ?? []) {
          for (const type of ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary']) {
            const body = metric[type] as
              | { dataPoints?: Record<string, unknown>[]; aggregationTemporality?: number | string; isMonotonic?: boolean }
              | undefined;
            if (!body) continue;
            const temporality = body.aggregationTemporality;
            for (const point of body.dataPoints ?? []) {
              const attributes: Record<string, string> = {};
              for (const attribute of (point['attributes'] as { key: string; value: JsonAnyValue }[] | undefined) ?? []) {
                attributes[attribute.key] = attributeValue(attribute.value);
              }
              const isHistogram = type === 'histogram' || type === 'exponentialHistogram';
              points.push({
                metric: metric['name'] as string,
                resource: resourceAttributes,
                type,
                aggregationTemporality: typeof temporality === 'string' ? temporalityNames[temporality] : temporality,
                isMonotonic: body.isMonotonic,
                attributes,
                value: Number(isHistogram ? point['count'] : (point['asDouble'] ?? point['asInt'] ?? 0)),
                sum: isHistogram ? Number(point['sum']) : undefined,
                timeUnixNano: String(point['timeUnixNano']),
              });
            }
          }
        }
      }
    }
  }
  return points;
}
