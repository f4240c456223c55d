// Issue 15 Must 1: req.bizmetrics drives the core checkout funnel (once per session, abandonment,
// time to conversion), and `funnel: 'per-call'` keeps the guide's raw per-call counting.
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import type { Express } from 'express';
import { bizmetricsMiddleware, type BizmetricsMiddlewareOptions } from '../../../src/express/index';
import { expressVersions, listen, send, valueOf, type RunningServer } from '../../support/expressHarness';

describe.each(expressVersions)('the session funnel on %s', (_name, express) => {
  let bm: BusinessMetricsSetup;
  let server: RunningServer | undefined;
  let clock: number;

  beforeEach(() => {
    bm = setupBusinessMetrics({ serviceName: 'session-funnel-test' });
    clock = Date.now();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await bm.shutdown();
  });

  async function start(options: BizmetricsMiddlewareOptions = {}): Promise<string> {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm, { now: () => clock, ...options }));
    app.get('/api/cart', (req, res) => {
      req.bizmetrics?.trackCartView();
      res.json({ ok: true });
    });
    app.post('/api/cart/items', (req, res) => {
      req.bizmetrics?.trackFunnelStep('add_to_cart');
      res.status(201).json({ ok: true });
    });
    app.post('/api/checkout/:step', (req, res) => {
      const tracker = req.bizmetrics;
      const step = req.params['step'];
      if (step === 'shipping') tracker?.trackShippingInfo();
      else if (step === 'payment') tracker?.trackPaymentInfo('card');
      else if (step === 'review') tracker?.trackOrderReview();
      else if (step === 'complete') tracker?.trackPurchaseComplete(4999, 'books', 'card', 'europe');
      else if (step === 'fail') {
        res.status(502).json({ failed: true });
        return;
      }
      res.json({ ok: true });
    });
    server = await listen(app);
    return server.url;
  }

  /** One shopper: keeps the cookies the server sets, like a browser. */
  function shopper(url: string): (method: string, path: string) => Promise<number> {
    const cookies = new Map<string, string>();
    return async (method, path) => {
      const headers: Record<string, string> = {};
      if (cookies.size > 0) headers['cookie'] = [...cookies].map(([key, value]) => `${key}=${value}`).join('; ');
      const reply = await send(`${url}${path}`, { method, headers });
      const setCookie = reply.headers['set-cookie'] ?? [];
      for (const header of setCookie) {
        const [pair = ''] = header.split(';');
        const eq = pair.indexOf('=');
        cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      return reply.status;
    };
  }

  const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => valueOf(await bm.getMetrics(), name, labels);
  // A collection sweeps idle sessions; the business counters are observed before that sweep, so
  // abandonment found by one collection is exported by the next (or by any step in between).
  const afterSweep = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    await bm.getMetrics();
    return metric(name, labels);
  };

  it('counts a reloaded cart once per session, and each session once', async () => {
    const url = await start();
    const ada = shopper(url);
    for (let i = 0; i < 3; i++) expect(await ada('GET', '/api/cart')).toBe(200);
    expect(await metric('business_funnel_step_total', { step: 'cart_view' })).toBe(1);
    expect(await metric('bizmetrics_funnel_step_anomalies_total', { funnel: 'checkout', kind: 'repeated' })).toBe(2);
    const grace = shopper(url);
    await grace('GET', '/api/cart');
    await grace('GET', '/api/cart');
    expect(await metric('business_funnel_step_total', { step: 'cart_view' })).toBe(2);
    // A step outside the checkout funnel counts per call.
    await ada('POST', '/api/cart/items');
    await ada('POST', '/api/cart/items');
    expect(await metric('business_funnel_step_total', { step: 'add_to_cart' })).toBe(2);
  });

  it('records abandonment once, at the last step reached, after the session timeout', async () => {
    const url = await start({ sessionFunnel: { sessionTimeoutMs: 60_000 } });
    const ada = shopper(url);
    await ada('GET', '/api/cart');
    await ada('POST', '/api/checkout/shipping');
    clock += 59_000;
    expect(await afterSweep('business_funnel_abandoned_total', { funnel: 'checkout' })).toBe(0);
    clock += 2_000; // 61 s after the last step: the next collection sweeps the session
    expect(await afterSweep('business_funnel_abandoned_total', { funnel: 'checkout', step: 'shipping_info' })).toBe(1);
    clock += 600_000;
    expect(await afterSweep('business_funnel_abandoned_total', { funnel: 'checkout' })).toBe(1);
    expect(await metric('bizmetrics_funnel_sessions_closed_total', { funnel: 'checkout', outcome: 'expired' })).toBe(1);
    // The same shopper coming back later starts a new funnel session: counted again.
    await ada('GET', '/api/cart');
    expect(await metric('business_funnel_step_total', { step: 'cart_view' })).toBe(2);
  });

  it('records a conversion and its time to conversion once per converted session, and never abandons it', async () => {
    const url = await start({ sessionFunnel: { sessionTimeoutMs: 60_000 } });
    const ada = shopper(url);
    await ada('GET', '/api/cart'); // session starts now (first-seen cookie)
    clock += 30_000;
    await ada('GET', '/api/cart');
    for (const step of ['shipping', 'payment', 'review']) {
      clock += 10_000;
      await ada('POST', `/api/checkout/${step}`);
    }
    clock += 20_000;
    await ada('POST', '/api/checkout/complete');
    const bob = shopper(url);
    await bob('GET', '/api/cart');
    clock += 5_000;
    await bob('POST', '/api/checkout/complete'); // straight from the cart: order_confirmed counted, no skipped steps invented
    const text = await bm.getMetrics();
    expect(valueOf(text, 'business_conversions_total', { conversion_type: 'purchase' })).toBe(2);
    expect(valueOf(text, 'business_time_to_conversion_seconds_count', { conversion_type: 'purchase' })).toBe(2);
    expect(valueOf(text, 'business_time_to_conversion_seconds_sum', { conversion_type: 'purchase' })).toBeCloseTo(80 + 5, 3);
    expect(valueOf(text, 'business_funnel_step_total', { step: 'order_confirmed' })).toBe(2);
    expect(valueOf(text, 'business_funnel_step_total', { step: 'shipping_info' })).toBe(1);
    expect(valueOf(text, 'business_revenue_cents_total', { region: 'europe' })).toBe(2 * 4999);
    clock += 3_600_000;
    expect(await afterSweep('business_funnel_abandoned_total', { funnel: 'checkout' })).toBe(0);
    expect(await metric('bizmetrics_funnel_sessions_closed_total', { funnel: 'checkout', outcome: 'converted' })).toBe(2);
  });

  it('counts checkout_error (a 5xx on a checkout route) once per session', async () => {
    const url = await start();
    const ada = shopper(url);
    await ada('GET', '/api/cart');
    expect(await ada('POST', '/api/checkout/fail')).toBe(502);
    expect(await ada('POST', '/api/checkout/fail')).toBe(502);
    expect(await metric('business_funnel_step_total', { step: 'checkout_error' })).toBe(1);
  });

  it('keys sessions by the sessionId callback when given (another cookie, same app session: one count)', async () => {
    const url = await start({ context: { sessionId: (req) => req.get('x-session') } });
    for (let i = 0; i < 3; i++) await send(`${url}/api/cart`, { headers: { 'x-session': 'app-session-1' } });
    await send(`${url}/api/cart`, { headers: { 'x-session': 'app-session-2' } });
    expect(await metric('business_funnel_step_total', { step: 'cart_view' })).toBe(2);
  });

  it('counts per call, and says so once, when a request has no session id (sessionCookie: false, no sessionId callback)', async () => {
    const warnings: string[] = [];
    diag.setLogger(
      { error: () => undefined, warn: (message: string) => warnings.push(message), info: () => undefined, debug: () => undefined, verbose: () => undefined },
      DiagLogLevel.WARN,
    );
    try {
      const url = await start({ context: { sessionCookie: false } });
      for (let i = 0; i < 3; i++) await send(`${url}/api/cart`);
      expect(await metric('business_funnel_step_total', { step: 'cart_view' })).toBe(3);
      expect(await metric('bizmetrics_funnel_open_sessions', { funnel: 'checkout' })).toBe(0);
      expect(warnings.filter((message) => message.includes('without a session id')).length).toBeLessThanOrEqual(1);
    } finally {
      diag.disable();
    }
  });

  it("with funnel: 'per-call' counts every call, as the guide's CheckoutTracker, and records no abandonment", async () => {
    const url = await start({ funnel: 'per-call', sessionFunnel: { sessionTimeoutMs: 1000 } });
    const ada = shopper(url);
    for (let i = 0; i < 3; i++) await ada('GET', '/api/cart');
    await ada('POST', '/api/checkout/complete');
    await ada('POST', '/api/checkout/complete');
    clock += 3_600_000;
    await bm.getMetrics();
    const text = await bm.getMetrics();
    expect(valueOf(text, 'business_funnel_step_total', { step: 'cart_view' })).toBe(3);
    expect(valueOf(text, 'business_funnel_step_total', { step: 'order_confirmed' })).toBe(2);
    expect(valueOf(text, 'business_conversions_total', { conversion_type: 'purchase' })).toBe(2);
    expect(valueOf(text, 'business_funnel_abandoned_total')).toBe(0);
    expect(valueOf(text, 'bizmetrics_funnel_open_sessions')).toBe(0);
  });

  it('drives a funnel the app built with bm.funnels.checkout, and refuses at set-up one without the checkout steps', async () => {
    const own = bm.funnels.checkout({ sessionTimeoutMs: 10_000, clock: () => clock, wallClock: () => clock });
    const url = await start({ funnel: own });
    const ada = shopper(url);
    await ada('GET', '/api/cart');
    await ada('GET', '/api/cart');
    expect(own.openSessions).toBe(1);
    clock += 11_000;
    expect(await afterSweep('business_funnel_abandoned_total', { funnel: 'checkout', step: 'cart_view' })).toBe(1);
    expect(await metric('business_funnel_step_total', { step: 'cart_view' })).toBe(1);

    const signup = bm.funnels.define('signup', ['landing', 'verified']);
    expect(() => bizmetricsMiddleware(bm, { funnel: signup })).toThrow(/lacks the checkout steps cart_view/);
    expect(() => bizmetricsMiddleware(bm, { funnel: 'sessions' as never })).toThrow(/funnel must be 'session', 'per-call' or a Funnel/);
  });
});
