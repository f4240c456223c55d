import { funnelStepMetric } from '../catalog/businessCatalog';
import { BusinessMetricsConfigError, RefusedValueError } from '../errors';
import { businessMetricsRuntime } from '../guide/businessMetrics';
import { setupBusinessMetrics } from '../runtime/setupBusinessMetrics';
import { findSampleSum, parseExposition } from '@bizmetrics/test-support';
import type { FunnelOptions } from './defineFunnel';

const steps = ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed'] as const;
const web = { source: 'google_ads', deviceType: 'desktop', experimentVariant: 'b' };

function setup(options: Omit<FunnelOptions, 'clock'> = {}, runtimeOptions: { strict?: boolean } = {}) {
  let now = 10_000;
  const runtime = setupBusinessMetrics(runtimeOptions);
  const funnel = runtime.funnels.define('checkout', steps, { sideSteps: ['checkout_error'], ...options, clock: () => now, wallClock: () => 1_700_000_000_000 + now });
  return {
    runtime,
    funnel,
    advance(ms: number) {
      now += ms;
    },
    scrape: () => runtime.getMetrics(),
  };
}

const step = (text: string, name: string) => findSampleSum(parseExposition(text), 'business_funnel_step_total', { step: name }) ?? 0;
const abandoned = (text: string, name: string) => findSampleSum(parseExposition(text), 'business_funnel_abandoned_total', { funnel: 'checkout', step: name }) ?? 0;
const anomalies = (text: string, kind: string) => findSampleSum(parseExposition(text), 'bizmetrics_funnel_step_anomalies_total', { funnel: 'checkout', kind }) ?? 0;

