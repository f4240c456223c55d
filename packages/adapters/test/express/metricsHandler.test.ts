import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BusinessMetricsConfigError, setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import { bizmetricsMiddleware, metricsHandler, startMetricsServer } from '../../src/express/index';
import type { Express } from 'express';
import { eventually, expressVersions, listen, send, valueOf, type RunningServer } from './harness';

const token = 'scrape-token-0123456789abcdef';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

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
    const app = new URL(url);
    const promPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'bizmetrics-prom-'));
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: shop',
        '    metrics_path: /metrics',
        '    authorization: { type: Bearer, credentials: ' + token + ' }',
        `    static_configs: [{ targets: ['${app.host}'] }]`,
      ].join('\n'),
    );
    let prometheus: ChildProcess | undefined;
    try {
      prometheus = spawn(
        '/usr/bin/prometheus',
        [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
        { stdio: 'ignore' },
      );
      const api = `http://127.0.0.1:${promPort}`;
      await eventually(async () => expect((await send(`${api}/-/ready`)).status).toBe(200), 20_000);
      for (let i = 0; i < 5; i++) await send(`${url}/products/${i}`);
      await send(`${url}/fail`);
      const query = async (expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
        const reply = await send(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`);
        return (reply.json() as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
      };
      const result = await eventually(async () => {
        const rows = await query('http_server_request_duration_count{http_route="/products/:id"}');
        expect(rows.map((row) => Number(row.value[1]))).toEqual([5]);
        expect((await query('http_server_request_duration_count{http_route="/fail"}')).length).toBe(1);
        return rows;
      }, 20_000);
      expect(result[0]?.metric).toMatchObject({ job: 'shop', http_request_method: 'GET', http_response_status_code: '200' });
      const up = await query('up{job="shop"}');
      expect(up[0]?.value[1]).toBe('1');
      const p99 = await query('histogram_quantile(0.99, sum by (le, http_route) (http_server_request_duration_bucket))');
      expect(Number(p99[0]?.value[1])).toBeGreaterThan(0);
      // Error ratio as the rules generator will write it (over counters here: the run is shorter than a rate window).
      const errorRate = await query(
        'sum(http_server_request_duration_count{http_response_status_code=~"5.."}) / sum(http_server_request_duration_count{http_route!="/metrics"})',
      );
      expect(Number(errorRate[0]?.value[1])).toBeCloseTo(1 / 6, 5);
    } finally {
      prometheus?.kill('SIGTERM');
      await new Promise((resolve) => (prometheus?.exitCode !== null ? resolve(undefined) : prometheus.once('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
