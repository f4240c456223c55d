import { ValueType, type Attributes, type Histogram, type Meter } from '@opentelemetry/api';

/** OpenTelemetry semantic-convention name; the OTel Prometheus exporter exposes it as `http_server_request_duration` (no unit suffix). */
export const httpServerDurationName = 'http.server.request.duration';

/** Bucket boundaries the HTTP semantic conventions recommend for `http.server.request.duration`, in seconds. */
export const httpServerDurationBuckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

// Methods the conventions know; anything else is `_OTHER`, so a client cannot mint method values.
const knownMethods = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE']);

/** Pass as the status code of a request whose response never completed (client went away). */
export const abortedStatus = -1;

/**
 * `http.server.request.duration` with `http.request.method`, `http.route` and
 * `http.response.status_code` (or `error.type="aborted"` when the client left before the response
 * completed). Attribute sets are cached (frozen) per method/status/route; the
 * route set is capped upstream, methods and status codes are bounded here, so the series count
 * stays bounded whatever URLs clients send.
 */
export class HttpServerDuration {
  private readonly histogram: Histogram;
  // route → status → method → frozen attributes. Nested maps keyed by strings whose hashes V8 has
  // already cached (route templates, interned method names) avoid building a key string per request.
  private readonly attributeCache = new Map<string, Map<number, Map<string, Attributes>>>();
  private cachedSets = 0;

  constructor(meter: Meter) {
    this.histogram = meter.createHistogram(httpServerDurationName, {
      description: 'Duration of HTTP server requests.',
      unit: 's',
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: [...httpServerDurationBuckets] },
    });
  }

  record(seconds: number, rawMethod: string, route: string, statusCode: number): void {
    let byStatus = this.attributeCache.get(route);
    let byMethod = byStatus?.get(statusCode);
    let attributes = byMethod?.get(rawMethod);
    if (attributes === undefined) {
      const method = knownMethods.has(rawMethod) ? rawMethod : '_OTHER';
      attributes = Object.freeze(
        statusCode === abortedStatus
          ? // No response was completed: semconv leaves the status code out and names the error instead.
            { 'http.request.method': method, 'http.route': route, 'error.type': 'aborted' }
          : {
              'http.request.method': method,
              'http.route': route,
              'http.response.status_code': Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 599 ? statusCode : 0,
            },
      );
      // Bounded anyway (routes capped, methods and codes finite); the cap only guards memory.
      if (this.cachedSets < 10_000) {
        this.cachedSets += 1;
        if (byStatus === undefined) this.attributeCache.set(route, (byStatus = new Map()));
        if (byMethod === undefined) byStatus.set(statusCode, (byMethod = new Map()));
        byMethod.set(rawMethod, attributes);
      }
    }
    this.histogram.record(seconds, attributes);
  }
}
