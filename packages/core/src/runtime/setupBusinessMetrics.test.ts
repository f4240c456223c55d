import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BusinessMetricsConfigError, setupBusinessMetrics } from '../index';
import { findFreePort, parseExposition, sampleValue } from '@bizmetrics/test-support';
import { startHttpServer } from '../../test/support/startHttpServer';

const revenue = { productCategory: 'books', paymentMethod: 'card', region: 'eu' };

describe('setupBusinessMetrics: Prometheus', () => {
  it('serves scrapes on its own server on the given loopback port, with the resource in target_info', async () => {
    const port = await findFreePort();
    const bm = setupBusinessMetrics({
      serviceName: 'shop',
      serviceVersion: '1.4.2',
      environment: 'staging',
      resourceAttributes: { 'service.namespace': 'retail' },
      prometheus: { server: true, port, host: '127.0.0.1' },
    });
    try {
      await bm.prometheus?.ready;
      expect(bm.prometheus?.url).toBe(`http://127.0.0.1:${port}/metrics`);
      bm.service.recordRevenue(2500, revenue);
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const samples = parseExposition(await response.text());
      expect(sampleValue(samples, 'business_revenue_cents_total', { region: 'eu' })).toBe(2500);
      expect(sampleValue(samples, 'business_order_value_cents_bucket', { le: '2500' })).toBe(1);
      expect(sampleValue(samples, 'target_info')).toBe(1);
      expect(samples.find((s) => s.name === 'target_info')?.labels).toMatchObject({
        service_name: 'shop',
        service_version: '1.4.2',
        deployment_environment_name: 'staging',
        service_namespace: 'retail',
      });
      // The exporter's server answers only its endpoint.
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await bm.shutdown();
    }
    // shutdown() closed the server.
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('honours a custom endpoint path and leaving out target_info and scope labels', async () => {
    const port = await findFreePort();
    const bm = setupBusinessMetrics({
      prometheus: { server: true, port, endpoint: '/internal/metrics', withoutTargetInfo: true, withoutScopeInfo: true },
    });
    try {
      await bm.prometheus?.ready;
      bm.metrics.count('business_conversions', { conversion_type: 'purchase' });
      const text = await (await fetch(`http://127.0.0.1:${port}/internal/metrics`)).text();
      const samples = parseExposition(text);
      expect(samples.find((s) => s.name === 'target_info')).toBeUndefined();
      expect(samples.find((s) => s.name === 'business_conversions_total')?.labels).toEqual({
        conversion_type: 'purchase',
        source: 'direct',
        device_type: 'unknown',
      });
    } finally {
      await bm.shutdown();
    }
  });

  it('reports a port already in use through `ready`, without throwing at set-up', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      let bm: ReturnType<typeof setupBusinessMetrics> | undefined;
      expect(() => {
        bm = setupBusinessMetrics({ prometheus: { server: true, port } });
      }).not.toThrow();
      await expect(bm?.prometheus?.ready).rejects.toThrow(/EADDRINUSE/);
      // Recording still works; the scrape text is still there for getMetrics().
      bm?.service.recordRevenue(100, revenue);
      expect(await bm?.getMetrics()).toContain('business_revenue_cents_total');
      await bm?.shutdown();
    } finally {
      blocker.close();
    }
  });

  it('gives a handler that a plain node:http server mounts', async () => {
    const bm = setupBusinessMetrics({ serviceName: 'shop' });
    expect(bm.prometheus?.url).toBeUndefined(); // no own server by default
    const handler = bm.prometheus?.handler;
    if (handler === undefined) throw new Error('no handler');
    const app = await startHttpServer((request, response) => {
      if (request.url === '/metrics') handler(request, response);
      else response.writeHead(200).end('shop');
    });
    try {
      bm.service.recordFeatureUsage('search', { userTier: 'free', isNewUser: true });
      const response = await fetch(`${app.url}/metrics`);
      expect(response.status).toBe(200);
      const samples = parseExposition(await response.text());
      expect(sampleValue(samples, 'business_feature_usage_total', { feature_name: 'search', is_new_user: 'true' })).toBe(1);
      // Same text as getMetrics().
      expect(parseExposition(await bm.getMetrics())).toEqual(samples);
      expect(await (await fetch(`${app.url}/`)).text()).toBe('shop');
    } finally {
      await app.close();
      await bm.shutdown();
    }
  });

  it('has no Prometheus reader with prometheus: false, and says so', async () => {
    const bm = setupBusinessMetrics({ prometheus: false });
    expect(bm.prometheus).toBeUndefined();
    await expect(bm.getMetrics()).rejects.toThrow(BusinessMetricsConfigError);
    await bm.shutdown();
  });

  it('takes service.name from OTEL_SERVICE_NAME when not given', async () => {
    const previous = process.env['OTEL_SERVICE_NAME'];
    process.env['OTEL_SERVICE_NAME'] = 'from-env';
    try {
      const bm = setupBusinessMetrics();
      const samples = parseExposition(await bm.getMetrics());
      expect(samples.find((s) => s.name === 'target_info')?.labels['service_name']).toBe('from-env');
      await bm.shutdown();
    } finally {
      if (previous === undefined) delete process.env['OTEL_SERVICE_NAME'];
      else process.env['OTEL_SERVICE_NAME'] = previous;
    }
  });
});
