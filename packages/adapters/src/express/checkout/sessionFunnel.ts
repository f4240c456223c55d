import { diag } from '@opentelemetry/api';
import { BusinessMetricsConfigError, checkoutFunnel, Funnel, type FunnelRuntime, type FunnelSession } from '@bizmetrics/core';
import type { SessionContext } from '../context/sessionContext';

/**
 * How `req.bizmetrics` counts checkout steps.
 * - `'session'`: through the core checkout funnel, each step once per session (keyed by
 *   `context.sessionId`); abandonment and time to conversion come from the funnel.
 * - `'per-call'`: every call records, the guide's raw `CheckoutTracker` semantics.
 * - a `Funnel` with the checkout steps (e.g. `checkoutFunnel.withRuntime(bm, { sessionTimeoutMs })`):
 *   the session mode on a funnel you built, e.g. to share it or give it another session store.
 */
export type CheckoutFunnelMode = 'session' | 'per-call' | Funnel;

/** Settings of the session funnel `bizmetricsMiddleware` creates in `'session'` mode. */
export interface SessionFunnelOptions {
  /**
   * A session with no checkout step for this long is abandoned (`business_funnel_abandoned_total`,
   * at the last step it reached). Checked on later steps and at each metric collection.
   * @default 1800000 (30 min)
   */
  sessionTimeoutMs?: number;
  /** Open sessions kept; past it the least recently active one is counted as abandoned. @default 100000 */
  maxSessions?: number;
}

// The steps a funnel given by the app must have: the tracker's methods name them.
const requiredSteps = [...checkoutFunnel.steps, ...checkoutFunnel.sideSteps];

/**
 * The funnel a middleware drives, or `undefined` in per-call mode. The one place the adapter builds
 * a funnel: `'session'` derives it from the core's `checkoutFunnel` (steps from the catalog) on the
 * middleware's runtime. `now` (the middleware's test clock, epoch ms) also drives its timeouts.
 */
export function checkoutFunnelFor(
  runtime: FunnelRuntime,
  mode: CheckoutFunnelMode | undefined,
  options: SessionFunnelOptions | undefined,
  now: (() => number) | undefined,
): Funnel | undefined {
  if (mode === 'per-call') return undefined;
  if (mode instanceof Funnel) {
    const known = new Set([...mode.steps, ...mode.sideSteps]);
    const missing = requiredSteps.filter((step) => !known.has(step));
    if (missing.length > 0) {
      throw new BusinessMetricsConfigError(`bizmetrics: the funnel option's funnel "${mode.name}" lacks the checkout steps ${missing.join(', ')}; build it from checkoutFunnel.withRuntime(runtime, ...)`);
    }
    return mode;
  }
  if (mode !== undefined && mode !== 'session') {
    throw new BusinessMetricsConfigError(`bizmetrics: funnel must be 'session', 'per-call' or a Funnel, got ${JSON.stringify(mode)}`);
  }
  return checkoutFunnel.withRuntime(runtime, {
    ...(options?.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: options.sessionTimeoutMs } : {}),
    ...(options?.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
    ...(now !== undefined ? { clock: now, wallClock: now } : {}),
  });
}

let loggedMissingId = false;

/**
 * The funnel session of one request, or `undefined` when the request has no session id (no
 * `sessionId` callback answer and no first-seen cookie): its steps are then recorded per call.
 * Recording through the handle returns nothing the request waits on.
 */
export function funnelSessionOf(funnel: Funnel, context: SessionContext): FunnelSession | undefined {
  const key = context.sessionId;
  if (typeof key !== 'string' || key === '') {
    if (!loggedMissingId) {
      loggedMissingId = true;
      diag.warn('bizmetrics express adapter: a checkout step without a session id (no context.sessionId answer and sessionCookie: false) is counted per call; give context.sessionId or keep the session cookie.');
    }
    return undefined;
  }
  return funnel.session(key, {
    source: context.source,
    deviceType: context.deviceType,
    experimentVariant: context.experimentVariant,
    startedAt: context.sessionStartTime,
  });
}
