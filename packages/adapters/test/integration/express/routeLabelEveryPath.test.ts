// Issue 15 Must 7: a request's `http.route` is the same whatever its status and whoever answered it
// (the handler, a router's error handler, or the app's error handler after the routers gave up).
import { setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { bizmetricsErrorRecorder, bizmetricsMiddleware } from '../../../src/express/index';
import { eventually, expressVersions, listen, samplesOf, send, valueOf, type RunningServer } from '../../support/expressHarness';

const durationCount = 'http_server_request_duration_count';

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

describe.each(expressVersions)('http.route on every path, %s', (name, express) => {
  let bm: BusinessMetricsSetup;
  let server: RunningServer;

  // Express 4 does not catch a rejected promise: the usual wrapper passes it to next(err).
  const asyncRoute = (handler: (req: Request, res: Response) => Promise<void>): RequestHandler =>
    name === 'express 5'
      ? (handler as unknown as RequestHandler)
      : (req: Request, res: Response, next: NextFunction) => {
          handler(req, res).catch(next);
        };
  const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  beforeAll(async () => {
    bm = setupBusinessMetrics({ serviceName: 'route-label-test' });
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm));

    // /api: the shop's shape (routers mounted under a prefix, errors answered by the app).
    const api = express.Router();
    api.get('/ok', (_req, res) => {
      res.json({ ok: true });
    });
    api.get('/missing', (_req, res) => {
      res.status(404).json({ error: 'no such thing' });
    });
    api.get('/throws', () => {
      throw new Error('sync failure');
    });
    api.get(
      '/async-throws',
      asyncRoute(async () => {
        await tick();
        throw new Error('async failure');
      }),
    );
    api.get('/next-error', (_req, _res, next) => {
      next(new HttpFailure(503, 'down'));
    });
    api.get('/next-error-4xx', (_req, _res, next) => {
      next(new HttpFailure(409, 'conflict'));
    });
    const checkout = express.Router();
    checkout.post(
      '/complete',
      asyncRoute(async (req, res) => {
        await tick();
        const outcome = String(req.query['outcome']);
        if (outcome === 'declined') {
          res.status(402).json({ error: 'declined' });
          return;
        }
        if (outcome === 'processor') throw new HttpFailure(502, 'payment processor unavailable');
        res.json({ ok: true });
      }),
    );
    api.use('/checkout', checkout);

    // Nested routers: /api/v1/orders/:orderId, with a router-level error handler for one of them.
    const v1 = express.Router();
    const orders = express.Router();
    orders.get('/:orderId', (req, res, next) => {
      if (req.params['orderId'] === 'broken') return next(new Error('order store down'));
      if (req.params['orderId'] === 'throws') throw new HttpFailure(500, 'bug');
      res.json({ id: req.params['orderId'] });
    });
    const handledInside = express.Router();
    handledInside.get('/:id', () => {
      throw new HttpFailure(500, 'answered by the router');
    });
    const insideHandler: ErrorRequestHandler = (error: HttpFailure, _req, res, _next) => {
      res.status(error.status).json({ inside: true });
    };
    handledInside.use(insideHandler);
    v1.use('/orders', orders);
    v1.use('/handled', handledInside);
    api.use('/v1', v1);
    app.use('/api', api);

    app.use(bizmetricsErrorRecorder());
    const appErrorHandler: ErrorRequestHandler = (error: { status?: number }, _req, res, _next) => {
      res.status(error.status ?? 500).json({ failed: true });
    };
    app.use(appErrorHandler);
    server = await listen(app);
  });
  afterAll(async () => {
    await server.close();
    await bm.shutdown();
  });

  // [method, path, expected status, expected http.route]
  const cases: readonly [string, string, number, string][] = [
    ['GET', '/api/ok', 200, '/api/ok'],
    ['GET', '/api/missing', 404, '/api/missing'],
    ['GET', '/api/throws', 500, '/api/throws'],
    ['GET', '/api/async-throws', 500, '/api/async-throws'],
    ['GET', '/api/next-error', 503, '/api/next-error'],
    ['GET', '/api/next-error-4xx', 409, '/api/next-error-4xx'],
    ['POST', '/api/checkout/complete?outcome=ok', 200, '/api/checkout/complete'],
    ['POST', '/api/checkout/complete?outcome=declined', 402, '/api/checkout/complete'],
    ['POST', '/api/checkout/complete?outcome=processor', 502, '/api/checkout/complete'],
    ['GET', '/api/v1/orders/42', 200, '/api/v1/orders/:orderId'],
    ['GET', '/api/v1/orders/broken', 500, '/api/v1/orders/:orderId'],
    ['GET', '/api/v1/orders/throws', 500, '/api/v1/orders/:orderId'],
    ['GET', '/api/v1/handled/7', 500, '/api/v1/handled/:id'],
  ];

  it.each(cases)('%s %s answers %d and is labelled %s', async (method, path, status, route) => {
    const before = valueOf(await bm.getMetrics(), durationCount, { http_route: route, http_response_status_code: String(status) });
    const reply = await send(`${server.url}${path}`, { method });
    expect(reply.status).toBe(status);
    await eventually(async () => {
      const text = await bm.getMetrics();
      expect(valueOf(text, durationCount, { http_route: route, http_response_status_code: String(status) })).toBe(before + 1);
    });
  });

  it('never records a route without its mount path, and the checkout route keeps one label for 200, 402 and 502', async () => {
    const text = await bm.getMetrics();
    const routes = new Set(samplesOf(text, durationCount).map((sample) => sample.labels['http_route']));
    for (const route of routes) expect(route).toMatch(/^\/api\//);
    const checkoutStatuses = samplesOf(text, durationCount, { http_route: '/api/checkout/complete' }).map((sample) => sample.labels['http_response_status_code']);
    expect(checkoutStatuses.sort()).toEqual(['200', '402', '502']);
    // The error path attributes the failed checkout to checkout too: one checkout_error, for the 502.
    expect(valueOf(text, 'business_funnel_step_total', { step: 'checkout_error' })).toBe(1);
  });
});
