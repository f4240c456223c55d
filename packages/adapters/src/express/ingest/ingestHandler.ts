import { BusinessMetricsConfigError, checkoutSteps, detectPersonalData, otherLabelValue, redactedLabelValue, type AdmissionFactory, type AdmissionPolicy } from '@bizmetrics/core';
import type { NextFunction, Request, Response } from 'express';
import type { EngagementBatch } from '../../shared/engagementEvent';
import { maxBatchBytes, maxEventsPerBatch } from '../../shared/engagementEvent';
import { clientValueAdmission } from '../context/boundedLabel';
import { SessionContextResolver, type SessionContext, type SessionContextOptions } from '../context/sessionContext';
import type { BizmetricsRuntime } from '../runtime';
import { AdapterTelemetry } from '../telemetry/adapterTelemetry';
import { describeIssues, engagementBatchSchema } from './engagementSchema';
import { IngestError } from './ingestError';
import { checkContentType, defaultBodyTimeoutMs, readJsonBody } from './readBody';
import { TokenBucketLimiter, type RateLimitOptions } from './tokenBucket';

/** Funnel steps clients may report by default: the checkout steps before the server-side confirmation. */
export const defaultClientSteps: readonly string[] = ['cart_view', 'shipping_info', 'payment_info', 'order_review'];
/** User tiers accepted by default (the guide's). */
export const defaultUserTiers: readonly string[] = ['free', 'pro', 'enterprise'];
// Steps that define conversion: only server code may record them.
const serverOnlySteps = new Set<string>([checkoutSteps[checkoutSteps.length - 1] as string, 'checkout_error']);

/** Options of `ingestHandler`. */
export interface IngestOptions {
  /** Funnel steps clients may report; `order_confirmed` and `checkout_error` are refused at set-up. @default cart_view, shipping_info, payment_info, order_review */
  allowedSteps?: readonly string[];
  /** Accepted `userTier` values (anything else is a 400). @default ['free', 'pro', 'enterprise'] */
  userTiers?: readonly string[];
  /** Feature names accepted; without it any name matching `^[a-z][a-z0-9_]{0,63}$`, up to `maxDistinctNames`. */
  features?: readonly string[];
  /** Milestone names accepted (recorded as step `milestone_<name>`); without it any name matching `^[a-z][a-z0-9_]{0,53}$`, up to `maxDistinctNames`. */
  milestones?: readonly string[];
  /**
   * Distinct feature (and, separately, milestone) names that get a label of their own without an
   * allowlist; names not admitted are recorded as `other` (`milestone_other`). @default 100
   */
  maxDistinctNames?: number;
  /**
   * Which new client-sent names and entry pages get a place of their own (the rest are `other`).
   * @default a value needs 3 distinct client addresses (`clientKey`), or one address's quota of 10
   */
  admission?: AdmissionFactory;
  /**
   * Turns a session's entry page into the `entry_page` label; return `undefined` for `other`.
   * @default the first path segment (`/products/42?x=1` → `/products`), at most 100 distinct values
   */
  entryPage?: (path: string) => string | undefined;
  /** Events per batch. @default 50 */
  maxEvents?: number;
  /** Body size in bytes (413 past it). @default 16384 */
  maxBodyBytes?: number;
  /** Time the whole body may take to arrive; a slower one gets 408 and the connection is closed. @default 10000 */
  bodyTimeoutMs?: number;
  /** Oldest accepted event timestamp, in seconds before now. @default 86400 */
  maxEventAgeSeconds?: number;
  /** How far in the future an event timestamp may be (client clock skew), in seconds. @default 300 */
  maxClockSkewSeconds?: number;
  /** Longest accepted `session_end` duration, in seconds. @default 86400 */
  maxSessionSeconds?: number;
  /** Per-client token bucket (429 with Retry-After when empty); `false` for none. @default { tokensPerSecond: 2, burst: 20, maxClients: 10000 } */
  rateLimit?: RateLimitOptions | false;
  /** Key a client is rate-limited by. @default req.ip (honours Express's `trust proxy`) */
  clientKey?: (req: Request) => string;
  /** Session context options for requests that did not pass through `bizmetricsMiddleware`. */
  context?: SessionContextOptions;
  /** Clock (tests). @default Date.now */
  now?: () => number;
}

/** Answer of an accepted batch. */
export interface IngestAccepted {
  readonly accepted: number;
}

