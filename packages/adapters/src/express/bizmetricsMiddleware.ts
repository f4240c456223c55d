import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { compileCheckoutRoutes, type CheckoutRouteMatcher } from './checkout/checkoutRoutes';
import { ExpressRequestTracker, type TrackerSettings } from './checkout/requestTracker';
import { SessionContextResolver, type SessionContextOptions } from './context/sessionContext';
import type { BizmetricsRuntime } from './runtime';
import { abortedStatus, type HttpServerDuration } from './technical/httpServerDuration';
import { LastRouteRecorder } from './technical/lastRouteRecorder';
import { RouteLabeler } from './technical/routeLabel';
import { AdapterTelemetry } from './telemetry/adapterTelemetry';
import { BusinessMetricsConfigError } from '@bizmetrics/core';
import { monotonicNow } from './technical/monotonicNow';

/** Options of `bizmetricsMiddleware`. */
export interface BizmetricsMiddlewareOptions {
  /** How the session context (source, device type, variant, region, session start) is derived. */
  context?: SessionContextOptions;
  /**
   * Record `http.server.request.duration` per route template, method and status code. Turn off when
   * the app already runs OpenTelemetry's HTTP instrumentation (it records the same histogram).
   * @default true
   */
  technicalMetrics?: boolean;
  /**
   * Requests that are part of checkout: a 5xx response (or an error seen by `bizmetricsErrorRecorder`)
   * on them records `checkout_error`. Requests that tracked a checkout step count as checkout too.
   * @default any path with a `checkout` segment
   * @example checkoutRoutes: ['/api/cart', '/api/checkout']
   */
  checkoutRoutes?: CheckoutRouteMatcher;
  /**
   * Replaces the derived `http.route` (return `undefined` to keep it). Whatever it returns is capped
   * by `maxRoutes`; never return raw URLs.
   */
  routeLabel?: (req: Request, derived: string) => string | undefined;
  /** Distinct `http.route` values before further requests are recorded in the overflow set (`otel_metric_overflow="true"`). @default 500 */
  maxRoutes?: number;
  /** Clock (epoch ms) for session start and time to conversion, for tests. @default the wall clock, read once a second and advanced by the monotonic clock */
  now?: () => number;
}

/**
 * Drop-in middleware: derives the session context per request, attaches the guide's checkout
 * tracker as `req.bizmetrics` and `res.locals.bizmetrics`, records `checkout_error` when a checkout
 * request ends in a 5xx, and records `http.server.request.duration` on the same MeterProvider as the
 * business metrics. Failures inside it are counted and logged once; the request always goes on.
 *
 * @example
 * const bm = setupBusinessMetrics({ serviceName: 'shop' });
 * app.use(bizmetricsMiddleware(bm));
 * app.post('/api/checkout/complete', (req, res) => {
 *   req.bizmetrics?.trackPurchaseComplete(4999, 'books', 'card');
 *   res.json({ ok: true });
 * });
 */
export function bizmetricsMiddleware(runtime: BizmetricsRuntime, options: BizmetricsMiddlewareOptions = {}): RequestHandler {
  const maxRoutes = options.maxRoutes ?? 500;
  if (!Number.isSafeInteger(maxRoutes) || maxRoutes < 1) {
    throw new BusinessMetricsConfigError(`bizmetrics: maxRoutes must be a positive integer, got ${String(maxRoutes)}`);
  }
  const telemetry = new AdapterTelemetry(runtime);
  const duration = options.technicalMetrics === false ? undefined : telemetry.httpServerDuration;
  const routes = new RouteLabeler(runtime.guard.admission(maxRoutes));
  const routeLabel = options.routeLabel;

  const lastRecorders = new LastRouteRecorder();

  function labelRoute(req: Request): string | undefined {
    if (routeLabel === undefined) return routes.label(req);
    const derived = routes.template(req);
    try {
      const custom = routeLabel(req, derived);
      return routes.admit(typeof custom === 'string' && custom !== '' ? custom : derived);
    } catch (error) {
      telemetry.fail('user_callback', error);
      return routes.admit(derived);
    }
  }

  function recordDuration(technical: HttpServerDuration, req: Request, res: Response, seconds: number): void {
    const statusCode = res.writableFinished ? res.statusCode : abortedStatus;
    const route = (req as { route?: unknown }).route;
    // A routeLabel callback may label each request of a route differently: no shortcut then.
    if (routeLabel !== undefined || typeof route !== 'object' || route === null) {
      technical.record(seconds, req.method, labelRoute(req), statusCode);
      return;
    }
    const baseUrl = req.baseUrl;
    let recorder = lastRecorders.get(route, baseUrl, req.method, statusCode);
    if (recorder === undefined) {
      recorder = technical.recorderFor(req.method, labelRoute(req), statusCode);
      lastRecorders.remember(route, baseUrl, req.method, statusCode, recorder);
    }
    recorder.record(seconds);
  }

  const settings: TrackerSettings = {
    resolver: new SessionContextResolver(options.context ?? {}, telemetry, options.now),
    service: runtime.service,
    telemetry,
    isCheckoutRoute: compileCheckoutRoutes(options.checkoutRoutes),
    recordDuration: duration === undefined ? undefined : (req, res, seconds) => recordDuration(duration, req, res, seconds),
  };

  return function bizmetrics(req: Request, res: Response, next: NextFunction): void {
    try {
      const attributed = settings.resolver.carriesAttribution(req);
      const tracker = new ExpressRequestTracker(req, res, settings, monotonicNow(), attributed);
      req.bizmetrics = tracker;
      if (res.locals !== undefined) res.locals.bizmetrics = tracker;
      // Landing requests carry attribution that a later checkout request needs: remember it now.
      if (attributed === true) void tracker.context;
      (res as ResponseWithTracker)[trackerKey] = tracker;
      // 'close' follows 'finish' on completed responses and also fires on aborted ones: one listener
      // covers both. A shared function (no closure per request) keeps the per-request cost down.
      res.on('close', finishTracker);
    } catch (error) {
      telemetry.fail('middleware', error);
    }
    // Outside the try: errors of later handlers belong to the app and its error handlers, untouched.
    next();
  };
}

const trackerKey = Symbol('bizmetrics.tracker');
type ResponseWithTracker = Response & { [trackerKey]?: ExpressRequestTracker };

function finishTracker(this: ResponseWithTracker): void {
  const tracker = this[trackerKey];
  if (tracker === undefined) return;
  this[trackerKey] = undefined;
  tracker.finish();
}
