import { createServer, type Server } from 'node:http';
import { BusinessMetricsService, setupBusinessMetrics, type BusinessMetricsRuntime, type businessCatalog } from '../../src/index';
import { startPrometheus, type RunningPrometheus } from '@bizmetrics/test-support';

// A real Prometheus scrapes a replayed checkout funnel; the guide's queries must give the
// hand-computed values.
//
// Sessions replayed (20 in total, all start at cart_view):
//   8 convert (all five steps; some repeat steps, which must not double-count)
//   6 end after shipping_info             → abandoned at shipping_info
//   4 end after payment_info              → abandoned at payment_info
//   2 idle out after cart_view            → abandoned at cart_view (swept by a scrape, no call)
// Conversion rate = 8 / 20 = 40 %; cart abandonment = 1 - 0.4 = 0.6;
// abandonment share: shipping_info 6/12, payment_info 4/12, cart_view 2/12.

jest.setTimeout(120_000);

const steps = ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed'];
const context = { source: 'google_ads', deviceType: 'mobile', experimentVariant: 'b' };

let runtime: BusinessMetricsRuntime<typeof businessCatalog>;
let server: Server;
let prometheus: RunningPrometheus | undefined;
let now = 0;

beforeAll(async () => {
  runtime = setupBusinessMetrics({ serviceName: 'funnel-it' });
  server = createServer((request, response) => runtime.prometheus!.handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('no address');
  prometheus = await startPrometheus({ targets: [{ job: 'bizmetrics', target: `127.0.0.1:${address.port}` }] });
});

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.shutdown();
});

test('the guide conversion-rate and abandonment queries return the hand-computed values', async () => {
  const p = prometheus as RunningPrometheus;
  // A fake monotonic clock lets the idle sessions expire without waiting for the timeout.
  const tracked = runtime.funnels.checkout({ sessionTimeoutMs: 60_000, clock: () => now });

  // Register every series at zero first, so rate() sees the whole increase after the replay.
  for (const step of steps) runtime.metrics.count('business_funnel_step', { step, source: 'google_ads', device_type: 'mobile', experiment_variant: 'b' }, 0);
  for (const step of ['cart_view', 'shipping_info', 'payment_info']) runtime.metrics.count('business_funnel_abandoned', { funnel: 'checkout', step, experiment_variant: 'b' }, 0);
  // 5 steps + checkout_error (the step label's known values) and the 5 abandonment steps, all at 0.
  await p.waitFor('count(business_funnel_step_total) + count(business_funnel_abandoned_total)', (v) => v[0] === 11);
  // Two scrapes with the zero values.
  await new Promise((resolve) => setTimeout(resolve, 2_500));

  const walk = (key: string, count: number) => {
    const session = tracked.session(key, context);
    for (const step of steps.slice(0, count)) session.step(step);
    return session;
  };
  for (let i = 0; i < 8; i++) {
    const session = walk(`convert-${i}`, 4);
    if (i % 2 === 0) session.step('shipping_info'); // repeated: counted as an anomaly only
    session.complete({ revenue: { amountMinor: 2500, productCategory: 'books', paymentMethod: 'card', region: 'eu' } });
  }
  for (let i = 0; i < 6; i++) walk(`shipping-${i}`, 2).end();
  for (let i = 0; i < 4; i++) walk(`payment-${i}`, 3).end();
  for (let i = 0; i < 2; i++) walk(`idle-${i}`, 1);
  now += 61_000; // the two idle sessions are now past the timeout; the next scrape sweeps them

  await p.waitFor('sum(business_funnel_abandoned_total)', (v) => v[0] === 12);
  await p.waitFor('sum(business_funnel_step_total{step="cart_view"})', (v) => v[0] === 20);
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // one more scrape so all series share the last timestamp

  const value = async (expr: string) => {
    const result = await p.query(expr);
    expect(result).toHaveLength(1);
    return result[0]!.value;
  };

  // The guide's conversion-rate query, verbatim.
  const conversionRate = await value(`sum(rate(business_funnel_step_total{step="order_confirmed"}[1h]))
/
sum(rate(business_funnel_step_total{step="cart_view"}[1h]))
* 100`);
  expect(conversionRate).toBeCloseTo(40, 6);

  // The guide's HighCartAbandonment expression, verbatim.
  const cartAbandonment = await value(`1 - (
  sum(rate(business_funnel_step_total{step="order_confirmed"}[1h]))
  /
  sum(rate(business_funnel_step_total{step="cart_view"}[1h]))
)`);
  expect(cartAbandonment).toBeCloseTo(0.6, 6);

  // The direct signal: where sessions were abandoned.
  const byStep = await p.query('sum by (step) (rate(business_funnel_abandoned_total[1h])) / scalar(sum(rate(business_funnel_abandoned_total[1h])))');
  const share = Object.fromEntries(byStep.map((sample) => [sample.metric['step'], sample.value]));
  expect(share['shipping_info']).toBeCloseTo(6 / 12, 6);
  expect(share['payment_info']).toBeCloseTo(4 / 12, 6);
  expect(share['cart_view']).toBeCloseTo(2 / 12, 6);

  // Abandoned sessions over sessions that started equals the guide's abandonment rate.
  const abandonedOverStarted = await value('sum(rate(business_funnel_abandoned_total[1h])) / sum(rate(business_funnel_step_total{step="cart_view"}[1h]))');
  expect(abandonedOverStarted).toBeCloseTo(cartAbandonment, 6);

  expect(await value('sum(business_conversions_total{conversion_type="purchase"})')).toBe(8);
  // The in-process rolling minute (real clock; the replay was seconds ago): all 8 orders.
  expect(await value('sum(business_revenue_per_minute_cents{region="eu",currency="USD"})')).toBe(8 * 2500);
  expect(await value('sum(business_revenue_cents_total{currency="USD"})')).toBe(8 * 2500);
  expect(await value('sum(bizmetrics_funnel_step_anomalies_total{funnel="checkout",kind="repeated"})')).toBe(4);
  expect(await value('sum(bizmetrics_funnel_sessions_closed_total{outcome="expired"})')).toBe(2);
});

