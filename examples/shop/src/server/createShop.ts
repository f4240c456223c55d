import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { BusinessMetricsSetup } from '@bizmetrics/core';
import {
  bizmetricsErrorRecorder,
  bizmetricsMiddleware,
  ingestHandler,
  metricsHandler,
  type BizmetricsMiddlewareOptions,
  type CheckoutFunnelMode,
} from '@bizmetrics/adapters/express';
import cookieSession from 'cookie-session';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { productCategories } from '../catalog/productCatalog';
import { accountRoutes } from './accountRoutes';
import { cartRoutes } from './cartRoutes';
import { catalogRoutes } from './catalogRoutes';
import { checkoutRoutes } from './checkoutRoutes';
import { dashboardRoutes } from './dashboardRoutes';
import { HttpError } from './httpError';
import { OrderBook } from './orderBook';
import { FakePaymentProcessor, PaymentProcessorError } from './paymentProcessor';
import { regionOf, salesRegions } from './regions';
import { experimentVariants, paymentMethods, shopSession } from './shopSession';

/** Options of `createShop`. */
export interface ShopOptions {
  /** What `setupBusinessMetrics()` returned: the shop records through it and serves its `/metrics`. */
  readonly metrics: BusinessMetricsSetup;
  /** Directory of the built front end (`dist/public`); without it the shop serves the API only. */
  readonly publicDir?: string;
  /** Key that signs the session cookie. @default a random key per process (sessions end on restart) */
  readonly sessionSecret?: string;
  /** The payment processor (tests pass one without latency). @default a FakePaymentProcessor with 20-60 ms per call */
  readonly payments?: FakePaymentProcessor;
  /** Where unexpected errors are reported. @default console.error */
  readonly logError?: (message: string) => void;
  /**
   * Express's `trust proxy` setting: behind a load balancer, `'loopback'` makes `req.ip` the client's
   * address from `X-Forwarded-For` (the ingest endpoint rate-limits per client). @default false
   */
  readonly trustProxy?: boolean | string;
  /**
   * A checkout session with no step for this long counts as abandoned (`business_funnel_abandoned_total`).
   * The demo uses a short one so abandonment shows within its run. @default 1800000 (30 min)
   */
  readonly funnelSessionTimeoutMs?: number;
  /**
   * The checkout funnel the middleware drives, e.g. one built with a session store shared by several
   * replicas (`metrics.funnels.checkout({ store })`); `funnelSessionTimeoutMs` is then the funnel's own.
   * @default 'session' (a funnel of this process)
   */
  readonly funnel?: CheckoutFunnelMode;
}

/** What `shopMiddlewareOptions` takes from the shop's options. */
export type ShopFunnelOptions = Pick<ShopOptions, 'funnelSessionTimeoutMs' | 'funnel'>;

/** Browser-side engagement names the ingest endpoint accepts: an allowlist keeps clients from minting series. */
export const engagementFeatures = ['dashboard_export', 'dashboard_chart', 'catalog_filter'] as const;
export const engagementMilestones = ['first_chart_created'] as const;

/** Pages of the single-page front end; each answers with index.html. */
const pagePaths = ['/', '/cart', '/checkout', '/dashboard'];

/**
 * The example shop as an Express 5 app. Instrumentation points, in request order:
 * 1. `bizmetricsMiddleware` derives the session context (source, device, variant, region, session
 *    start) and puts the guide's checkout tracker on `req.bizmetrics`;
 * 2. the routes call `req.bizmetrics.trackCartView()`, `trackShippingInfo()`, ... `trackPurchaseComplete()`,
 *    which go through the session funnel: each step once per shopper session, abandonment after a timeout;
 * 3. `bizmetricsErrorRecorder` turns a thrown checkout error into `checkout_error`;
 * 4. `/metrics` is the adapter's `metricsHandler`, `/bizmetrics/events` its `ingestHandler` for the React hooks.
 */
