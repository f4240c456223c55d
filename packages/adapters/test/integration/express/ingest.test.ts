import { BusinessMetricsConfigError, setupBusinessMetrics, type BusinessMetricsSetup } from '@bizmetrics/core';
import { bizmetricsMiddleware, ingestHandler, type EngagementEvent, type IngestOptions } from '../../../src/express/index';
import type { Express } from 'express';
import { expressVersions, listen, samplesOf, send, userAgents, valueOf, type RequestOptions, type RunningServer } from '../../support/expressHarness';

const path = '/bizmetrics/events';
const json = { 'content-type': 'application/json' };

function batch(...events: unknown[]): string {
  return JSON.stringify({ events });
}

function feature(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'feature_usage', feature: 'dashboard_export', userTier: 'pro', isNewUser: false, at: Date.now(), ...overrides };
}

type BadCase = [description: string, request: RequestOptions, status: number, message: string];

// Every entry must be refused with nothing recorded; the names say what is wrong.
function badRequests(): BadCase[] {
  const now = Date.now();
  return [
    ['malformed JSON', { headers: json, body: '{"events": [' }, 400, 'malformed JSON'],
    ['not JSON at all', { headers: json, body: 'hello' }, 400, 'malformed JSON'],
    ['empty body', { headers: json, body: '' }, 400, 'empty body'],
    ['JSON null', { headers: json, body: 'null' }, 400, 'expected object'],
    ['JSON number', { headers: json, body: '42' }, 400, 'expected object'],
    ['top-level array', { headers: json, body: JSON.stringify([feature()]) }, 400, 'expected object'],
    ['missing Content-Type', { body: batch(feature()) }, 415, 'missing Content-Type'],
    ['form Content-Type', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: batch(feature()) }, 415, 'unsupported Content-Type'],
    ['multipart Content-Type', { headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: batch(feature()) }, 415, 'unsupported Content-Type'],
    ['non-UTF-8 charset', { headers: { 'content-type': 'application/json; charset=latin1' }, body: batch(feature()) }, 415, 'charset'],
    ['oversized body with Content-Length', { headers: json, body: batch(feature({ feature: 'a'.repeat(20_000) })) }, 413, 'exceeds the limit'],
    ['oversized chunked body', { headers: { ...json, 'transfer-encoding': 'chunked' }, body: ' '.repeat(20_000) + batch(feature()) }, 413, 'exceeds the limit'],
    ['too many events', { headers: json, body: batch(...Array.from({ length: 51 }, () => ({ type: 'funnel_step', step: 'cart_view', at: now }))) }, 400, 'too many events'],
    ['empty batch', { headers: json, body: batch() }, 400, 'empty batch'],
    ['missing events', { headers: json, body: '{}' }, 400, 'events must be an array'],
    ['events not an array', { headers: json, body: '{"events":{"0":1}}' }, 400, 'events must be an array'],
    ['unknown top-level field', { headers: json, body: JSON.stringify({ events: [feature()], extra: 1 }) }, 400, 'Unrecognized key: "extra"'],
    ['unknown event field', { headers: json, body: batch(feature({ userId: 'u-1' })) }, 400, 'Unrecognized key: "userId"'],
    ['__proto__ key', { headers: json, body: '{"events":[{"type":"feature_usage","__proto__":{"admin":true}}]}' }, 400, 'forbidden key'],
    ['constructor.prototype key', { headers: json, body: '{"events":[],"constructor":{"prototype":{"x":1}}}' }, 400, 'forbidden key'],
    ['constructor key', { headers: json, body: JSON.stringify({ events: [feature()], constructor: 1 }) }, 400, 'Unrecognized key: "constructor"'],
    ['unknown event type', { headers: json, body: batch({ type: 'page_view', at: now }) }, 400, 'type must be one of'],
    ['revenue from the client', { headers: json, body: batch({ type: 'revenue', amountCents: 100000, at: now }) }, 400, 'type must be one of'],
    ['conversion step from the client', { headers: json, body: batch({ type: 'funnel_step', step: 'order_confirmed', at: now }) }, 400, 'step must be one of'],
    ['checkout_error from the client', { headers: json, body: batch({ type: 'funnel_step', step: 'checkout_error', at: now }) }, 400, 'step must be one of'],
    ['feature name outside the pattern', { headers: json, body: batch(feature({ feature: 'Export Button' })) }, 400, 'feature must match'],
    ['feature name too long', { headers: json, body: batch(feature({ feature: `a${'b'.repeat(64)}` })) }, 400, 'feature must match'],
    ['milestone name outside the pattern', { headers: json, body: batch({ type: 'milestone', milestone: 'first-chart', at: now }) }, 400, 'milestone must match'],
    ['user tier outside the allowlist', { headers: json, body: batch(feature({ userTier: 'platinum' })) }, 400, 'userTier must be one of'],
    ['isNewUser of the wrong type', { headers: json, body: batch(feature({ isNewUser: 'yes' })) }, 400, 'expected boolean'],
    ['timestamp in the future', { headers: json, body: batch(feature({ at: now + 3_600_000 })) }, 400, 'at is in the future'],
    ['timestamp far in the past', { headers: json, body: batch(feature({ at: now - 2 * 86_400_000 })) }, 400, 'too far in the past'],
    ['timestamp as a string', { headers: json, body: batch(feature({ at: String(now) })) }, 400, 'at must be a number'],
    ['negative session duration', { headers: json, body: batch({ type: 'session_end', durationSeconds: -5, userTier: 'free', entryPage: '/', at: now }) }, 400, 'durationSeconds'],
    ['entry page not a path', { headers: json, body: batch({ type: 'session_end', durationSeconds: 30, userTier: 'free', entryPage: 'https://evil.example/', at: now }) }, 400, 'entryPage must be a path'],
    ['one bad event among good ones', { headers: json, body: batch(feature({ feature: 'leaked_feature' }), { type: 'funnel_step', step: 'cart_view', at: now }, feature({ isNewUser: 1 })) }, 400, 'events[2].isNewUser'],
    ['GET instead of POST', { method: 'GET' }, 405, 'not allowed'],
  ];
}

