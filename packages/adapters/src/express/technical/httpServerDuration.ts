import { ValueType, type Attributes } from '@opentelemetry/api';
import { overflowAttributes, type AdmissionPolicy } from '@bizmetrics/core';
import type { BizmetricsRuntime } from '../runtime';

/** OpenTelemetry semantic-convention name; the OTel Prometheus exporter exposes it as `http_server_request_duration` (no unit suffix). */
export const httpServerDurationName = 'http.server.request.duration';

/** Bucket boundaries the HTTP semantic conventions recommend for `http.server.request.duration`, in seconds. */
export const httpServerDurationBuckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

// Methods the conventions know; anything else is `_OTHER` (the HTTP semantic conventions' own value,
// not an overflow marker), so a client cannot mint method values.
const knownMethods = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE']);

// Attribute sets (method × route × status) kept; later ones share the overflow series.
const maxCachedSets = 10_000;

/** Pass as the status code of a request whose response never completed (client went away). */
export const abortedStatus = -1;

/** Records durations of one attribute set. */
export interface DurationRecorder {
  record(seconds: number): void;
}

/**
 * `http.server.request.duration` with `http.request.method`, `http.route` and
 * `http.response.status_code` (or `error.type="aborted"` when the client left before the response
 * completed). One recorder per method/status/route is cached: a bound histogram cell when the
 * runtime owns its readers (no attribute hashing per request), else the SDK histogram with a frozen
 * attribute set (attach mode). The route set is capped upstream, methods and status codes are
 * bounded here, so the series count stays bounded whatever URLs clients send.
 */
export class HttpServerDuration {
  private readonly bind: (attributes: Attributes) => DurationRecorder;
  private readonly bindOverflow: () => DurationRecorder;
  private overflow: DurationRecorder | undefined;
  private readonly admission: AdmissionPolicy;
  // route → status → method → recorder. Nested maps keyed by strings whose hashes V8 has already
  // cached (route templates, interned method names) avoid building a key string per request.
  private readonly recorders = new Map<string, Map<number, Map<string, DurationRecorder>>>();

  /** `scope`: the meter's scope, which bound cells are exported under too. */
  constructor(runtime: BizmetricsRuntime, scope: { readonly name: string; readonly version: string }) {
    const description = 'Duration of HTTP server requests.';
    const boundHistograms = runtime.boundHistograms;
    this.admission = runtime.guard.admission(maxCachedSets);
    if (boundHistograms !== undefined) {
      const histogram = boundHistograms.histogram({ name: httpServerDurationName, description, unit: 's', boundaries: httpServerDurationBuckets, scope });
      this.bind = (attributes) => histogram.bind(attributes);
      this.bindOverflow = () => histogram.overflowCell();
    } else {
      const meter = runtime.meterProvider.getMeter(scope.name, scope.version);
      const histogram = meter.createHistogram(httpServerDurationName, {
        description,
        unit: 's',
        valueType: ValueType.DOUBLE,
        advice: { explicitBucketBoundaries: [...httpServerDurationBuckets] },
      });
      this.bind = (attributes) => ({ record: (seconds) => histogram.record(seconds, attributes) });
      this.bindOverflow = () => this.bind(overflowAttributes);
    }
  }

  /** `route`: `undefined` when the route label was not admitted (the request counts in the overflow set). */
  record(seconds: number, rawMethod: string, route: string | undefined, statusCode: number): void {
    this.recorderFor(rawMethod, route, statusCode).record(seconds);
  }

  /** The recorder of one method/route/status; it stays valid, so callers may keep it. */
  recorderFor(rawMethod: string, route: string | undefined, statusCode: number): DurationRecorder {
    if (route === undefined) return this.overflowRecorder();
    let byStatus = this.recorders.get(route);
    let byMethod = byStatus?.get(statusCode);
    let recorder = byMethod?.get(rawMethod);
    if (recorder === undefined) {
      // Bounded anyway (routes capped, methods and codes finite); the cap only guards memory.
      if (!this.admission.admit(`${route}\u0001${statusCode}\u0001${rawMethod}`)) return this.overflowRecorder();
      const method = knownMethods.has(rawMethod) ? rawMethod : '_OTHER';
      recorder = this.bind(
        Object.freeze(
          statusCode === abortedStatus
            ? // No response was completed: semconv leaves the status code out and names the error instead.
              { 'http.request.method': method, 'http.route': route, 'error.type': 'aborted' }
            : {
                'http.request.method': method,
                'http.route': route,
                'http.response.status_code': Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 599 ? statusCode : 0,
              },
        ),
      );
      if (byStatus === undefined) this.recorders.set(route, (byStatus = new Map()));
      if (byMethod === undefined) byStatus.set(statusCode, (byMethod = new Map()));
      byMethod.set(rawMethod, recorder);
    }
    return recorder;
  }

  private overflowRecorder(): DurationRecorder {
    this.overflow ??= this.bindOverflow();
    return this.overflow;
  }
}