export function createShop(options: ShopOptions): { app: Express; orders: OrderBook } {
  const { metrics } = options;
  const orders = new OrderBook();
  const payments = options.payments ?? new FakePaymentProcessor();
  const logError = options.logError ?? ((message: string) => console.error(message));
  initializeRevenueSeries(metrics);
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);

  // Sessions in a signed cookie (cookie-session): the state is a cart of a few ids, an address and a
  // payment token, far below 4 KB, and a signed cookie needs no server-side store, so thousands of
  // simulated shoppers cost the server no memory and a restart loses nothing but the signing key.
  app.use(
    cookieSession({
      name: 'shop_session',
      keys: [options.sessionSecret ?? randomBytes(32).toString('hex')],
      httpOnly: true,
      sameSite: 'lax',
      maxAge: 24 * 60 * 60 * 1000,
    }),
  );

  app.use(bizmetricsMiddleware(metrics, shopMiddlewareOptions(options)));

  app.get('/metrics', metricsHandler(metrics));
  app.post(
    '/bizmetrics/events',
    ingestHandler(metrics, { features: engagementFeatures, milestones: engagementMilestones }),
  );

  const api = express.Router();
  api.use(express.json({ limit: '16kb' }));
  api.use(catalogRoutes());
  api.use(cartRoutes());
  api.use(checkoutRoutes({ payments, orders }));
  api.use(dashboardRoutes(orders));
  api.use(accountRoutes(metrics));
  api.use((req) => {
    throw new HttpError(404, `no API route ${req.method} ${req.path}`);
  });
  app.use('/api', api);

  if (options.publicDir !== undefined) {
    const publicDir = options.publicDir;
    app.use(express.static(publicDir, { index: false, maxAge: '1h' }));
    const sendIndex: RequestHandler = (req, res) => {
      shopSession(req); // start the session (and its clock) on the landing page
      res.sendFile(path.join(publicDir, 'index.html'), { headers: { 'Cache-Control': 'no-store' } });
    };
    // One route per page, so each gets its own `http.route` label in the technical metrics.
    for (const page of pagePaths) app.get(page, sendIndex);
  }

  // checkout_error for errors Express would answer with a 5xx; a rejected postal code (HttpError, a
  // 4xx) is the shopper's typo, not a failed checkout, and is not counted.
  app.use(bizmetricsErrorRecorder());
  app.use(errorHandler(logError));
  return { app, orders };
}

/**
 * The shop's `bizmetricsMiddleware` options: the session context comes from its signed-cookie
 * session, and the checkout steps go through the session funnel keyed by the shop's session id, so
 * a reloaded cart counts once and a shopper who leaves counts as abandoned after `funnelSessionTimeoutMs`.
 */
export function shopMiddlewareOptions({ funnelSessionTimeoutMs, funnel = 'session' }: ShopFunnelOptions = {}): BizmetricsMiddlewareOptions {
  return {
    funnel,
    ...(funnelSessionTimeoutMs !== undefined ? { sessionFunnel: { sessionTimeoutMs: funnelSessionTimeoutMs } } : {}),
    context: {
      sessionStartTime: (req) => shopSession(req).startedAt,
      sessionId: (req) => shopSession(req).id,
      experimentVariant: (req) => shopSession(req).variant,
      region: (req) => regionOf(shopSession(req).shipping?.country),
      allowedVariants: experimentVariants,
      allowedRegions: salesRegions,
    },
    checkoutRoutes: ['/api/checkout'],
  };
}

/**
 * Creates every revenue series at 0 (4 categories × 3 payment methods × 4 regions = 48 series).
 * Prometheus' `rate()` cannot see the first increment of a series that appears with a non-zero value,
 * and revenue series are sparse (one order may be the first of its label set), so without this the
 * guide's revenue-per-minute query would miss most early orders. The label sets are known and bounded.
 */
function initializeRevenueSeries(metrics: BusinessMetricsSetup): void {
  for (const product_category of productCategories) {
    for (const payment_method of paymentMethods) {
      for (const region of salesRegions) metrics.metrics.count('business_revenue_cents', { product_category, payment_method, region }, 0);
    }
  }
}

function errorHandler(logError: (message: string) => void): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const { status, message } = describeError(error);
    if (status >= 500 && !(error instanceof PaymentProcessorError)) logError(`shop: ${req.method} ${req.path} failed: ${String((error as Error)?.stack ?? error)}`);
    if (res.headersSent) return;
    res.status(status).json({ success: false, error: message });
  };
}

function describeError(error: unknown): { status: number; message: string } {
  if (error instanceof HttpError) return { status: error.status, message: error.message };
  if (error instanceof PaymentProcessorError) return { status: 502, message: error.message };
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.parse.failed') return { status: 400, message: `the body is not valid JSON: ${(error as Error).message}` };
  if (type === 'entity.too.large') return { status: 413, message: 'the body is larger than 16 KB' };
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return { status: 415, message: (error as Error).message };
  return { status: 500, message: 'internal error' };
}

