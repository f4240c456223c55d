import type { IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { readRequestBody, startHttpServer } from './startHttpServer';

/** OTLP/JSON AnyValue, as far as metrics resources and attributes use it. */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
}

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpNumberDataPoint {
  attributes?: OtlpKeyValue[];
  asInt?: number | string;
  asDouble?: number;
  startTimeUnixNano?: string | number;
  timeUnixNano?: string | number;
}

export interface OtlpHistogramDataPoint {
  attributes?: OtlpKeyValue[];
  count: number | string;
  sum?: number;
  bucketCounts?: (number | string)[];
  explicitBounds?: number[];
}

export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  sum?: { dataPoints: OtlpNumberDataPoint[]; aggregationTemporality: number; isMonotonic?: boolean };
  gauge?: { dataPoints: OtlpNumberDataPoint[] };
  histogram?: { dataPoints: OtlpHistogramDataPoint[]; aggregationTemporality: number };
}

/** The body of an OTLP/HTTP JSON metrics export (`ExportMetricsServiceRequest`). */
export interface OtlpMetricsRequest {
  resourceMetrics: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeMetrics: { scope?: { name?: string; version?: string }; metrics: OtlpMetric[] }[];
  }[];
}

/** OTLP `AggregationTemporality` enum values. */
export const otlpTemporality = { DELTA: 1, CUMULATIVE: 2 } as const;

/** One export received. */
export interface ReceivedOtlpExport {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: OtlpMetricsRequest;
}

/** A loopback OTLP/HTTP receiver that decodes JSON exports and answers 200 (or what `status` says). */
export interface OtlpHttpReceiver {
  /** Metrics endpoint, `http://127.0.0.1:<port>/v1/metrics`. */
  readonly metricsUrl: string;
  readonly received: readonly ReceivedOtlpExport[];
  /** Requests it could not decode (e.g. protobuf), with their content-type. */
  readonly rejected: readonly string[];
  /** HTTP status to answer the next exports with. @default 200 */
  status: number;
  close(): Promise<void>;
}

/**
 * Starts an OTLP/HTTP receiver for JSON-encoded metrics (gzip or not). Protobuf bodies are answered
 * 415 and listed in `rejected`, so a test sees at once if the exporter changed its encoding.
 */
export async function startOtlpHttpReceiver(): Promise<OtlpHttpReceiver> {
  const received: ReceivedOtlpExport[] = [];
  const rejected: string[] = [];
  const state = { status: 200 };
  const server = await startHttpServer((request, response) => {
    void (async () => {
      const raw = await readRequestBody(request);
      const contentType = request.headers['content-type'] ?? '';
      if (!contentType.startsWith('application/json')) {
        rejected.push(contentType);
        response.writeHead(415, { 'content-type': 'text/plain' }).end(`expected application/json, got ${contentType}`);
        return;
      }
      const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      received.push({ path: request.url ?? '', headers: request.headers, body: JSON.parse(text) as OtlpMetricsRequest });
      response.writeHead(state.status, { 'content-type': 'application/json' }).end('{}');
    })().catch((error: unknown) => {
      rejected.push(`error: ${(error as Error).message}`);
      response.writeHead(400).end();
    });
  });
  return {
    metricsUrl: `${server.url}/v1/metrics`,
    received,
    rejected,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () => server.close(),
  };
}

/** Resource attributes of an export as a plain object. */
export function otlpResourceAttributes(body: OtlpMetricsRequest): Record<string, unknown> {
  return otlpAttributes(body.resourceMetrics[0]?.resource?.attributes);
}

/** OTLP attributes as a plain object. */
export function otlpAttributes(attributes: readonly OtlpKeyValue[] | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const { key, value } of attributes ?? []) {
    result[key] = value.stringValue ?? value.boolValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.doubleValue);
  }
  return result;
}

/** Every metric named `name` in an export. */
export function otlpMetrics(body: OtlpMetricsRequest, name: string): OtlpMetric[] {
  return body.resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.filter((m) => m.name === name)));
}

/** Numeric value of a sum or gauge point. */
export function otlpPointValue(point: OtlpNumberDataPoint): number {
  return point.asInt !== undefined ? Number(point.asInt) : (point.asDouble ?? Number.NaN);
}
