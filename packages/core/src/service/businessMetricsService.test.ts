import { BusinessMetricsService, businessMetrics, setupBusinessMetrics } from '../index';
import { parseExposition, sampleValue, type ExpositionSample } from '@bizmetrics/test-support';

const now = Date.parse('2026-01-15T12:00:00Z');
const secondsAgo = (seconds: number): Date => new Date(now - seconds * 1000);

// Durations come from the clock (`new Date()`, `Date.now()`); a fixed one makes them exact. Only Date is
// faked: the SDK's timers and promises run for real.
const realTimers = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const;
beforeEach(() => {
  jest.useFakeTimers({ now, doNotFake: [...realTimers] });
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** Business samples without the OpenTelemetry scope labels, keyed for comparison. */
function businessSamples(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const sample of parseExposition(text)) {
    // The guide declares the revenue-per-minute gauge but never sets it; ours is computed from recordRevenue.
    if (!sample.name.startsWith('business_') || sample.name === 'business_revenue_per_minute_cents') continue;
    // Ours also has every other funnel step of a label set at 0 from its first step (so rate() sees rare steps).
    if (sample.name === 'business_funnel_step_total' && sample.value === 0) continue;
    const labels = Object.entries(sample.labels)
      // Scope labels are OpenTelemetry's; `currency` is ours (ISO 4217 on every amount, one value per deployment).
      .filter(([name]) => !name.startsWith('otel_scope_') && name !== 'currency')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => `${name}=${value}`);
    result.set(`${sample.name}{${labels.join(',')}}`, sample.value);
  }
  return result;
}

/** A session of guide calls touching every method. */
type GuideMethods = 'recordFunnelStep' | 'recordConversion' | 'recordRevenue' | 'recordFeatureUsage' | 'recordSessionEnd' | 'updateActiveUsers' | 'getMetrics';