describe('defineFunnel', () => {
  it('counts each step once per session through the guide metric and labels', async () => {
    const { funnel, scrape } = setup();
    const session = funnel.session('s1', web);
    session.step('cart_view');
    session.step('shipping_info');
    funnel.session('s2', { source: 'direct', deviceType: 'mobile' }).step('cart_view');
    const text = await scrape();
    expect(findSampleSum(parseExposition(text), 'business_funnel_step_total', { step: 'cart_view', source: 'google_ads', device_type: 'desktop', experiment_variant: 'b' })).toBe(1);
    expect(findSampleSum(parseExposition(text), 'business_funnel_step_total', { step: 'cart_view', source: 'direct', device_type: 'mobile', experiment_variant: 'control' })).toBe(1);
    expect(step(text, 'shipping_info')).toBe(1);
  });

  it('counts a repeated step as an anomaly, not a second step, and never throws', async () => {
    const { funnel, scrape } = setup();
    const session = funnel.session('s1', web);
    session.step('cart_view');
    // A handle per request, as in an HTTP handler: state is found by the session key.
    funnel.session('s1', web).step('cart_view');
    session.step('cart_view');
    const text = await scrape();
    expect(step(text, 'cart_view')).toBe(1);
    expect(anomalies(text, 'repeated')).toBe(2);
  });

  it('counts an out-of-order step once and flags it', async () => {
    const { funnel, scrape } = setup();
    const session = funnel.session('s1', web);
    session.step('cart_view');
    session.step('payment_info'); // skipping ahead is allowed
    session.step('shipping_info'); // going back is out of order
    session.end();
    const text = await scrape();
    expect(step(text, 'shipping_info')).toBe(1);
    expect(anomalies(text, 'out_of_order')).toBe(1);
    // Abandoned at the furthest step, not the late one.
    expect(abandoned(text, 'payment_info')).toBe(1);
  });

  it('refuses unknown steps and steps after the end as anomalies', async () => {
    const { funnel, scrape } = setup();
    const session = funnel.session('s1', web);
    session.step('not_a_step');
    session.step('cart_view');
    session.end();
    session.step('shipping_info');
    session.complete();
    const text = await scrape();
    expect(anomalies(text, 'unknown_step')).toBe(1);
    expect(anomalies(text, 'after_end')).toBe(2);
    expect(step(text, 'shipping_info')).toBe(0);
    expect(findSampleSum(parseExposition(text), 'business_conversions_total')).toBeUndefined();
  });

  it('records the conversion and time to conversion on the monotonic clock', async () => {
    const { funnel, scrape, advance } = setup();
    const session = funnel.session('s1', web);
    session.step('cart_view');
    advance(45_000);
    session.step('shipping_info');
    advance(45_000);
    session.complete({ revenue: { amountMinor: 4999, productCategory: 'books', paymentMethod: 'card', region: 'eu' } });
    const text = await scrape();
    expect(step(text, 'order_confirmed')).toBe(1);
    expect(findSampleSum(parseExposition(text), 'business_conversions_total', { conversion_type: 'purchase', source: 'google_ads', device_type: 'desktop' })).toBe(1);
    expect(findSampleSum(parseExposition(text), 'business_time_to_conversion_seconds_sum', { conversion_type: 'purchase' })).toBe(90);
    expect(findSampleSum(parseExposition(text), 'business_time_to_conversion_seconds_bucket', { conversion_type: 'purchase', le: '60' })).toBe(0);
    expect(findSampleSum(parseExposition(text), 'business_time_to_conversion_seconds_bucket', { conversion_type: 'purchase', le: '120' })).toBe(1);
    expect(findSampleSum(parseExposition(text), 'business_revenue_cents_total', { region: 'eu', currency: 'USD' })).toBe(4999);
    expect(findSampleSum(parseExposition(text), 'business_funnel_abandoned_total')).toBeUndefined();
    expect(findSampleSum(parseExposition(text), 'bizmetrics_funnel_sessions_closed_total', { funnel: 'checkout', outcome: 'converted' })).toBe(1);
  });

  it('treats reaching the last step as the conversion, once', async () => {
    const { funnel, scrape } = setup();
    const session = funnel.session('s1', web);
    session.step('cart_view');
    session.step('order_confirmed');
    session.complete();
    const text = await scrape();
    expect(findSampleSum(parseExposition(text), 'business_conversions_total')).toBe(1);
    expect(step(text, 'order_confirmed')).toBe(1);
    expect(anomalies(text, 'after_end')).toBe(1);
  });

  it('measures time to conversion from a startedAt given as a date', async () => {
    const { funnel, scrape } = setup();
    // wallClock is 1_700_000_010_000 here; the session began 10 minutes earlier on another request.
    funnel.session('s1', { ...web, startedAt: new Date(1_700_000_010_000 - 600_000) }).complete();
    expect(findSampleSum(parseExposition(await scrape()), 'business_time_to_conversion_seconds_sum')).toBe(600);
  });

  it('leaves the time to conversion out when the start is unknown', async () => {
    const { funnel, scrape } = setup();
    funnel.session('s1', web).complete();
    const text = await scrape();
    expect(findSampleSum(parseExposition(text), 'business_conversions_total')).toBe(1);
    expect(findSampleSum(parseExposition(text), 'business_time_to_conversion_seconds_count') ?? 0).toBe(0);
  });

  it('records where ended sessions were abandoned, with the experiment variant', async () => {
    const { funnel, scrape } = setup();
    const a = funnel.session('a', web);
    a.step('cart_view');
    a.step('shipping_info');
    a.end();
    const b = funnel.session('b', { ...web, experimentVariant: 'a' });
    b.step('cart_view');
    b.end();
    b.end(); // ending twice is harmless
    const text = await scrape();
    expect(findSampleSum(parseExposition(text), 'business_funnel_abandoned_total', { funnel: 'checkout', step: 'shipping_info', experiment_variant: 'b' })).toBe(1);
    expect(findSampleSum(parseExposition(text), 'business_funnel_abandoned_total', { funnel: 'checkout', step: 'cart_view', experiment_variant: 'a' })).toBe(1);
    expect(findSampleSum(parseExposition(text), 'bizmetrics_funnel_sessions_closed_total', { outcome: 'ended' })).toBe(2);
  });

  it('abandons idle sessions at the next collection, without any further step', async () => {
    const { funnel, scrape, advance } = setup({ sessionTimeoutMs: 60_000 });
    funnel.session('idle', web).step('cart_view');
    const busy = funnel.session('busy', web);
    busy.step('cart_view');
    advance(40_000);
    busy.step('shipping_info');
    advance(30_000); // idle: 70 s without a step; busy: 30 s
    let text = await scrape();
    expect(findSampleSum(parseExposition(text), 'bizmetrics_funnel_open_sessions', { funnel: 'checkout' })).toBe(1);
    text = await scrape();
    expect(abandoned(text, 'cart_view')).toBe(1);
    expect(abandoned(text, 'shipping_info')).toBe(0);
    expect(findSampleSum(parseExposition(text), 'bizmetrics_funnel_sessions_closed_total', { outcome: 'expired' })).toBe(1);
    // The expired session's key starts afresh.
    funnel.session('idle', web).step('cart_view');
    expect(step(await scrape(), 'cart_view')).toBe(3);
  });

  it('bounds open sessions and counts evicted ones as abandoned', async () => {
    const { funnel, scrape } = setup({ maxSessions: 100 });
    for (let i = 0; i < 1000; i++) funnel.session(`s${i}`, web).step('cart_view');
    expect(funnel.openSessions).toBe(100);
    const text = await scrape();
    expect(abandoned(text, 'cart_view')).toBe(900);
    expect(findSampleSum(parseExposition(text), 'bizmetrics_funnel_sessions_closed_total', { outcome: 'evicted' })).toBe(900);
    // The most recent sessions are the ones kept.
    funnel.session('s999', web).step('shipping_info');
    funnel.session('s0', web).step('shipping_info');
    expect(step(await scrape(), 'shipping_info')).toBe(2);
    expect(funnel.openSessions).toBe(100);
  });

  it('keeps session keys out of every label and bounds long keys', async () => {
    const { funnel, scrape } = setup();
    const key = `sess-${'x'.repeat(10_000)}`;
    funnel.session(key, web).step('cart_view');
    funnel.session(key, web).step('cart_view');
    funnel.session('visible-session-key-123', web).step('cart_view');
    const text = await scrape();
    expect(text).not.toContain('visible-session-key');
    expect(text).not.toContain('xxxx');
    expect(anomalies(text, 'repeated')).toBe(1);
  });

  it('drops bad session keys and contexts without throwing', async () => {
    const { funnel, scrape } = setup();
    expect(() => funnel.session(undefined as unknown as string, web).step('cart_view')).not.toThrow();
    expect(() => funnel.session('k', undefined as never).step('cart_view')).not.toThrow();
    const text = await scrape();
    expect(findSampleSum(parseExposition(text), 'bizmetrics_refused_values_total', { metric: 'business_funnel_step', reason: 'invalid_value' })).toBe(1);
    // A missing context falls back to the catalog defaults.
    expect(findSampleSum(parseExposition(text), 'business_funnel_step_total', { step: 'cart_view', source: 'direct', device_type: 'unknown' })).toBe(1);
  });

  it('lets strict mode refusals through', () => {
    const { funnel } = setup({}, { strict: true });
    expect(() => funnel.session('k', { source: 'a@b.example', deviceType: 'mobile' }).step('cart_view')).toThrow(RefusedValueError);
  });

  it('checks its definition at set-up', () => {
    const { funnels } = setupBusinessMetrics();
    expect(() => funnels.define('', steps)).toThrow(BusinessMetricsConfigError);
    expect(() => funnels.define('f', ['only'])).toThrow('at least two ordered steps');
    expect(() => funnels.define('f', ['a', 'b', 'a'])).toThrow('twice');
    expect(() => funnels.define('f', ['a', 'b'], { maxSessions: 0 })).toThrow('maxSessions');
    expect(() => funnels.define('f', ['a', 'b'], { sessionTimeoutMs: -1 })).toThrow('sessionTimeoutMs');
    const tooMany = Array.from({ length: 31 }, (_, i) => `s${i}`);
    expect(() => funnels.define('f', tooMany)).toThrow('at most 30');
    const bare = setupBusinessMetrics({ catalog: [funnelStepMetric] });
    expect(() => bare.funnels.define('f', ['a', 'b'])).toThrow('business_funnel_abandoned');
  });
});

describe('bm.funnels.checkout', () => {
  it('records into the runtime it was defined on, the guide singleton included', async () => {
    const session = businessMetricsRuntime().funnels.checkout().session('default-runtime', web);
    session.step('cart_view');
    session.end();
    const text = await businessMetricsRuntime().getMetrics();
    expect(findSampleSum(parseExposition(text), 'business_funnel_step_total', { step: 'cart_view', experiment_variant: 'b' })).toBe(1);
    expect(findSampleSum(parseExposition(text), 'business_funnel_abandoned_total', { funnel: 'checkout', step: 'cart_view' })).toBe(1);
  });


  it('is the guide funnel with checkout_error as a side step', async () => {
    const runtime = setupBusinessMetrics();
    const mine = runtime.funnels.checkout();
    expect(mine.steps).toEqual(steps);
    expect(mine.sideSteps).toEqual(['checkout_error']);
    const session = mine.session('s', web);
    session.step('cart_view');
    session.step('checkout_error');
    session.step('checkout_error');
    session.end();
    const text = await runtime.getMetrics();
    expect(step(text, 'checkout_error')).toBe(1);
    expect(abandoned(text, 'cart_view')).toBe(1);
  });
});