describe.each(expressVersions)('ingestHandler on %s', (_name, express) => {
  let bm: BusinessMetricsSetup;
  let server: RunningServer | undefined;

  beforeEach(() => {
    bm = setupBusinessMetrics({ serviceName: 'ingest-test' });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await bm.shutdown();
  });

  async function start(options: IngestOptions = {}, bodyParserFirst = false): Promise<string> {
    const app: Express = express();
    app.use(bizmetricsMiddleware(bm));
    if (bodyParserFirst) app.use(express.json());
    app.all(path, ingestHandler(bm, { rateLimit: { burst: 1000, tokensPerSecond: 100 }, ...options }));
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    server = await listen(app);
    return server.url;
  }

  const post = (url: string, body: string, headers: Record<string, string> = json): ReturnType<typeof send> =>
    send(`${url}${path}`, { method: 'POST', headers, body });

  it(`refuses ${badRequests().length} bad requests with a status and a message naming the problem, then still accepts a good batch and records only it`, async () => {
    const url = await start();
    const table = badRequests();
    expect(table.length).toBeGreaterThanOrEqual(25);
    for (const [description, request, status, message] of table) {
      const reply = await send(`${url}${path}`, { method: 'POST', ...request });
      expect({ description, status: reply.status }).toEqual({ description, status });
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect({ description, error: (reply.json() as { error: string }).error }).toEqual({ description, error: expect.stringContaining(message) });
    }
    expect((await send(`${url}/health`)).text).toBe('ok');
    let text = await bm.getMetrics();
    expect(valueOf(text, 'bizmetrics_ingest_rejected_batches_total')).toBe(table.length);
    for (const metric of ['business_feature_usage_total', 'business_funnel_step_total', 'business_session_duration_seconds_count']) {
      expect({ metric, samples: samplesOf(text, metric) }).toEqual({ metric, samples: [] });
    }

    const good = batch(
      feature(),
      { type: 'milestone', milestone: 'first_chart_created', at: Date.now() },
      { type: 'session_end', durationSeconds: 95, userTier: 'free', entryPage: '/dashboard/settings?tab=1', at: Date.now() },
      { type: 'funnel_step', step: 'shipping_info', at: Date.now() },
    );
    const reply = await post(url, good, { ...json, 'user-agent': userAgents.tablet, 'x-experiment-variant': 'variant_a' });
    expect(reply.status).toBe(202);
    expect(reply.json()).toEqual({ accepted: 4 });

    text = await bm.getMetrics();
    expect(samplesOf(text, 'business_feature_usage_total').map((s) => [s.labels, s.value])).toEqual([
      [expect.objectContaining({ feature_name: 'dashboard_export', user_tier: 'pro', is_new_user: 'false' }), 1],
    ]);
    // Recorded series only: every other known step of a label set also exists at 0 (so rate() sees rare steps).
    const recordedSteps = samplesOf(text, 'business_funnel_step_total').filter((s) => s.value !== 0);
    expect(recordedSteps.map((s) => [s.labels['step'], s.labels['source'], s.labels['device_type'], s.labels['experiment_variant'], s.value]).sort()).toEqual([
      ['milestone_first_chart_created', 'in_app', 'tablet', 'variant_a', 1],
      ['shipping_info', 'direct', 'tablet', 'variant_a', 1],
    ]);
    expect(samplesOf(text, 'business_session_duration_seconds_sum').map((s) => [s.labels['user_tier'], s.labels['entry_page'], s.value])).toEqual([['free', '/dashboard', 95]]);
    expect(valueOf(text, 'bizmetrics_ingest_accepted_events_total')).toBe(4);
    expect(valueOf(text, 'business_revenue_cents_total')).toBe(0);
    expect(valueOf(text, 'business_conversions_total')).toBe(0);
  }, 60_000);

  it('accepts the text/plain body navigator.sendBeacon sends, and application/json with a charset', async () => {
    const url = await start();
    expect((await post(url, batch(feature()), { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(202);
    expect((await post(url, batch(feature()), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(202);
    expect(valueOf(await bm.getMetrics(), 'business_feature_usage_total', { feature_name: 'dashboard_export' })).toBe(2);
  });

  it('reuses a body express.json() already parsed', async () => {
    const url = await start({}, true);
    const reply = await post(url, batch(feature({ feature: 'parsed_before' })));
    expect(reply.status).toBe(202);
    expect(valueOf(await bm.getMetrics(), 'business_feature_usage_total', { feature_name: 'parsed_before' })).toBe(1);
    // Unknown fields are still refused on a pre-parsed body.
    expect((await post(url, batch(feature({ extra: true })))).status).toBe(400);
  });

  it('rate-limits per client with a token bucket: 429 with Retry-After, refilled over time', async () => {
    let clock = Date.now();
    const url = await start({ rateLimit: { burst: 3, tokensPerSecond: 0.5 }, now: () => clock });
    for (let i = 0; i < 3; i++) expect((await post(url, batch(feature({ at: clock })))).status).toBe(202);
    const limited = await post(url, batch(feature({ at: clock })));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect((limited.json() as { error: string }).error).toContain('too many requests');
    clock += 2_000;
    expect((await post(url, batch(feature({ at: clock })))).status).toBe(202);
    expect(valueOf(await bm.getMetrics(), 'business_feature_usage_total')).toBe(4);
    expect(valueOf(await bm.getMetrics(), 'bizmetrics_ingest_rejected_batches_total', { reason: 'rate_limited' })).toBe(1);
  });

  it('keys the rate limit by the clientKey callback', async () => {
    const url = await start({ rateLimit: { burst: 1, tokensPerSecond: 0.001 }, clientKey: (req) => req.get('x-client') ?? 'anonymous' });
    expect((await post(url, batch(feature()), { ...json, 'x-client': 'a' })).status).toBe(202);
    expect((await post(url, batch(feature()), { ...json, 'x-client': 'b' })).status).toBe(202);
    expect((await post(url, batch(feature()), { ...json, 'x-client': 'a' })).status).toBe(429);
  });

  it('caps distinct feature names without an allowlist (past the cap: `other`, still counted), and honours an allowlist', async () => {
    const url = await start({ maxDistinctNames: 2 });
    expect((await post(url, batch(feature({ feature: 'one' }), feature({ feature: 'two' })))).status).toBe(202);
    const third = await post(url, batch(feature({ feature: 'one' }), feature({ feature: 'three' })));
    expect(third.status).toBe(202);
    expect(valueOf(await bm.getMetrics(), 'business_feature_usage_total', { feature_name: 'one' })).toBe(2);
    expect(valueOf(await bm.getMetrics(), 'business_feature_usage_total', { feature_name: 'other' })).toBe(1);
    expect(valueOf(await bm.getMetrics(), 'business_feature_usage_total', { feature_name: 'three' })).toBe(0);
    await server?.close();

    const listed = await start({ features: ['dashboard_export'] });
    expect((await post(listed, batch(feature({ feature: 'other_feature' })))).status).toBe(400);
  });

  it('refuses server-only steps in allowedSteps and bad limits at set-up', () => {
    expect(() => ingestHandler(bm, { allowedSteps: ['cart_view', 'order_confirmed'] })).toThrow(BusinessMetricsConfigError);
    expect(() => ingestHandler(bm, { maxEvents: 0 })).toThrow(/maxEvents/);
    expect(() => ingestHandler(bm, { rateLimit: { burst: -1 } })).toThrow(/burst/);
  });

  it('uses the session source remembered by the middleware for client funnel steps', async () => {
    const url = await start();
    const landing = await send(`${url}/health?utm_source=newsletter`);
    const cookie = String(landing.headers['set-cookie']).split(';')[0] as string;
    const event: EngagementEvent = { type: 'funnel_step', step: 'cart_view', at: Date.now() };
    expect((await post(url, batch(event), { ...json, cookie })).status).toBe(202);
    expect(valueOf(await bm.getMetrics(), 'business_funnel_step_total', { step: 'cart_view', source: 'newsletter' })).toBe(1);
  });
});