test('net revenue is one subtraction of the refunds counter', async () => {
  const p = prometheus as RunningPrometheus;
  const service = new BusinessMetricsService(runtime);
  const west = { productCategory: 'books', paymentMethod: 'card', region: 'us_west' };
  // Register both series at zero, let Prometheus scrape them, then record.
  service.recordRevenue(0, west);
  service.recordRefund(0, { ...west, reason: 'cancellation' });
  // One revenue series; refunds for every known reason (refund, cancellation, chargeback) at 0.
  await p.waitFor('count(business_refunds_cents_total{region="us_west"}) + count(business_revenue_cents_total{region="us_west"})', (v) => v[0] === 4);
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  service.recordRevenue(10_000, west);
  service.recordRefund(2_500, { ...west, reason: 'cancellation' });
  await p.waitFor('sum(business_refunds_cents_total{region="us_west"})', (v) => v[0] === 2_500);
  await new Promise((resolve) => setTimeout(resolve, 1_500));

  const net = await p.query(
    'sum(business_revenue_cents_total{region="us_west"}) - sum(business_refunds_cents_total{region="us_west"})',
  );
  expect(net[0]!.value).toBe(7_500);
  // The documented query, as a share of gross so the scrape timing cancels out: 7,500 / 10,000.
  const netShare = await p.query(`(
  sum(rate(business_revenue_cents_total{region="us_west"}[5m])) - sum(rate(business_refunds_cents_total{region="us_west"}[5m]))
) / sum(rate(business_revenue_cents_total{region="us_west"}[5m]))`);
  expect(netShare[0]!.value).toBeCloseTo(0.75, 6);
  // The guide's per-region revenue query still works with the currency label added.
  const byRegion = await p.query('sum by (region) (rate(business_revenue_cents_total[5m])) * 60');
  expect(byRegion.map((sample) => sample.metric['region']).sort()).toEqual(['eu', 'us_west']);
});
