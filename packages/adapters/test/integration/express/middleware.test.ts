import { diag, DiagLogLevel } from '@opentelemetry/api';
import { setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import { bizmetricsErrorRecorder, bizmetricsMiddleware, type BizmetricsMiddlewareOptions, type ErrorRecorderOptions } from '../../../src/express/index';
import type { ErrorRequestHandler, Express } from 'express';
import { Agent } from 'node:http';
import { eventually, expressVersions, listen, samplesOf, send, userAgents, valueOf, type RunningServer } from '../../support/expressHarness';

describe.each(expressVersions)('bizmetricsMiddleware on %s', (_name, express) => {
  let bm: BusinessMetricsSetup;
  let server: RunningServer | undefined;

  beforeEach(() => {
    bm = setupBusinessMetrics({ serviceName: 'middleware-test' });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await bm.shutdown();
  });

  // The app's own error handler: its answer must reach the client untouched.
  const appErrorHandler: ErrorRequestHandler = (error: Error & { status?: number }, _req, res, _next) => {
    res.status(error.status ?? 500).json({ appError: error.message });
  };

  async function start(options: BizmetricsMiddlewareOptions = {}, recorder?: ErrorRecorderOptions): Promise<RunningServer> {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm, options));
    app.get('/', (_req, res) => {
      res.send('home');
    });
    app.get('/api/cart', (req, res) => {
      req.bizmetrics?.trackCartView(4999, 2);
      res.json({ context: req.bizmetrics?.context, sameAsLocals: res.locals.bizmetrics === req.bizmetrics });
    });
    app.get('/api/context', (req, res) => {
      const context = req.bizmetrics?.context;
      const startMs = context?.sessionStartTime.getTime();
      context?.sessionStartTime.setTime(0); // a handler changing its Date must not change another request's
      res.json({ context, startMs, port: req.socket.remotePort });
    });
    app.post('/api/checkout/shipping', (req, res) => {
      req.bizmetrics?.trackShippingInfo();
      res.json({ ok: true });
    });
    app.post('/api/checkout/payment', (req, res) => {
      req.bizmetrics?.trackPaymentInfo('card');
      res.json({ ok: true });
    });
    app.post('/api/checkout/review', (req, res) => {
      req.bizmetrics?.trackOrderReview();
      res.json({ ok: true });
    });
    app.post('/api/checkout/complete', (req, res) => {
      req.bizmetrics?.trackPurchaseComplete(4999, 'books', 'card');
      res.json({ ok: true });
    });
    app.post('/api/checkout/complete-eu', (req, res) => {
      req.bizmetrics?.trackPurchaseComplete(12000, 'electronics', 'paypal', 'eu');
      res.json({ ok: true });
    });
    app.post('/api/checkout/throws', () => {
      throw new Error('payment gateway down');
    });
    app.post('/api/checkout/declined', (_req, _res, next) => {
      next(Object.assign(new Error('card declined'), { status: 402 }));
    });
    app.post('/api/checkout/unavailable', (_req, res) => {
      res.status(503).json({ retry: true });
    });
    app.get('/api/products/fail', (_req, res) => {
      res.status(500).json({ failed: true });
    });
    if (recorder !== undefined) app.use(bizmetricsErrorRecorder(recorder));
    app.use(appErrorHandler);
    server = await listen(app);
    return server;
  }

  const funnel = async (labels: Record<string, string>): Promise<number> => valueOf(await bm.getMetrics(), 'business_funnel_step_total', labels);

  it('derives source from utm_source, device type from the User-Agent, variant from the header and region from the resolver', async () => {
    const { url } = await start({ context: { region: (req) => req.get('x-region') } });
    const reply = await send(`${url}/api/cart?utm_source=Newsletter&utm_medium=email`, {
      headers: { 'user-agent': userAgents.mobile, 'x-experiment-variant': 'variant_b', 'x-region': 'us_west' },
    });
    expect(reply.status).toBe(200);
    const body = reply.json() as { context: Record<string, unknown>; sameAsLocals: boolean };
    expect(body.context).toMatchObject({ source: 'newsletter', deviceType: 'mobile', experimentVariant: 'variant_b', region: 'us_west' });
    // The session start (a Date built on first read) is kept when the context is serialised, and it is now.
    expect(Math.abs(Date.parse(String(body.context['sessionStartTime'])) - Date.now())).toBeLessThan(5000);
    expect(body.sameAsLocals).toBe(true);
    expect(await funnel({ step: 'cart_view', source: 'newsletter', device_type: 'mobile', experiment_variant: 'variant_b' })).toBe(1);
    expect(String(reply.headers['set-cookie'])).toMatch(/^bizmetrics_session=\d+\.newsletter~[\w-]{36}; Path=\/; HttpOnly; SameSite=Lax/);
  });

  it.each([
    ['desktop', userAgents.desktop],
    ['mobile', userAgents.mobile],
    ['tablet', userAgents.tablet],
    ['bot', userAgents.bot],
  ])('classifies a %s User-Agent', async (expected, userAgent) => {
    const { url } = await start();
    const reply = await send(`${url}/api/cart`, { headers: { 'user-agent': userAgent } });
    expect((reply.json() as { context: { deviceType: string } }).context.deviceType).toBe(expected);
  });

  it('uses the defaults without any signal: direct, unknown device, control, unknown region, and sets no cookie on plain requests', async () => {
    const { url } = await start();
    const home = await send(`${url}/`);
    expect(home.headers['set-cookie']).toBeUndefined();
    const reply = await send(`${url}/api/cart`);
    expect((reply.json() as { context: object }).context).toMatchObject({ source: 'direct', deviceType: 'unknown', experimentVariant: 'control', region: 'unknown' });
    expect(await funnel({ step: 'cart_view', source: 'direct', device_type: 'unknown', experiment_variant: 'control' })).toBe(1);
  });

  it('remembers the landing source (UTM or external referrer) in the first-seen cookie for later checkout requests', async () => {
    const { url } = await start();
    const landing = await send(`${url}/?utm_source=google_ads`, { headers: { 'user-agent': userAgents.desktop } });
    const cookie = String(landing.headers['set-cookie']).split(';')[0] as string;
    expect(cookie).toMatch(/^bizmetrics_session=\d+\.google_ads~[\w-]{36}$/);
    // An internal referrer keeps the remembered source.
    await send(`${url}/api/checkout/complete`, { method: 'POST', headers: { cookie, referer: `${url}/cart`, 'user-agent': userAgents.desktop } });
    expect(await funnel({ step: 'order_confirmed', source: 'google_ads', device_type: 'desktop' })).toBe(1);

    const referred = await send(`${url}/api/cart`, { headers: { referer: 'https://www.example-blog.com/post/1' } });
    expect((referred.json() as { context: { source: string } }).context.source).toBe('example-blog.com');
  });

  it('reads the experiment variant from the cookie when the header is absent', async () => {
    const { url } = await start();
    const reply = await send(`${url}/api/cart`, { headers: { cookie: 'other=1; bizmetrics_variant=variant_a' } });
    expect((reply.json() as { context: { experimentVariant: string } }).context.experimentVariant).toBe('variant_a');
  });

  it('derives every request of a keep-alive connection from its own headers, and a session that expires mid-connection starts anew', async () => {
    let clock = Date.now();
    const { url } = await start({ now: () => clock, context: { sessionCookie: { maxSessionSeconds: 60 } } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    interface Answer { context: Record<string, string>; startMs: number; port: number; setCookie: unknown }
    const ask = async (headers: Record<string, string>, query = ''): Promise<Answer> => {
      const reply = await send(`${url}/api/context${query}`, { headers, agent });
      return { ...(reply.json() as Omit<Answer, 'setCookie'>), setCookie: reply.headers['set-cookie'] };
    };
    try {
      const startMs = clock - 10_000;
      const cookie = `theme=dark; bizmetrics_session=${startMs}.newsletter~0b8a3c4e-5f60-4d71-9e82-a3b4c5d6e7f8`;
      const first = await ask({ cookie, 'user-agent': userAgents.mobile });
      expect(first.context).toMatchObject({ source: 'newsletter', deviceType: 'mobile', experimentVariant: 'control', region: 'unknown' });
      expect(first.startMs).toBe(startMs);
      const again = await ask({ cookie, 'user-agent': userAgents.mobile });
      expect(again.port).toBe(first.port); // one connection throughout
      expect(again.context).toEqual(first.context);
      expect(again.startMs).toBe(startMs); // the first handler's setTime(0) stayed with its own Date

      expect((await ask({ cookie, 'user-agent': userAgents.desktop })).context['deviceType']).toBe('desktop');
      expect((await ask({ cookie, 'user-agent': userAgents.desktop, 'x-experiment-variant': 'variant_b' })).context['experimentVariant']).toBe('variant_b');
      expect((await ask({ cookie: `${cookie}; bizmetrics_variant=variant_c`, 'user-agent': userAgents.desktop })).context['experimentVariant']).toBe('variant_c');
      const moved = `bizmetrics_session=${startMs}.partner_site~0b8a3c4e-5f60-4d71-9e82-a3b4c5d6e7f8`;
      expect((await ask({ cookie: moved, 'user-agent': userAgents.desktop })).context['source']).toBe('partner_site');
      const campaign = await ask({ cookie: moved, 'user-agent': userAgents.desktop }, '?utm_source=spring_sale');
      expect(campaign.context['source']).toBe('spring_sale');
      expect(String(campaign.setCookie)).toContain(`bizmetrics_session=${startMs}.spring_sale`);

      clock += 120_000; // past maxSessionSeconds, with the same headers as the connection's last requests
      const expired = await ask({ cookie: moved, 'user-agent': userAgents.desktop });
      expect(expired.port).toBe(first.port);
      expect(expired.context['source']).toBe('direct');
      expect(expired.startMs).toBe(clock);
      expect(String(expired.setCookie)).toContain(`bizmetrics_session=${clock}.direct`);
    } finally {
      agent.destroy();
    }
  });

  it('calls the context callbacks on every request of a keep-alive connection', async () => {
    let calls = 0;
    const { url } = await start({ context: { region: () => `region_${++calls}` } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const headers = { cookie: `bizmetrics_session=${Date.now()}.newsletter` };
      const regions: unknown[] = [];
      for (let i = 0; i < 3; i++) regions.push(((await send(`${url}/api/context`, { headers, agent })).json() as { context: { region: string } }).context.region);
      expect(regions).toEqual(['region_1', 'region_2', 'region_3']);
    } finally {
      agent.destroy();
    }
  });

  it('calls the region callback when the region is first read (not for funnel steps), and the sessionId callback once per request that tracks a step (the session key)', async () => {
    const calls = { region: 0, sessionId: 0 };
    const { url } = await start({
      context: {
        region: () => (calls.region++, 'us_west'),
        sessionId: () => (calls.sessionId++, 'session-1'),
      },
    });
    await send(`${url}/api/checkout/shipping`, { method: 'POST' });
    expect(calls).toEqual({ region: 0, sessionId: 1 });
    await send(`${url}/api/checkout/complete`, { method: 'POST' }); // revenue is booked under the region
    expect(calls).toEqual({ region: 1, sessionId: 2 });
    expect(valueOf(await bm.getMetrics(), 'business_revenue_cents_total', { region: 'us_west' })).toBe(4999);
    const reply = await send(`${url}/api/cart`);
    expect((reply.json() as { context: object }).context).toMatchObject({ region: 'us_west', sessionId: 'session-1' });
    expect(calls).toEqual({ region: 2, sessionId: 3 });
  });

  it('lets a callback replace each field, and a callback that throws is counted while the request goes on', async () => {
    const { url } = await start({
      context: {
        source: () => 'partner_site',
        deviceType: (_req, derived) => (derived === 'unknown' ? 'kiosk' : undefined),
        experimentVariant: () => {
          throw new Error('experiment service down');
        },
        region: () => 'eu',
      },
    });
    const reply = await send(`${url}/api/cart?utm_source=ignored`);
    expect(reply.status).toBe(200);
    expect((reply.json() as { context: object }).context).toMatchObject({ source: 'partner_site', deviceType: 'kiosk', experimentVariant: 'control', region: 'eu' });
    expect(valueOf(await bm.getMetrics(), 'bizmetrics_adapter_failures_total', { stage: 'user_callback' })).toBe(1);
  });

  it('records the whole checkout funnel through the guide tracker steps', async () => {
    const { url } = await start();
    await send(`${url}/api/cart`);
    for (const step of ['shipping', 'payment', 'review', 'complete']) await send(`${url}/api/checkout/${step}`, { method: 'POST' });
    for (const step of ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed']) {
      expect(await funnel({ step })).toBe(1);
    }
    expect(await funnel({ step: 'checkout_error' })).toBe(0);
  });

  it('trackPurchaseComplete records the step, a purchase conversion with time since session start, and revenue (region from context or argument)', async () => {
    const { url } = await start({ context: { sessionStartTime: () => new Date(Date.now() - 150_000), region: () => 'us_east' } });
    await send(`${url}/api/checkout/complete`, { method: 'POST', headers: { 'user-agent': userAgents.mobile } });
    await send(`${url}/api/checkout/complete-eu`, { method: 'POST', headers: { 'user-agent': userAgents.mobile } });
    const text = await bm.getMetrics();
    expect(valueOf(text, 'business_conversions_total', { conversion_type: 'purchase', source: 'direct', device_type: 'mobile' })).toBe(2);
    expect(valueOf(text, 'business_revenue_cents_total', { product_category: 'books', payment_method: 'card', region: 'us_east' })).toBe(4999);
    expect(valueOf(text, 'business_revenue_cents_total', { product_category: 'electronics', payment_method: 'paypal', region: 'eu' })).toBe(12000);
    expect(valueOf(text, 'business_order_value_cents_count', { product_category: 'books' })).toBe(1);
    const sum = valueOf(text, 'business_time_to_conversion_seconds_sum', { conversion_type: 'purchase' });
    expect(sum).toBeGreaterThanOrEqual(300);
    expect(sum).toBeLessThan(320);
    expect(valueOf(text, 'business_time_to_conversion_seconds_bucket', { conversion_type: 'purchase', le: '120' })).toBe(0);
    expect(valueOf(text, 'business_time_to_conversion_seconds_bucket', { conversion_type: 'purchase', le: '300' })).toBe(2);
  });

  it('falls back to the first-seen cookie for the session start, and ignores a start in the future', async () => {
    const { url } = await start();
    await send(`${url}/api/checkout/complete`, { method: 'POST', headers: { cookie: `bizmetrics_session=${Date.now() - 600_000}.newsletter` } });
    let text = await bm.getMetrics();
    const sum = valueOf(text, 'business_time_to_conversion_seconds_sum');
    expect(sum).toBeGreaterThanOrEqual(599);
    expect(sum).toBeLessThan(620);
    expect(valueOf(text, 'business_conversions_total', { source: 'newsletter' })).toBe(1);

    const forged = await send(`${url}/api/checkout/complete`, { method: 'POST', headers: { cookie: `bizmetrics_session=${Date.now() + 86_400_000}.x` } });
    // A forged start is replaced by "now", and a fresh cookie is issued.
    expect(String(forged.headers['set-cookie'])).toMatch(/^bizmetrics_session=\d+\./);
    text = await bm.getMetrics();
    expect(valueOf(text, 'business_time_to_conversion_seconds_sum')).toBeLessThan(sum + 5);
  });

  it('keeps the landing source for the whole session when the session start comes from a sessionStartTime callback', async () => {
    const sessionStart = Date.now() - 200_000;
    const { url } = await start({ context: { sessionStartTime: () => sessionStart } });
    const landing = await send(`${url}/?utm_source=newsletter`);
    const cookie = String(landing.headers['set-cookie']).split(';')[0] as string;
    // The cookie carries the callback's start, so a later session (another start) cannot inherit this source.
    expect(cookie).toMatch(new RegExp(`^bizmetrics_session=${sessionStart}\\.newsletter~[\\w-]{36}$`));
    const checkout = await send(`${url}/api/checkout/complete`, { method: 'POST', headers: { cookie, referer: `${url}/cart` } });
    expect(checkout.status).toBe(200);
    expect(checkout.headers['set-cookie']).toBeUndefined();
    const text = await bm.getMetrics();
    expect(valueOf(text, 'business_conversions_total', { conversion_type: 'purchase', source: 'newsletter' })).toBe(1);
    expect(await funnel({ step: 'order_confirmed', source: 'newsletter' })).toBe(1);
    // Time to conversion still comes from the callback, not from the cookie.
    const sum = valueOf(text, 'business_time_to_conversion_seconds_sum', { conversion_type: 'purchase' });
    expect(sum).toBeGreaterThanOrEqual(199);
    expect(sum).toBeLessThan(220);
  });

  it('ignores a remembered source from an earlier session when the sessionStartTime callback reports a new session', async () => {
    let sessionStart = Date.now() - 100_000;
    const { url } = await start({ context: { sessionStartTime: () => sessionStart } });
    const landing = await send(`${url}/?utm_source=newsletter`);
    const oldCookie = String(landing.headers['set-cookie']).split(';')[0] as string;
    sessionStart = Date.now();
    const next = await send(`${url}/api/cart`, { headers: { cookie: oldCookie } });
    expect((next.json() as { context: { source: string } }).context.source).toBe('direct');
    expect(String(next.headers['set-cookie'])).toMatch(new RegExp(`^bizmetrics_session=${sessionStart}\\.direct~[\\w-]{36};`));
  });

  it('keeps a session start older than maxSessionSeconds when the callback reports it (the app owns the session length)', async () => {
    const sessionStart = Date.now() - 3 * 86_400_000;
    const { url } = await start({ context: { sessionStartTime: () => sessionStart } });
    const landing = await send(`${url}/?utm_source=partner`);
    const cookie = String(landing.headers['set-cookie']).split(';')[0] as string;
    const checkout = await send(`${url}/api/checkout/complete`, { method: 'POST', headers: { cookie } });
    expect(checkout.headers['set-cookie']).toBeUndefined();
    expect(valueOf(await bm.getMetrics(), 'business_conversions_total', { source: 'partner' })).toBe(1);
  });

  it("a checkout route that throws gets the app's own error handler response, and checkout_error is recorded", async () => {
    const { url } = await start();
    const reply = await send(`${url}/api/checkout/throws`, { method: 'POST' });
    expect(reply.status).toBe(500);
    expect(reply.json()).toEqual({ appError: 'payment gateway down' });
    await eventually(async () => expect(await funnel({ step: 'checkout_error' })).toBe(1));
  });

  it('records checkout_error once for a 5xx answer on a checkout route, never on other routes', async () => {
    const { url } = await start();
    const reply = await send(`${url}/api/checkout/unavailable`, { method: 'POST' });
    expect(reply.status).toBe(503);
    expect(reply.json()).toEqual({ retry: true });
    expect((await send(`${url}/api/products/fail`)).status).toBe(500);
    await eventually(async () => expect(await funnel({ step: 'checkout_error' })).toBe(1));
  });

  it('bizmetricsErrorRecorder records checkout_error for a server-side error (no status, or 5xx) even when the app answers with a 4xx, passing the error on unchanged', async () => {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm));
    app.post('/api/checkout/gateway', (_req, _res, next) => next(new Error('gateway timeout')));
    app.post('/api/checkout/upstream', (_req, _res, next) => next(Object.assign(new Error('bad gateway'), { statusCode: 502 })));
    app.use(bizmetricsErrorRecorder());
    // An app that hides server errors behind a 400 page: the recorder still sees what the error was.
    app.use(((error: Error, _req, res, _next) => res.status(400).json({ appError: error.message })) as ErrorRequestHandler);
    server = await listen(app);
    const reply = await send(`${server.url}/api/checkout/gateway`, { method: 'POST' });
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ appError: 'gateway timeout' });
    expect((await send(`${server.url}/api/checkout/upstream`, { method: 'POST' })).status).toBe(400);
    await eventually(async () => expect(await funnel({ step: 'checkout_error' })).toBe(2));
  });

  it('bizmetricsErrorRecorder does not count 4xx errors (validation, declined card) as checkout_error by default', async () => {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm));
    app.post('/api/checkout/address', (_req, _res, next) => next(Object.assign(new Error('postal code invalid'), { status: 422 })));
    app.post('/api/checkout/declined', (_req, _res, next) => next(Object.assign(new Error('card declined'), { status: 402 })));
    app.use(bizmetricsErrorRecorder());
    app.use(appErrorHandler);
    server = await listen(app);
    const reply = await send(`${server.url}/api/checkout/address`, { method: 'POST' });
    expect(reply.status).toBe(422);
    expect(reply.json()).toEqual({ appError: 'postal code invalid' });
    expect((await send(`${server.url}/api/checkout/declined`, { method: 'POST' })).status).toBe(402);
    await eventually(async () => expect(valueOf(await bm.getMetrics(), 'http_server_request_duration_count', { http_response_status_code: '402' })).toBe(1));
    expect(await funnel({ step: 'checkout_error' })).toBe(0);
  });

  it('bizmetricsErrorRecorder takes isCheckoutError to decide, and a throwing callback falls back to the default', async () => {
    const seen: string[] = [];
    const { url } = await start({}, {
      isCheckoutError: (error, req, res) => {
        seen.push(`${(error as Error).message} ${req.path} ${typeof res.status}`);
        return (error as { status?: number }).status === 402;
      },
    });
    const reply = await send(`${url}/api/checkout/declined`, { method: 'POST' });
    expect(reply.status).toBe(402);
    expect(reply.json()).toEqual({ appError: 'card declined' });
    await eventually(async () => expect(await funnel({ step: 'checkout_error' })).toBe(1));
    expect(seen).toEqual(['card declined /api/checkout/declined function']);
    // Not a checkout route: the callback is not asked.
    expect((await send(`${url}/api/products/fail`)).status).toBe(500);
    expect(seen).toHaveLength(1);

    await server?.close();
    const throwing = await start({}, {
      isCheckoutError: () => {
        throw new Error('callback bug');
      },
    });
    expect((await send(`${throwing.url}/api/checkout/throws`, { method: 'POST' })).status).toBe(500);
    await eventually(async () => expect(await funnel({ step: 'checkout_error' })).toBe(2));
    expect(valueOf(await bm.getMetrics(), 'bizmetrics_adapter_failures_total', { stage: 'user_callback' })).toBe(1);
  });

  it('does not record checkout_error for a 4xx next(err) without the recorder', async () => {
    const { url } = await start();
    expect((await send(`${url}/api/checkout/declined`, { method: 'POST' })).status).toBe(402);
    // The technical metric is recorded by the same 'close' listener: once it is there, the listener ran.
    await eventually(async () => expect(valueOf(await bm.getMetrics(), 'http_server_request_duration_count', { http_response_status_code: '402' })).toBe(1));
    expect(await funnel({ step: 'checkout_error' })).toBe(0);
  });

  it('keeps client-controlled labels bounded: past maxDistinctValues new sources become "other"', async () => {
    const { url } = await start({ context: { maxDistinctValues: 5 } });
    for (let i = 0; i < 20; i++) await send(`${url}/api/cart?utm_source=campaign_${i}`);
    const sources = new Set(samplesOf(await bm.getMetrics(), 'business_funnel_step_total', { step: 'cart_view' }).map((sample) => sample.labels['source']));
    expect(sources).toEqual(new Set(['campaign_0', 'campaign_1', 'campaign_2', 'campaign_3', 'campaign_4', 'other']));
    expect(await funnel({ step: 'cart_view', source: 'other' })).toBe(15);
  });

  it('normalises hostile values: characters outside [a-z0-9_.-] are folded, values are cut to 64 characters', async () => {
    const { url } = await start();
    const reply = await send(`${url}/api/cart?utm_source=${encodeURIComponent('<script>Alert(1)</script>' + 'x'.repeat(200))}`, {
      headers: { 'x-experiment-variant': 'B"; DROP' },
    });
    const context = (reply.json() as { context: { source: string; experimentVariant: string } }).context;
    expect(context.source).toMatch(/^[a-z0-9_.-]{1,64}$/);
    expect(context.source.startsWith('script_alert_1_')).toBe(true);
    expect(context.experimentVariant).toBe('b_drop');
  });

  it('counts and logs once a failure inside the adapter, and the request goes on', async () => {
    const warnings: string[] = [];
    diag.setLogger(
      { error: () => undefined, warn: (message: string) => warnings.push(message), info: () => undefined, debug: () => undefined, verbose: () => undefined },
      DiagLogLevel.WARN,
    );
    const { recordFunnelStep } = bm.service;
    try {
      bm.service.recordFunnelStep = () => {
        throw new TypeError('instrument exploded');
      };
      const app: Express = express();
      app.use(bizmetricsMiddleware(bm, { funnel: 'per-call' }));
      app.get('/api/cart', (req, res) => {
        req.bizmetrics?.trackCartView();
        res.json({ served: true });
      });
      server = await listen(app);
      for (let i = 0; i < 3; i++) {
        const reply = await send(`${server.url}/api/cart`);
        expect(reply.status).toBe(200);
        expect(reply.json()).toEqual({ served: true });
      }
      expect(valueOf(await bm.getMetrics(), 'bizmetrics_adapter_failures_total', { stage: 'tracker' })).toBe(3);
      expect(warnings.filter((message) => message.includes('tracker failed'))).toHaveLength(1);
      expect(warnings[0]).toContain('instrument exploded');
    } finally {
      bm.service.recordFunnelStep = recordFunnelStep;
      diag.disable();
    }
  });
});
