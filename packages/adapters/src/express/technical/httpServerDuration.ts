import { ValueType, type Attributes, type Histogram, type Meter } from '@opentelemetry/api';

/** OpenTelemetry semantic-convention name; the OTel Prometheus exporter exposes it as `http_server_request_duration` (no unit suffix). */
export const httpServerDurationName = 'http.server.request.duration';

/** Bucket boundaries the HTTP semantic conventions recommend for `http.server.request.duration`, in seconds. */
export const httpServerDurationBuckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

// Methods the conventions know; anything else is `_OTHER`, so a client cannot mint method values.
const knownMethods = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE']);

/**
 * `http.server.request.duration` with `http.request.method`, `http.route` and
 * `http.response.status_code`. Attribute sets are cached (frozen) per method/status/route; the
 * route set is capped upstream, methods and status codes are bounded here, so the series count
 * stays bounded whatever URLs clients send.
 */
export class HttpServerDuration {
  private readonly histogram: Histogram;
  private readonly attributeCache = new Map<string, Attributes>();

  constructor(meter: Meter) {
    this.histogram = meter.createHistogram(httpServerDurationName, {
      description: 'Duration of HTTP server requests.',
      unit: 's',
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: [...httpServerDurationBuckets] },
    });
  }

  record(seconds: number, rawMethod: string, route: string, statusCode: number): void {
    const method = knownMethods.has(rawMethod) ? rawMethod : '_OTHER';
    const key = `${method}\u0001${statusCode}\u0001${route}`;
    let attributes = this.attributeCache.get(key);
    if (attributes === undefined) {
      attributes = Object.freeze({
        'http.request.method': method,
        'http.route': route,
        'http.response.status_code': Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 599 ? statusCode : 0,
      });
      // Bounded anyway (routes capped, methods and codes finite); the cap only guards memory.
      if (this.attributeCache.size < 10_000) this.attributeCache.set(key, attributes);
    }
    this.histogram.record(seconds, attributes);
  }
}
