import type { PersonalDataFamily, SelfCounter } from '@bizmetrics/core';
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
  | 'request_timeout'
  | 'unreadable_body'
  | 'malformed_json'
  | 'forbidden_key'
  | 'invalid_batch'
  | 'too_many_events'
  | 'too_many_distinct_names';

const adapterStages: readonly AdapterStage[] = ['middleware', 'context', 'user_callback', 'response_finish', 'tracker', 'ingest', 'metrics_endpoint'];
const ingestRejections: readonly IngestRejection[] = [
  'method_not_allowed',
  'rate_limited',
  'unsupported_media_type',
  'payload_too_large',
  'request_timeout',
  'unreadable_body',
  'malformed_json',
  'forbidden_key',
  'invalid_batch',
  'too_many_events',
  'too_many_distinct_names',
];

/** Scope name of everything the Express adapter records itself. */
export const expressScopeName = '@bizmetrics/adapters/express';
const expressScopeVersion = '0.1.0';

/**
 * The adapter's own health counters, on the runtime it was given: the counters are the runtime's
 * self-metric counters (one instrument each, however many middlewares and handlers share the
 * runtime). Keys are fixed enums or event types: bounded.
 */
export class AdapterTelemetry {
  private readonly failures: SelfCounter;
  private readonly rejections: SelfCounter;
  private readonly accepted: SelfCounter;
  private durationCache: HttpServerDuration | undefined;

  constructor(private readonly runtime: BizmetricsRuntime) {
    this.failures = runtime.selfCounter({
      name: 'bizmetrics_adapter_failures',
      description: 'Failures inside the bizmetrics Express adapter (the request went on), by stage',
      unit: '{failure}',
      labels: ['stage'],
    });
    // A failure is rare by nature: its series exist at 0, so rate() sees the first one.
    this.failures.preset(adapterStages);
    this.rejections = runtime.selfCounter({
      name: 'bizmetrics_ingest_rejected_batches',
      description: 'Engagement batches the ingest endpoint refused, by reason (nothing of them was recorded)',
      unit: '{batch}',
      labels: ['reason'],
    });
    this.rejections.preset(ingestRejections);
    this.accepted = runtime.selfCounter({
      name: 'bizmetrics_ingest_accepted_events',
      description: 'Engagement events the ingest endpoint recorded, by event type',
      unit: '{event}',
      labels: ['type'],
    });
  }

  /** The technical request-duration histogram, registered on first use (never when technical metrics are off). */
  get httpServerDuration(): HttpServerDuration {
    this.durationCache ??= new HttpServerDuration(this.runtime, { name: expressScopeName, version: expressScopeVersion });
    return this.durationCache;
  }

  /** Counts a failure inside the adapter and logs the first one of each stage through `diag`. */
  fail(stage: AdapterStage, error: unknown): void {
    try {
      this.failures.add(stage);
      this.failures.logOnce(
        stage,
        () =>
          `bizmetrics express adapter: ${stage} failed (${describe(error)}); the request went on. ` +
          `Further failures of this stage are counted in bizmetrics_adapter_failures_total without logging.`,
      );
    } catch {
      // Even the tally failed: stay silent rather than break the request.
    }
  }

  /** Counts a refused ingest batch; the first of each reason is logged at debug level (clients cause these). */
  reject(reason: IngestRejection, message: string): void {
    this.rejections.add(reason);
    this.rejections.logOnce(reason, () => `bizmetrics ingest: refused a batch (${reason}): ${message}`, 'debug');
  }

  /**
   * Counts a client-supplied value the adapter replaced by `redacted` before any normalisation
   * could hide what it was: `bizmetrics_refused_values_total{metric, reason="personal_data_<family>"}`,
   * the core's own count. Never throws (strict mode's throw is for the app's own calls).
   */
  refusePersonalData(metric: string, family: PersonalDataFamily, label: string): void {
    try {
      this.runtime.guard.refusals.refuse(metric, `personal_data_${family}`, `label ${label}, sent by a client`);
    } catch {
      // Strict mode throws after counting: a request must not fail for a client's value.
    }
  }

  /** Counts events recorded by the ingest endpoint. */
  acceptEvents(type: string, count: number): void {
    this.accepted.add(type, '', count);
  }

  /** Rejections so far (of one reason, or all): for tests and health checks. */
  rejectedCount(reason?: IngestRejection): number {
    return reason === undefined ? this.rejections.total() : this.rejections.value(reason);
  }

  /** Failures so far (of one stage, or all). */
  failureCount(stage?: AdapterStage): number {
    return stage === undefined ? this.failures.total() : this.failures.value(stage);
  }

  /** Logs a message once per key (configuration mistakes, first failures). */
  logOnce(key: string, message: () => string, level: 'warn' | 'debug' = 'warn'): void {
    this.failures.logOnce(`config:${key}`, message, level);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