/**
 * The endpoint the React hooks post engagement batches to. The whole batch is validated first and
 * recorded only if every event is valid (all-or-nothing): a refused batch leaves no trace in the
 * business metrics, only in `bizmetrics_ingest_rejected_batches_total{reason}`. Answers 202 with
 * `{"accepted": n}`, or 4xx with `{"error": "..."}` naming the problem.
 *
 * Mount it before any body parser, or let it reuse what `express.json()`/`express.text()` parsed.
 *
 * @example
 * app.post('/bizmetrics/events', ingestHandler(bm, { features: ['dashboard_export'] }));
 */
export function ingestHandler(runtime: BizmetricsRuntime, options: IngestOptions = {}): (req: Request, res: Response, next?: NextFunction) => void {
  const now = options.now ?? Date.now;
  const allowedSteps = options.allowedSteps ?? defaultClientSteps;
  for (const step of allowedSteps) {
    if (serverOnlySteps.has(step)) {
      throw new BusinessMetricsConfigError(`bizmetrics: allowedSteps may not contain "${step}": conversions and checkout errors are recorded by server code only`);
    }
  }
  const maxEvents = positiveInteger(options.maxEvents ?? maxEventsPerBatch, 'maxEvents');
  const maxBytes = positiveInteger(options.maxBodyBytes ?? maxBatchBytes, 'maxBodyBytes');
  const bodyTimeoutMs = positiveInteger(options.bodyTimeoutMs ?? defaultBodyTimeoutMs, 'bodyTimeoutMs');
  const maxDistinct = positiveInteger(options.maxDistinctNames ?? 100, 'maxDistinctNames');
  const schema = engagementBatchSchema({
    allowedSteps,
    userTiers: options.userTiers ?? defaultUserTiers,
    features: options.features,
    milestones: options.milestones,
    maxEvents,
    maxEventAgeMs: (options.maxEventAgeSeconds ?? 86400) * 1000,
    maxClockSkewMs: (options.maxClockSkewSeconds ?? 300) * 1000,
    maxSessionSeconds: options.maxSessionSeconds ?? 86400,
    now,
  });
  let limiter: TokenBucketLimiter | undefined;
  try {
    limiter = options.rateLimit === false ? undefined : new TokenBucketLimiter(options.rateLimit ?? {}, now);
  } catch (error) {
    throw new BusinessMetricsConfigError(`bizmetrics: ${(error as Error).message}`);
  }
  const telemetry = new AdapterTelemetry(runtime);
  const service = runtime.service;
  const metrics = runtime.metrics;
  // Names and entry pages come from browsers: admission one client cannot exhaust.
  const admission = options.admission ?? clientValueAdmission;
  const clientKey = options.clientKey ?? defaultClientKey;
  const resolver = new SessionContextResolver({ clientKey, ...options.context }, telemetry, now);
  // With an allowlist the schema already bounds the names: nothing to admit then.
  const featureNames = new BoundedNames(options.features === undefined ? admission(maxDistinct) : undefined, telemetry, 'business_feature_usage', 'feature_name');
  const milestoneNames = new BoundedNames(options.milestones === undefined ? admission(maxDistinct) : undefined, telemetry, 'business_funnel_step', 'step');
  const entryPages = new BoundedEntryPages(options.entryPage, telemetry, admission(100));

  function contextOf(req: Request, res: Response): SessionContext {
    return req.bizmetrics?.context ?? resolver.resolve(req, res);
  }

  function record(batch: EngagementBatch, context: SessionContext, client: string): void {
    for (const event of batch.events) {
      switch (event.type) {
        case 'feature_usage':
          service.recordFeatureUsage(featureNames.resolve(event.feature, client), { userTier: event.userTier, isNewUser: event.isNewUser });
          break;
        case 'milestone':
          // As the guide's EngagementTracker: a funnel step `milestone_<name>` with source `in_app`.
          service.recordFunnelStep(`milestone_${milestoneNames.resolve(event.milestone, client)}`, {
            source: 'in_app',
            deviceType: context.deviceType,
            experimentVariant: context.experimentVariant,
          });
          break;
        case 'session_end':
          metrics.observe('business_session_duration_seconds', event.durationSeconds, { user_tier: event.userTier, entry_page: entryPages.resolve(event.entryPage, client) });
          break;
        case 'funnel_step':
          service.recordFunnelStep(event.step, { source: context.source, deviceType: context.deviceType, experimentVariant: context.experimentVariant });
          break;
      }
      telemetry.acceptEvents(event.type, 1);
    }
  }

  async function handle(req: Request, res: Response): Promise<void> {
    try {
      if (req.method !== 'POST') throw new IngestError(405, 'method_not_allowed', `method ${req.method ?? ''} not allowed: POST a batch`, { Allow: 'POST' });
      const client = safeClientKey(req, clientKey, telemetry);
      if (limiter !== undefined) {
        const wait = limiter.take(client);
        if (wait > 0) throw new IngestError(429, 'rate_limited', `too many requests: retry in ${wait} s`, { 'Retry-After': String(wait) });
      }
      checkContentType(req.headers['content-type']);
      const body = await readJsonBody(req, maxBytes, bodyTimeoutMs);
      const events = (body as { events?: unknown } | null)?.events;
      if (Array.isArray(events) && events.length > maxEvents) {
        throw new IngestError(400, 'too_many_events', `too many events: ${events.length} in the batch, at most ${maxEvents}`);
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new IngestError(400, 'invalid_batch', `invalid batch: ${describeIssues(parsed.error)}`);
      const batch = parsed.data;
      record(batch, contextOf(req, res), client);
      send(res, 202, { accepted: batch.events.length });
    } catch (error) {
      if (error instanceof IngestError) {
        telemetry.reject(error.reason, error.message);
        send(res, error.status, { error: error.message }, error.headers);
        return;
      }
      telemetry.fail('ingest', error);
      send(res, 500, { error: 'internal error in the bizmetrics ingest endpoint; nothing was recorded' });
    }
  }

  return function bizmetricsIngest(req: Request, res: Response): void {
    handle(req, res).catch((error: unknown) => telemetry.fail('ingest', error));
  };
}

/**
 * Feature or milestone names as labels: a name carrying personal data is `redacted` (counted);
 * without an allowlist, a name the admission policy has not (yet) admitted is `other`. The
 * measurement is kept either way.
 */
class BoundedNames {
  constructor(
    private readonly admission: AdmissionPolicy | undefined,
    private readonly telemetry: AdapterTelemetry,
    private readonly metric: string,
    private readonly label: string,
  ) {}

  // Names admitted before: served without the checks (bounded like the names themselves).
  private readonly admitted = new Set<string>();

  resolve(name: string, client: string): string {
    if (this.admitted.has(name)) return name;
    const family = detectPersonalData(name);
    if (family !== undefined) {
      this.telemetry.refusePersonalData(this.metric, family, this.label);
      return redactedLabelValue;
    }
    if (this.admission !== undefined && !(this.admission as ClientAwareAdmission).admit(name, client)) return otherLabelValue;
    if (this.admitted.size < 1024) this.admitted.add(name);
    return name;
  }
}

/** An admission policy that may count who sent a value (`DistinctClientAdmission`). */
type ClientAwareAdmission = AdmissionPolicy & { admit(value: string, client?: string): boolean };

/**
 * Entry pages as labels: the user's mapping or the first path segment, at most 100 distinct values
 * (admitted as the client-sent names are); personal data in it becomes `redacted`.
 */
class BoundedEntryPages {
  // Raw labels admitted before, to their label: served without the checks; bounded.
  private readonly admitted = new Map<string, string>();

  constructor(
    private readonly mapping: ((path: string) => string | undefined) | undefined,
    private readonly telemetry: AdapterTelemetry,
    private readonly admission: AdmissionPolicy,
  ) {}

  resolve(path: string, client: string): string {
    let label: string | undefined;
    try {
      label = this.mapping === undefined ? firstSegment(path) : this.mapping(path);
    } catch (error) {
      this.telemetry.fail('user_callback', error);
    }
    if (typeof label !== 'string') return otherLabelValue;
    const known = this.admitted.get(label);
    if (known !== undefined) return known;
    // The part of the path that becomes the label, as it arrived: folding below turns `@` into `_`.
    const family = detectPersonalData(label);
    if (family !== undefined) {
      this.telemetry.refusePersonalData('business_session_duration_seconds', family, 'entry_page');
      return redactedLabelValue;
    }
    const raw = label;
    label = label.toLowerCase().replace(/[^a-z0-9/_.-]+/g, '_').slice(0, 64);
    if (label === '') return otherLabelValue;
    if (!(this.admission as ClientAwareAdmission).admit(label, client)) return otherLabelValue;
    if (this.admitted.size < 400) this.admitted.set(raw, label);
    return label;
  }
}

function firstSegment(path: string): string {
  const match = /^\/([^/?#]*)/.exec(path);
  return match === null || match[1] === '' ? '/' : `/${match[1]}`;
}

function defaultClientKey(req: Request): string {
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}

function safeClientKey(req: Request, clientKey: (req: Request) => string, telemetry: AdapterTelemetry): string {
  try {
    return String(clientKey(req));
  } catch (error) {
    telemetry.fail('user_callback', error);
    return 'unknown';
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new BusinessMetricsConfigError(`bizmetrics: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

function send(res: Response, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent) return;
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}
