import { createServer, type Server } from 'node:http';
import { startPrometheus, type RunningPrometheus } from '@bizmetrics/test-support';
import { setupBusinessMetrics, type BusinessMetricsRuntime, type businessCatalog } from '../../src/index';

// A single rare event must show in increase(): a real Prometheus scrapes the SDK endpoint every
// second; the checkout_error series of a label set exists at 0 from that set's first step (the
// catalog declares the step's known values), so the one error recorded later is a step from 0 to 1
// that increase() sees. The control is a series born at its first increment (a feature name, no
// known values): Prometheus never sees it at 0, and increase() over it stays 0.
//
// Why `> 0.5`: the window holds several samples at 0 and then at 1, so the raw increase is exactly
// 1; Prometheus extrapolates it to the window's edges (never below the raw increase for a series
// that started at 0 inside the window), so the result is 1 or a little more. A missing first
// increment gives 0.

jest.setTimeout(120_000);

let runtime: BusinessMetricsRuntime<typeof businessCatalog>;
let server: Server;
let prometheus: RunningPrometheus | undefined;

beforeAll(async () => {
  runtime = setupBusinessMetrics({ serviceName: 'rare-event-it' });
  server = createServer((request, response) => runtime.prometheus?.handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('no address');
  prometheus = await startPrometheus({ targets: [{ job: 'bizmetrics', target: `127.0.0.1:${address.port}` }], scrapeIntervalSeconds: 1 });
});

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.shutdown();
});

test('one checkout_error recorded after a few scrapes is counted by increase()', async () => {
  const p = prometheus as RunningPrometheus;
  const shopper = { source: 'google_ads', deviceType: 'mobile', experimentVariant: 'b' };
  // Traffic as usual: a cart view. Its label set's other steps, checkout_error included, now exist at 0.
  runtime.service.recordFunnelStep('cart_view', shopper);
  runtime.service.recordFeatureUsage('dashboard_export', { userTier: 'pro', isNewUser: false });
  await p.waitFor('count(business_funnel_step_total{step="checkout_error",source="google_ads"})', (v) => v[0] === 1);
  await p.waitForScrapes('bizmetrics', 4);

  // The rare events: one checkout error, and (control) the first use of a new feature.
  runtime.service.recordFunnelStep('checkout_error', shopper);
  runtime.service.recordFeatureUsage('rare_feature', { userTier: 'pro', isNewUser: false });
  await p.waitFor('sum(business_funnel_step_total{step="checkout_error"})', (v) => v[0] === 1);
  await p.waitFor('sum(business_feature_usage_total{feature_name="rare_feature"})', (v) => v[0] === 1);
  await p.waitForScrapes('bizmetrics', 3);

  const [errors] = await p.query('sum(increase(business_funnel_step_total{step="checkout_error"}[1m]))');
  expect(errors?.value).toBeGreaterThan(0.5);
  expect(errors?.value).toBeLessThan(2);
  // Without the zero series the same single event is invisible to increase().
  const [control] = await p.query('sum(increase(business_feature_usage_total{feature_name="rare_feature"}[1m]))');
  expect(control?.value).toBe(0);
});
