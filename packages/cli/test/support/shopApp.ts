import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Histogram } from '@opentelemetry/api';
import { setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';

/** A node:http app exposing the core's Prometheus handler, with the HTTP histogram the Express adapter records. */
export interface ShopApp {
  readonly metrics: BusinessMetricsSetup;
  /** `http.server.request.duration` (unit s) on the same MeterProvider. */
  readonly requestDuration: Histogram;
  /** `host:port` of the scrape endpoint. */
  readonly target: string;
  close(): Promise<void>;
}

export async function startShopApp(): Promise<ShopApp> {
  const metrics = setupBusinessMetrics({ serviceName: 'shop', prometheus: {} });
  const prometheus = metrics.prometheus;
  if (prometheus === undefined) throw new Error('expected a Prometheus endpoint');
  const requestDuration = metrics.meterProvider.getMeter('test-http-server').createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  });
  const server: Server = createServer((request, response) => {
    if (request.url === '/metrics') prometheus.handler(request, response);
    else {
      response.statusCode = 404;
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    metrics,
    requestDuration,
    target: `127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await metrics.shutdown();
    },
  };
}

const sources = ['direct', 'google_ads', 'newsletter'];
const devices = ['desktop', 'mobile'];

/**
 * One burst of shop traffic through the guide's service API: 20 carts, 6 purchases, revenue in two
 * regions, feature use by new and old users, sessions, and HTTP requests (one 5xx). Returns the
 * number of funnel steps recorded, to know when Prometheus has scraped the burst.
 */
export function replayTraffic(app: ShopApp): number {
  const { service } = app.metrics;
  let funnelSteps = 0;
  const step = (name: string, i: number): void => {
    service.recordFunnelStep(name, { source: sources[i % sources.length] as string, deviceType: devices[i % devices.length] as string });
    funnelSteps++;
  };
  for (let i = 0; i < 20; i++) {
    step('cart_view', i);
    if (i < 12) step('shipping_info', i);
    if (i < 9) step('payment_info', i);
    if (i < 7) step('order_review', i);
    if (i < 6) {
      step('order_confirmed', i);
      service.recordConversion('purchase', {
        source: sources[i % sources.length] as string,
        deviceType: devices[i % devices.length] as string,
        sessionStartTime: new Date(Date.now() - (60 + i * 30) * 1000),
      });
      service.recordRevenue(1500 + i * 2200, {
        productCategory: i % 2 === 0 ? 'books' : 'electronics',
        paymentMethod: 'card',
        region: i % 3 === 0 ? 'eu' : 'us_west',
      });
    }
  }
  for (let i = 0; i < 5; i++) {
    service.recordFeatureUsage('dashboard_export', { userTier: 'free', isNewUser: true });
    service.recordFeatureUsage('share_link', { userTier: 'pro', isNewUser: i < 2 });
  }
  for (let i = 0; i < 4; i++) {
    service.recordSessionEnd(new Date(Date.now() - (20 + i * 100) * 1000), { userTier: i % 2 === 0 ? 'free' : 'pro', entryPage: '/' });
  }
  service.updateActiveUsers('daily', new Map([['free', 120], ['pro', 30]]));
  for (let i = 0; i < 10; i++) {
    const failed = i === 0;
    app.requestDuration.record(0.02 + i * 0.03, {
      'http.request.method': 'POST',
      'http.route': i % 2 === 0 ? '/api/checkout/complete' : '/api/cart',
      'http.response.status_code': failed ? 500 : 200,
    });
  }
  return funnelSteps;
}
