import { BusinessMetricsConfigError, setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import { bizmetricsMiddleware, metricsHandler, startMetricsServer } from '../../../src/express/index';
import { startPrometheus } from '@bizmetrics/test-support';
import type { Express } from 'express';
import { eventually, expressVersions, listen, send, valueOf, type RunningServer } from '../../support/expressHarness';

const token = 'scrape-token-0123456789abcdef';

describe.each(expressVersions)('metrics endpoint on %s', (_name, express) => {
  let bm: BusinessMetricsSetup;
  let server: RunningServer | undefined;

  beforeEach(() => {
    bm = setupBusinessMetrics({ serviceName: 'metrics-endpoint-test' });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await bm.shutdown();
  });

  async function start(bearerToken?: string): Promise<string> {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm));
    app.get('/metrics', metricsHandler(bm, bearerToken === undefined ? {} : { bearerToken }));
    app.get('/products/:id', (req, res) => {
      req.bizmetrics?.trackCartView();
      res.send('ok');
    });
    app.get('/fail', (_req, res) => {
      res.status(500).send('failed');
    });
    server = await listen(app);
    return server.url;
  }

  it('serves business and technical metrics from one exposition when mounted', async () => {
    const url = await start();
    await send(`${url}/products/1`);
    const reply = await eventually(async () => {
      const scraped = await send(`${url}/metrics`);
      expect(valueOf(scraped.text, 'http_server_request_duration_count', { http_route: '/products/:id' })).toBe(1);
      return scraped;
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    expect(valueOf(reply.text, 'business_funnel_step_total', { step: 'cart_view' })).toBe(1);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', `Bearer ${token}x`],
    ['a different scheme', `Basic ${Buffer.from(`user:${token}`).toString('base64')}`],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 with %s when a bearer token is configured', async (_case, authorization) => {
    const url = await start(token);
    const reply = await send(`${url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect((reply.json() as { error: string }).error).toContain('bearer token');
    expect(reply.text).not.toContain('business_');
  });

  it('serves the exposition with the right bearer token', async () => {
    const url = await start(token);
    const reply = await send(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('target_info');
  });

  it('refuses bad configuration at set-up', () => {
    expect(() => metricsHandler(bm, { bearerToken: 'short' })).toThrow(/at least 16 characters/);
    const withoutPrometheus = setupBusinessMetrics({ prometheus: false });
    expect(() => metricsHandler(withoutPrometheus)).toThrow(BusinessMetricsConfigError);
  });

  it('runs on a separate port with startMetricsServer', async () => {
    const metricsServer = await startMetricsServer(bm, { port: 0, bearerToken: token });
    try {
      expect(metricsServer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await send(metricsServer.url)).status).toBe(401);
      expect((await send(metricsServer.url.replace('/metrics', '/other'), { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
      const reply = await send(metricsServer.url, { headers: { authorization: `Bearer ${token}` } });
      expect(reply.status).toBe(200);
      expect(reply.text).toContain('target_info');
    } finally {
      await metricsServer.close();
    }
  });

  it('is scraped by a real Prometheus with the bearer token, and the p99 and error-rate queries work on http_server_request_duration', async () => {
    const url = await start(token);
    const prometheus = await startPrometheus({ targets: [{ job: 'shop', target: new URL(url).host, bearerToken: token }] });
    try {
      for (let i = 0; i < 5; i++) await send(`${url}/products/${i}`);
      await send(`${url}/fail`);
      await prometheus.waitFor('http_server_request_duration_count{http_route="/products/:id"}', (values) => values[0] === 5, 20_000);
      await prometheus.waitFor('count(http_server_request_duration_count{http_route="/fail"})', (values) => values[0] === 1, 20_000);
      const [products] = await prometheus.query('http_server_request_duration_count{http_route="/products/:id"}');
      expect(products?.metric).toMatchObject({ job: 'shop', http_request_method: 'GET', http_response_status_code: '200' });
      expect((await prometheus.query('up{job="shop"}'))[0]?.value).toBe(1);
      const p99 = await prometheus.query('histogram_quantile(0.99, sum by (le, http_route) (http_server_request_duration_bucket))');
      expect(p99[0]?.value).toBeGreaterThan(0);
      // Error ratio as the rules generator will write it (over counters here: the run is shorter than a rate window).
      const errorRate = await prometheus.query(
        'sum(http_server_request_duration_count{http_response_status_code=~"5.."}) / sum(http_server_request_duration_count{http_route!="/metrics"})',
      );
      expect(errorRate[0]?.value).toBeCloseTo(1 / 6, 5);
    } finally {
      await prometheus.stop();
    }
  }, 60_000);
});
