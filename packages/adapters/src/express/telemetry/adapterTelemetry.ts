import { diag, type Attributes, type Meter } from '@opentelemetry/api';
import type { BoundHistograms } from '@bizmetrics/core';
import type { BizmetricsRuntime } from '../runtime';
import { HttpServerDuration } from '../technical/httpServerDuration';

/** Where inside the adapter something failed: the `stage` label of `bizmetrics_adapter_failures_total`. */
export type AdapterStage = 'middleware' | 'context' | 'user_callback' | 'response_finish' | 'tracker' | 'ingest' | 'metrics_endpoint';

/** Why the ingest endpoint refused a request: the `reason` label of `bizmetrics_ingest_rejected_batches_total`. */
export type IngestRejection =
  | 'method_not_allowed'
  | 'rate_limited'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unreadable_body'
  | 'malformed_json'
  | 'forbidden_key'
  | 'invalid_batch'
  | 'too_many_events'
  | 'too_many_distinct_names';

interface Tally {
  readonly attributes: Attributes;
  value: number;
}

/** Scope name of everything the Express adapter records itself. */
export const expressScopeName = '@bizmetrics/adapters/express';
const expressScopeVersion = '0.1.0';

/**
 * The adapter's own health counters, one set per MeterProvider (several middlewares or handlers on
 * one runtime share them, so each instrument is registered once). Keys are fixed enums: bounded.
 */
export class AdapterTelemetry {
  readonly meter: Meter;
  private readonly failures = new Map<AdapterStage, Tally>();
  private readonly rejections = new Map<IngestRejection, Tally>();
  private readonly accepted = new Map<string, Tally>();
  private readonly logged = new Set<string>();
  private durationCache: HttpServerDuration | undefined;

  constructor(
    meter: Meter,
    private readonly boundHistograms?: BoundHistograms,
  ) {
    this.meter = meter;
    const failures = meter.createObservableCounter('bizmetrics_adapter_failures', {
      description: 'Failures inside the bizmetrics Express adapter (the request went on), by stage',
      unit: '{failure}',
    });
    const rejected = meter.createObservableCounter('bizmetrics_ingest_rejected_batches', {
      description: 'Engagement batches the ingest endpoint refused, by reason (nothing of them was recorded)',
      unit: '{batch}',
    });
    const acceptedEvents = meter.createObservableCounter('bizmetrics_ingest_accepted_events', {
      description: 'Engagement events the ingest endpoint recorded, by event type',
      unit: '{event}',
    });
    meter.addBatchObservableCallback(
      (result) => {
        for (const tally of this.failures.values()) result.observe(failures, tally.value, tally.attributes);
        for (const tally of this.rejections.values()) result.observe(rejected, tally.value, tally.attributes);
        for (const tally of this.accepted.values()) result.observe(acceptedEvents, tally.value, tally.attributes);
      },
      [failures, rejected, acceptedEvents],
    );
  }

  /** The technical request-duration histogram, registered on first use (never when technical metrics are off). */
  get httpServerDuration(): HttpServerDuration {
    this.durationCache ??= new HttpServerDuration(this.meter, { name: expressScopeName, version: expressScopeVersion }, this.boundHistograms);
    return this.durationCache;
  }

  /** Counts a failure inside the adapter and logs the first one of each stage through `diag`. */
  fail(stage: AdapterStage, error: unknown): void {
    try {
      bump(this.failures, stage, 'stage');
      this.logOnce(`fail:${stage}`, () => `bizmetrics express adapter: ${stage} failed (${describe(error)}); the request went on. ` +
        `Further failures of this stage are counted in bizmetrics_adapter_failures_total without logging.`);
    } catch {
      // Even the tally failed: stay silent rather than break the request.
    }
  }

  /** Counts a refused ingest batch; the first of each reason is logged at debug level (clients cause these). */
  reject(reason: IngestRejection, message: string): void {
    bump(this.rejections, reason, 'reason');
    this.logOnce(`reject:${reason}`, () => `bizmetrics ingest: refused a batch (${reason}): ${message}`, 'debug');
  }

  /** Counts events recorded by the ingest endpoint. */
  acceptEvents(type: string, count: number): void {
    bump(this.accepted, type, 'type', count);
  }

  /** Rejections so far (of one reason, or all): for tests and health checks. */
  rejectedCount(reason?: IngestRejection): number {
    return sum(this.rejections, reason);
  }

  /** Failures so far (of one stage, or all). */
  failureCount(stage?: AdapterStage): number {
    return sum(this.failures, stage);
  }

  /** Logs a message once per key (configuration mistakes, first failures). */
  logOnce(key: string, message: () => string, level: 'warn' | 'debug' = 'warn'): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    diag[level](message());
  }
}

function bump<K extends string>(map: Map<K, Tally>, key: K, label: string, by = 1): void {
  let tally = map.get(key);
  if (tally === undefined) {
    tally = { attributes: Object.freeze({ [label]: key }), value: 0 };
    map.set(key, tally);
  }
  tally.value += by;
}

function sum<K>(map: Map<K, Tally>, key: K | undefined): number {
  if (key !== undefined) return map.get(key)?.value ?? 0;
  let total = 0;
  for (const tally of map.values()) total += tally.value;
  return total;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const registry = new WeakMap<object, AdapterTelemetry>();

/** The adapter telemetry of a runtime's MeterProvider, created on first use. */
export function adapterTelemetryOf(runtime: BizmetricsRuntime): AdapterTelemetry {
  let telemetry = registry.get(runtime.meterProvider);
  if (telemetry === undefined) {
    telemetry = new AdapterTelemetry(runtime.meterProvider.getMeter(expressScopeName, expressScopeVersion), runtime.boundHistograms);
    registry.set(runtime.meterProvider, telemetry);
  }
  return telemetry;
}