function replayGuideCalls(service: Pick<BusinessMetricsService, GuideMethods>): void {
  service.recordFunnelStep('cart_view', { source: 'google_ads', deviceType: 'mobile', experimentVariant: 'variant_a' });
  service.recordFunnelStep('cart_view', { source: 'direct', deviceType: 'desktop' });
  service.recordFunnelStep('order_confirmed', { source: 'direct', deviceType: 'desktop' });
  service.recordConversion('purchase', { source: 'direct', deviceType: 'desktop', sessionStartTime: secondsAgo(95) });
  service.recordConversion('signup', { source: 'newsletter', deviceType: 'tablet', sessionStartTime: secondsAgo(4000) });
  service.recordRevenue(4999, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
  service.recordRevenue(60000, { productCategory: 'electronics', paymentMethod: 'paypal', region: 'us_west' });
  service.recordRevenue(500, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
  service.recordFeatureUsage('dashboard_export', { userTier: 'pro', isNewUser: true });
  service.recordFeatureUsage('dashboard_export', { userTier: 'free', isNewUser: false });
  service.recordSessionEnd(secondsAgo(10), { userTier: 'pro', entryPage: '/dashboard' });
  service.recordSessionEnd(secondsAgo(3599), { userTier: 'free', entryPage: '/' });
  service.updateActiveUsers('daily', new Map([['pro', 120], ['free', 4500]]));
  service.updateActiveUsers('weekly', new Map([['pro', 300]]));
}

describe('BusinessMetricsService', () => {
  it('works with no arguments and getMetrics() returns the Prometheus text exposition', async () => {
    const service = new BusinessMetricsService();
    service.recordFunnelStep('cart_view', { source: 'google_ads', deviceType: 'mobile' });
    service.recordFunnelStep('cart_view', { source: 'google_ads', deviceType: 'mobile' });
    const text = await service.getMetrics();
    expect(text).toContain('# TYPE business_funnel_step_total counter');
    const samples = parseExposition(text);
    expect(
      sampleValue(samples, 'business_funnel_step_total', {
        step: 'cart_view',
        source: 'google_ads',
        device_type: 'mobile',
        experiment_variant: 'control', // the guide's default
      }),
    ).toBe(2);
  });

  it('keeps each instance separate (each has its own provider)', async () => {
    const a = new BusinessMetricsService();
    const b = new BusinessMetricsService();
    a.recordFeatureUsage('search', { userTier: 'pro', isNewUser: false });
    expect(await b.getMetrics()).not.toContain('business_feature_usage_total{');
    expect(await a.getMetrics()).toContain('business_feature_usage_total{feature_name="search"');
  });

  it('exposes exactly what the guide prom-client service exposes for the same calls', async () => {
    // The guide's own code (prom-client), verbatim, is the reference.
    const guide = await import('../../test/fixtures/guide/prom-client-business-metrics');
    const ours = new BusinessMetricsService();
    replayGuideCalls(guide.businessMetrics);
    replayGuideCalls(ours);
    const expected = businessSamples(await guide.businessMetrics.getMetrics());
    const actual = businessSamples(await ours.getMetrics());
    expect(expected.size).toBeGreaterThan(60); // the replay reached every instrument
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
  });

  it('lets a setupBusinessMetrics() service and the typed API share instruments', async () => {
    const bm = setupBusinessMetrics();
    bm.service.recordRevenue(1000, { productCategory: 'books', paymentMethod: 'card', region: 'eu' });
    bm.metrics.count('business_revenue_cents', { product_category: 'books', payment_method: 'card', region: 'eu' }, 250);
    const samples = parseExposition(await bm.service.getMetrics());
    expect(sampleValue(samples, 'business_revenue_cents_total', { region: 'eu' })).toBe(1250);
    await bm.shutdown();
  });

  it('never throws on calls the type checker would reject (plain JavaScript callers)', async () => {
    const service = new BusinessMetricsService();
    const loose = service as unknown as Record<string, (...args: unknown[]) => void>;
    const calls: [string, unknown[]][] = [
      ['recordFunnelStep', ['cart_view', undefined]],
      ['recordFunnelStep', [{ step: 1 }, { source: 'x', deviceType: 'y' }]],
      ['recordConversion', ['purchase', undefined]],
      ['recordConversion', ['purchase', { source: 's', deviceType: 'd', sessionStartTime: '2026-01-01' }]],
      ['recordRevenue', ['12.50', { productCategory: 'books', paymentMethod: 'card', region: 'eu' }]],
      ['recordRevenue', [12.5, { productCategory: 'books', paymentMethod: 'card', region: 'eu' }]],
      ['recordRevenue', [Number.MAX_SAFE_INTEGER + 2, { productCategory: 'books', paymentMethod: 'card', region: 'eu' }]],
      ['recordFeatureUsage', ['x', null]],
      ['recordSessionEnd', [Date.now(), { userTier: 'pro', entryPage: '/' }]],
      ['recordSessionEnd', [secondsAgo(-60), { userTier: 'pro', entryPage: '/' }]],
      ['updateActiveUsers', ['hourly', new Map([['pro', 1]])]],
      ['updateActiveUsers', ['daily', { pro: 1 }]],
      ['updateActiveUsers', ['daily', new Map([['pro', 1.5]])]],
      ['updateActiveUsers', ['daily', new Map([['pro', -3]])]],
    ];
    for (const [method, args] of calls) expect(() => loose[method]?.(...args)).not.toThrow();
    const samples = parseExposition(await service.getMetrics());
    const refused = (reason: string): number =>
      samples
        .filter((s: ExpositionSample) => s.name === 'bizmetrics_refused_values_total' && s.labels['reason'] === reason)
        .reduce((sum, s) => sum + s.value, 0);
    expect(refused('invalid_value')).toBe(
      2 /* string revenue, both instruments */ + 2 /* conversion starts missing / a string */ + 1 /* session start a number */ + 1 /* counts not a Map */,
    );
    expect(refused('non_integer_value')).toBe(2 /* 12.5 */ + 2 /* unsafe integer */ + 1 /* 1.5 users */);
    expect(refused('negative_value')).toBe(1 /* session ending before it started */ + 1 /* -3 users */);
    expect(refused('invalid_label_value')).toBe(1 /* object step */ + 1 /* hourly */);
    // Metadata left out: the labels take their defaults instead of throwing on `undefined.source`.
    expect(sampleValue(samples, 'business_funnel_step_total', { step: 'cart_view' })).toBe(1);
    expect(sampleValue(samples, 'business_funnel_step_total', { step: 'cart_view', source: 'direct', device_type: 'unknown' })).toBe(1);
  });
});

describe('code copied from the guide', () => {
  it('runs unchanged against the businessMetrics singleton (CheckoutTracker)', async () => {
    const { CheckoutTracker } = await import('../../test/fixtures/guide/checkout-tracking');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const base = { sessionStartTime: secondsAgo(420), source: 'google_ads', experimentVariant: 'variant_b' };
    const mobile = new CheckoutTracker({ ...base, sessionId: 's-1', deviceType: 'mobile' });
    mobile.trackCartView(7998, 2);
    mobile.trackShippingInfo();
    mobile.trackPaymentInfo('card');
    mobile.trackOrderReview();
    mobile.trackPurchaseComplete(7998, 'books', 'card', 'eu');
    const desktop = new CheckoutTracker({ ...base, sessionId: 's-2', deviceType: 'desktop' });
    desktop.trackCartView(1500, 1);
    expect(log).toHaveBeenCalledWith('Cart viewed: 2 items, $79.98');

    const samples = parseExposition(await businessMetrics.getMetrics());
    const step = (name: string, deviceType: string): number =>
      sampleValue(samples, 'business_funnel_step_total', {
        step: name,
        source: 'google_ads',
        device_type: deviceType,
        experiment_variant: 'variant_b',
      });
    for (const name of ['cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed']) expect(step(name, 'mobile')).toBe(1);
    expect(step('cart_view', 'desktop')).toBe(1);
    expect(sampleValue(samples, 'business_conversions_total', { conversion_type: 'purchase', device_type: 'mobile' })).toBe(1);
    expect(sampleValue(samples, 'business_revenue_cents_total', { product_category: 'books', payment_method: 'card', region: 'eu' })).toBe(7998);
    expect(sampleValue(samples, 'business_order_value_cents_bucket', { product_category: 'books', le: '5000' })).toBe(0);
    expect(sampleValue(samples, 'business_order_value_cents_bucket', { product_category: 'books', le: '10000' })).toBe(1);
    // 420 s from session start to purchase: in (300, 600].
    expect(sampleValue(samples, 'business_time_to_conversion_seconds_sum', { conversion_type: 'purchase' })).toBe(420);
    expect(sampleValue(samples, 'business_time_to_conversion_seconds_bucket', { conversion_type: 'purchase', le: '300' })).toBe(0);
    expect(sampleValue(samples, 'business_time_to_conversion_seconds_bucket', { conversion_type: 'purchase', le: '600' })).toBe(1);
  });

  it('runs unchanged against the singleton (EngagementTracker)', async () => {
    const { EngagementTracker } = await import('../../test/fixtures/guide/engagement-tracking');
    const tracker = new EngagementTracker({ userTier: 'enterprise', entryPage: '/reports', isNewUser: true });
    tracker.trackFeatureUsage('report_builder');
    tracker.trackFeatureUsage('report_builder');
    tracker.trackMilestone('first_chart_created');
    jest.setSystemTime(now + 95_000);
    tracker.endSession();
    const samples = parseExposition(await businessMetrics.getMetrics());
    expect(
      sampleValue(samples, 'business_feature_usage_total', { feature_name: 'report_builder', user_tier: 'enterprise', is_new_user: 'true' }),
    ).toBe(2);
    expect(sampleValue(samples, 'business_funnel_step_total', { step: 'milestone_first_chart_created', source: 'in_app', device_type: 'web' })).toBe(1);
    expect(sampleValue(samples, 'business_session_duration_seconds_sum', { user_tier: 'enterprise', entry_page: '/reports' })).toBe(95);
    expect(sampleValue(samples, 'business_session_duration_seconds_bucket', { user_tier: 'enterprise', le: '60' })).toBe(0);
    expect(sampleValue(samples, 'business_session_duration_seconds_bucket', { user_tier: 'enterprise', le: '120' })).toBe(1);
  });
});
