import { Agent, request as httpRequest } from 'node:http';
import { setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { bizmetricsMiddleware, httpServerDurationBuckets, type BizmetricsMiddlewareOptions } from '../../../src/express/index';
import type { Express } from 'express';
import { eventually, expressVersions, listen, samplesOf, send, valueOf, type RunningServer } from '../../support/expressHarness';

const durationCount = 'http_server_request_duration_count';

/** Many requests over a few keep-alive connections; resolves when all were answered. */
async function hammer(base: string, paths: readonly string[], concurrency = 16): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses: number[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < paths.length) {
      const path = paths[next++] as string;
      statuses.push(
        await new Promise<number>((resolve, reject) => {
          const req = httpRequest(`${base}${path}`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end();
        }),
      );
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return statuses;
}

describe.each(expressVersions)('technical metrics on %s', (_name, express) => {
  let bm: BusinessMetricsSetup;
  let server: RunningServer | undefined;

  beforeEach(() => {
    bm = setupBusinessMetrics({ serviceName: 'technical-test' });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await bm.shutdown();
  });

  async function start(options: BizmetricsMiddlewareOptions = {}): Promise<string> {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm, options));
    app.get('/products/:id', (_req, res) => {
      res.send('product');
    });
    app.post('/products/:id', (_req, res) => {
      res.status(201).send('created');
    });
    app.get('/boom', () => {
      throw new Error('boom');
    });
    const api = express.Router();
    api.get('/orders/:orderId', (_req, res) => {
      res.send('order');
    });
    app.use('/api', api);
    const shop = express.Router({ mergeParams: true });
    shop.get('/items', (_req, res) => {
      res.send('items');
    });
    app.use('/shops/:shopId', shop);
    app.all('/anything', (_req, res) => {
      res.send('any');
    });
    app.get('/slow/:id', (_req, res) => {
      setTimeout(() => {
        if (!res.destroyed) res.send('late');
      }, 300);
    });
    server = await listen(app);
    return server.url;
  }

  it('exports http.server.request.duration as http_server_request_duration (no unit suffix) with semconv attributes and buckets', async () => {
    const url = await start();
    await send(`${url}/products/42`);
    const text = await eventually(async () => {
      const scraped = await bm.getMetrics();
      expect(valueOf(scraped, durationCount)).toBe(1);
      return scraped;
    });
    expect(text).toContain('# TYPE http_server_request_duration histogram');
    expect(text).toContain('# UNIT http_server_request_duration s');
    expect(text).not.toContain('http_server_request_duration_seconds');
    const [sample] = samplesOf(text, durationCount);
    expect(sample?.labels).toEqual({
      http_request_method: 'GET',
      http_route: '/products/:id',
      http_response_status_code: '200',
      otel_scope_name: '@bizmetrics/adapters/express',
      otel_scope_version: '0.1.0',
    });
    const boundaries = samplesOf(text, 'http_server_request_duration_bucket').map((bucket) => bucket.labels['le']);
    expect(boundaries).toEqual([...httpServerDurationBuckets.map(String), '+Inf']);
    expect(valueOf(text, 'http_server_request_duration_sum')).toBeGreaterThan(0);
    expect(valueOf(text, 'http_server_request_duration_sum')).toBeLessThan(5);
  });

  it('records the same series through the SDK histogram in attach mode (your MeterProvider, no bound cells)', async () => {
    const reader = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ readers: [reader] });
    const attached = setupBusinessMetrics({ meterProvider: provider });
    expect(attached.boundHistograms).toBeUndefined();
    const app: Express = express();
    app.use(bizmetricsMiddleware(attached));
    app.get('/products/:id', (_req, res) => {
      res.send('product');
    });
    const own = await listen(app);
    try {
      for (const id of [1, 2, 3]) await send(`${own.url}/products/${id}`);
      const serializer = new PrometheusSerializer('', false, undefined, true, false);
      const text = await eventually(async () => {
        const scraped = serializer.serialize((await reader.collect()).resourceMetrics);
        expect(valueOf(scraped, durationCount)).toBe(3);
        return scraped;
      });
      expect(samplesOf(text, durationCount)[0]?.labels).toMatchObject({ http_route: '/products/:id', http_response_status_code: '200' });
    } finally {
      await own.close();
      await provider.shutdown();
    }
  });

  it('keeps every series exact when one route alternates status codes, methods and mount paths (the per-route recorder shortcut)', async () => {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm));
    app.all('/answer/:status', (req, res) => {
      res.status(Number(req.params['status'])).send('x');
    });
    // One router, so one Route object, mounted at two paths: two labels.
    const catalog = express.Router();
    catalog.get('/items', (_req, res) => {
      res.send('items');
    });
    app.use('/books', catalog);
    app.use('/games', catalog);
    server = await listen(app);
    // Consecutive requests that differ in only one of status, method or mount path.
    const plan: [string, string][] = [
      ['GET', '/answer/200'], ['GET', '/answer/503'], ['GET', '/answer/503'], ['POST', '/answer/503'], ['POST', '/answer/201'],
      ['GET', '/answer/200'], ['POST', '/answer/200'], ['GET', '/answer/404'], ['GET', '/answer/200'],
      ['GET', '/books/items'], ['GET', '/games/items'], ['GET', '/games/items'], ['GET', '/books/items'],
    ];
    for (const [method, path] of plan) await send(`${server.url}${path}`, { method });
    const text = await eventually(async () => {
      const scraped = await bm.getMetrics();
      expect(valueOf(scraped, durationCount)).toBe(plan.length);
      return scraped;
    });
    const seen = samplesOf(text, durationCount).map((sample) => `${sample.labels['http_request_method']} ${sample.labels['http_route']} ${sample.labels['http_response_status_code']} ${sample.value}`);
    expect(seen.sort()).toEqual([
      'GET /answer/:status 200 3',
      'GET /answer/:status 404 1',
      'GET /answer/:status 503 2',
      'GET /books/items 200 2',
      'GET /games/items 200 2',
      'POST /answer/:status 200 1',
      'POST /answer/:status 201 1',
      'POST /answer/:status 503 1',
    ]);
  });

  it('labels routes by template: nested routers, parameter mounts, methods, status codes, errors and unmatched paths', async () => {
    const url = await start();
    await send(`${url}/api/orders/9f3c2a`);
    await send(`${url}/shops/12345/items`);
    await send(`${url}/products/7`, { method: 'POST' });
    await send(`${url}/boom`);
    await send(`${url}/no/such/page`);
    await send(`${url}/anything`, { method: 'PROPFIND' });
    await eventually(async () => expect(valueOf(await bm.getMetrics(), durationCount)).toBe(6));
    const text = await bm.getMetrics();
    const seen = samplesOf(text, durationCount).map((s) => `${s.labels['http_request_method']} ${s.labels['http_route']} ${s.labels['http_response_status_code']}`);
    expect(seen.sort()).toEqual(
      [
        'GET /api/orders/:orderId 200',
        'GET /shops/:param/items 200',
        'POST /products/:id 201',
        'GET /boom 500',
        'GET unmatched 404',
        '_OTHER /anything 200',
      ].sort(),
    );
  });

  it('keeps the route label bounded: 10,000 product ids give one series, 10,000 unmatched paths give "unmatched"', async () => {
    const url = await start();
    const products = Array.from({ length: 10_000 }, (_, i) => `/products/${i}-${Math.random().toString(36).slice(2, 8)}`);
    const unmatched = Array.from({ length: 10_000 }, (_, i) => `/x${i}/${Math.random().toString(36).slice(2)}`);
    const statuses = await hammer(url, [...products, ...unmatched]);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10_000);
    expect(statuses.filter((status) => status === 404)).toHaveLength(10_000);
    await eventually(async () => expect(valueOf(await bm.getMetrics(), durationCount)).toBe(20_000));
    const series = samplesOf(await bm.getMetrics(), durationCount);
    expect(series.map((s) => [s.labels['http_route'], s.value])).toEqual(
      expect.arrayContaining([
        ['/products/:id', 10_000],
        ['unmatched', 10_000],
      ]),
    );
    expect(series).toHaveLength(2);
  }, 120_000);

  it('records a request the client abandoned with error.type="aborted" and no status code', async () => {
    const url = await start();
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${url}/slow/1`, { agent: false });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    await eventually(async () => expect(valueOf(await bm.getMetrics(), durationCount, { error_type: 'aborted' })).toBe(1));
    const [sample] = samplesOf(await bm.getMetrics(), durationCount, { error_type: 'aborted' });
    expect(sample?.labels['http_route']).toBe('/slow/:id');
    expect(sample?.labels['http_response_status_code']).toBeUndefined();
  });

  it('caps distinct route templates at maxRoutes (the overflow set {otel_metric_overflow="true"} past it)', async () => {
    const url = await start({ maxRoutes: 2 });
    await send(`${url}/products/1`);
    await send(`${url}/api/orders/1`);
    await send(`${url}/shops/1/items`);
    await eventually(async () => expect(valueOf(await bm.getMetrics(), durationCount)).toBe(3));
    expect(valueOf(await bm.getMetrics(), durationCount, { otel_metric_overflow: 'true' })).toBe(1);
    expect(samplesOf(await bm.getMetrics(), durationCount, { otel_metric_overflow: 'true' })[0]?.labels['http_route']).toBeUndefined();
  });

  it('records nothing technical with technicalMetrics: false (business tracking still works)', async () => {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm, { technicalMetrics: false }));
    app.get('/cart', (req, res) => {
      req.bizmetrics?.trackCartView();
      res.send('cart');
    });
    server = await listen(app);
    await send(`${server.url}/cart`);
    const text = await bm.getMetrics();
    expect(text).not.toContain('http_server_request_duration');
    expect(valueOf(text, 'business_funnel_step_total', { step: 'cart_view' })).toBe(1);
  });

  it('labels a route declared with an array of paths once, as its paths joined with "|" (each with its mount path), bounded in length', async () => {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm));
    app.get(['/help', '/faq/:topic'], (_req, res) => {
      res.send('help');
    });
    const api = express.Router();
    api.get(['/a', '/b'], (_req, res) => {
      res.send('ab');
    });
    app.use('/api', api);
    const many = Array.from({ length: 40 }, (_, i) => `/landing-page-number-${i}`);
    app.get(many, (_req, res) => {
      res.send('landing');
    });
    server = await listen(app);
    for (const path of ['/help', '/faq/shipping', '/faq/returns', '/api/a', '/api/b', '/landing-page-number-0', '/landing-page-number-39']) {
      expect((await send(`${server.url}${path}`)).status).toBe(200);
    }
    await eventually(async () => expect(valueOf(await bm.getMetrics(), durationCount)).toBe(7));
    const series = samplesOf(await bm.getMetrics(), durationCount).map((s) => [s.labels['http_route'], s.value] as const);
    const long = series.find(([route]) => route?.startsWith('/landing-page-number-0|'));
    expect(long?.[1]).toBe(2);
    expect(long?.[0]?.length).toBeLessThanOrEqual(256);
    expect(long?.[0]?.endsWith('|...')).toBe(true);
    expect(series.filter(([route]) => route !== long?.[0]).sort()).toEqual([
      ['/api/a|/api/b', 2],
      ['/help|/faq/:topic', 3],
    ]);
  });

  it('uses a routeLabel callback when given, still capped', async () => {
    const url = await start({ routeLabel: (req, derived) => (derived === 'unmatched' ? undefined : `custom:${derived}`) });
    await send(`${url}/products/3`);
    await send(`${url}/nothing`);
    await eventually(async () => expect(valueOf(await bm.getMetrics(), durationCount)).toBe(2));
    const routes = samplesOf(await bm.getMetrics(), durationCount).map((s) => s.labels['http_route']);
    expect(routes.sort()).toEqual(['custom:/products/:id', 'unmatched']);
  });
});
