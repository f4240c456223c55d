import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import {
  BusinessMetricsConfigError,
  businessCatalog,
  RefusedValueError,
  setupBusinessMetrics,
  type BusinessMetricsOptions,
  type BusinessMetricsRuntime,
  type MetricDefinition,
} from '../index';
import { parseExposition, type ExpositionSample } from '@bizmetrics/test-support';

type Setup = BusinessMetricsRuntime<typeof businessCatalog>;

const setups: Setup[] = [];
function setup(options: BusinessMetricsOptions = {}): Setup {
  const bm = setupBusinessMetrics(options);
  setups.push(bm);
  return bm;
}

let logger: jest.Mocked<DiagLogger>;
beforeEach(() => {
  logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn(), verbose: jest.fn() };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
});
afterEach(async () => {
  diag.disable();
  await Promise.all(setups.splice(0).map((bm) => bm.shutdown()));
});

async function scrape(bm: Setup): Promise<ExpositionSample[]> {
  return parseExposition(await bm.getMetrics());
}

/** Sum of the business samples named `name` whose labels include `labels`. */
function total(samples: readonly ExpositionSample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

function refused(samples: readonly ExpositionSample[], metric: string, reason: string): number {
  return total(samples, 'bizmetrics_refused_values_total', { metric, reason });
}

function bizmetricsWarnings(): string[] {
  return logger.warn.mock.calls.map((call) => String(call[0])).filter((message) => message.startsWith('bizmetrics'));
}

const funnelLabels = { step: 'cart_view', source: 'direct', device_type: 'mobile', experiment_variant: 'control' } as const;
const revenueLabels = { product_category: 'books', payment_method: 'card', region: 'eu' } as const;

// The OpenTelemetry SDK's shared edge-case fixtures.
const sdkFixtures = [1, -1, 1.0, Infinity, -Infinity, NaN];

describe('values: the SDK edge-case fixtures through each instrument kind', () => {
  it('counter (non-negative): records 1 and 1.0, refuses -1 as negative and the rest as invalid, never throws', async () => {
    const bm = setup();
    for (const value of sdkFixtures) expect(() => bm.metrics.count('business_funnel_step', funnelLabels, value)).not.toThrow();
    const samples = await scrape(bm);
    expect(total(samples, 'business_funnel_step_total')).toBe(2);
    expect(refused(samples, 'business_funnel_step', 'negative_value')).toBe(1);
    expect(refused(samples, 'business_funnel_step', 'invalid_value')).toBe(3);
  });

  it('histogram: records 1 and 1.0, refuses the others', async () => {
    const bm = setup();
    for (const value of sdkFixtures) bm.metrics.observe('business_session_duration_seconds', value, { user_tier: 'pro', entry_page: '/' });
    const samples = await scrape(bm);
    expect(total(samples, 'business_session_duration_seconds_count')).toBe(2);
    expect(total(samples, 'business_session_duration_seconds_sum')).toBe(2);
    expect(refused(samples, 'business_session_duration_seconds', 'negative_value')).toBe(1);
    expect(refused(samples, 'business_session_duration_seconds', 'invalid_value')).toBe(3);
  });

  it('gauge: keeps the last accepted value; a refused value does not overwrite it', async () => {
    const bm = setup();
    bm.metrics.set('business_revenue_per_minute_cents', 4200.5, { region: 'eu' });
    for (const value of [-1, Infinity, -Infinity, NaN]) bm.metrics.set('business_revenue_per_minute_cents', value, { region: 'eu' });
    const samples = await scrape(bm);
    expect(total(samples, 'business_revenue_per_minute_cents', { region: 'eu' })).toBe(4200.5);
    expect(refused(samples, 'business_revenue_per_minute_cents', 'invalid_value')).toBe(3);
  });

  it('revenue (integer cents): refuses floats, unsafe integers, strings and objects', async () => {
    const bm = setup();
    const bad: unknown[] = [...sdkFixtures.filter((v) => !Number.isSafeInteger(v) || v < 0), 12.5, 0.1, Number.MAX_SAFE_INTEGER + 2, '100', { cents: 100 }, null];
    for (const value of bad) expect(() => bm.metrics.count('business_revenue_cents', revenueLabels, value as number)).not.toThrow();
    bm.metrics.count('business_revenue_cents', revenueLabels, 1999);
    bm.metrics.count('business_revenue_cents', revenueLabels, Number.MAX_SAFE_INTEGER - 1999);
    const samples = await scrape(bm);
    expect(total(samples, 'business_revenue_cents_total')).toBe(Number.MAX_SAFE_INTEGER);
    expect(refused(samples, 'business_revenue_cents', 'non_integer_value')).toBe(3);
    expect(refused(samples, 'business_revenue_cents', 'negative_value')).toBe(1);
    expect(refused(samples, 'business_revenue_cents', 'invalid_value')).toBe(3 + 3);
  });

  it('active users (integer): refuses 1.5 users', async () => {
    const bm = setup();
    bm.metrics.set('business_active_users', 1.5, { window: 'daily', user_tier: 'pro' });
    bm.metrics.set('business_active_users', 12, { window: 'daily', user_tier: 'pro' });
    const samples = await scrape(bm);
    expect(total(samples, 'business_active_users', { window: 'daily' })).toBe(12);
    expect(refused(samples, 'business_active_users', 'non_integer_value')).toBe(1);
  });

  it('counts an unknown metric name instead of throwing', async () => {
    const bm = setup();
    const loose = bm.metrics as unknown as { count(name: string): void; observe(name: string, v: number): void; set(name: string, v: number): void };
    loose.count('business_nope');
    loose.observe('business_funnel_step', 1); // a counter is not a histogram
    loose.set('business_conversions', 1);
    expect(bm.metrics.refusedCount('unknown_metric')).toBe(3);
    expect(refused(await scrape(bm), '(unknown)', 'unknown_metric')).toBe(3);
  });
});

describe('labels', () => {
  it('refuses an undeclared label and records nothing for that call', async () => {
    const bm = setup();
    const labels = { conversion_type: 'purchase', country: 'de' } as unknown as Record<string, string>;
    expect(() => bm.metrics.count('business_conversions', labels)).not.toThrow();
    const samples = await scrape(bm);
    expect(total(samples, 'business_conversions_total')).toBe(0);
    expect(refused(samples, 'business_conversions', 'undeclared_label')).toBe(1);
  });

  it.each(['user_id', 'session_id', 'email', 'ip', 'timestamp'])('refuses the forbidden label %p at record time', async (name) => {
    const bm = setup();
    bm.metrics.count('business_conversions', { conversion_type: 'purchase', [name]: 'x' } as Record<string, string>);
    bm.metrics.observe('business_order_value_cents', 100, { product_category: 'books', [name]: 'x' } as Record<string, string>);
    const samples = await scrape(bm);
    expect(total(samples, 'business_conversions_total')).toBe(0);
    expect(total(samples, 'business_order_value_cents_count')).toBe(0);
    expect(refused(samples, 'business_conversions', 'forbidden_label')).toBe(1);
    expect(refused(samples, 'business_order_value_cents', 'forbidden_label')).toBe(1);
  });

  it.each(['user_id', 'session_id', 'email', 'ip', 'timestamp'])(
    'refuses a custom catalog declaring %p at set-up with a config error naming entry and field',
    (name) => {
      const catalog: MetricDefinition[] = [
        ...businessCatalog,
        { name: 'business_logins', kind: 'counter', unit: '{login}', description: 'Logins', owner: 'Identity', labels: [{ name, description: 'no' }] },
      ];
      expect(() => setupBusinessMetrics({ catalog })).toThrow(BusinessMetricsConfigError);
      expect(() => setupBusinessMetrics({ catalog })).toThrow(`business_logins: labels[0].name "${name}" carries personal or unbounded data`);
    },
  );

  it('normalises label values: trimmed, control characters removed, cut to maxLabelValueLength; same series after cleaning', async () => {
    const bm = setup({ maxLabelValueLength: 10 });
    bm.metrics.count('business_funnel_step', { ...funnelLabels, device_type: '  mobile\n' });
    bm.metrics.count('business_funnel_step', { ...funnelLabels, device_type: 'mobile' });
    bm.metrics.count('business_funnel_step', { ...funnelLabels, source: 'a_very_long_campaign_name' });
    const samples = await scrape(bm);
    expect(total(samples, 'business_funnel_step_total', { device_type: 'mobile', source: 'direct' })).toBe(2);
    expect(total(samples, 'business_funnel_step_total', { source: 'a_very_lon' })).toBe(1);
    // Two recorded series; the other steps of each exist at 0 (known values, see SeriesTable).
    expect(samples.filter((s) => s.name === 'business_funnel_step_total' && s.value !== 0)).toHaveLength(2);
    expect(samples.filter((s) => s.name === 'business_funnel_step_total')).toHaveLength(12);
  });

  it('gives left-out labels their default (declared or "unknown")', async () => {
    const bm = setup();
    bm.metrics.count('business_funnel_step', { step: 'cart_view' });
    const [sample] = (await scrape(bm)).filter((s) => s.name === 'business_funnel_step_total');
    expect(sample?.labels).toMatchObject({ step: 'cart_view', source: 'direct', device_type: 'unknown', experiment_variant: 'control' });
  });

  it.each([
    ['an email', 'jane@example.com', 'email'],
    ['an IPv4 address', '10.0.0.12', 'ip_address'],
    ['an IPv6 address', 'fe80::1ff:fe23:4567:890a', 'ip_address'],
    ['a UUID', '550e8400-e29b-41d4-a716-446655440000', 'opaque_identifier'],
    ['a card number', '4111111111111111', 'card_number'],
  ])('records %s as a label value under "redacted" on both the object and the positional path, and counts it', async (_name, value, family) => {
    const bm = setup();
    bm.metrics.count('business_funnel_step', { ...funnelLabels, source: value });
    bm.service.recordFunnelStep('cart_view', { source: value, deviceType: 'mobile' });
    const samples = await scrape(bm);
    const steps = samples.filter((s) => s.name === 'business_funnel_step_total' && s.value > 0);
    expect(steps.map((s) => s.labels.source)).toEqual(['redacted']);
    expect(total(samples, 'business_funnel_step_total')).toBe(2);
    expect(refused(samples, 'business_funnel_step', `personal_data_${family}`)).toBe(2);
  });

  it('refuses label values that are objects', async () => {
    const bm = setup();
    bm.metrics.count('business_funnel_step', { ...funnelLabels, source: { utm: 'x' } as unknown as string });
    expect(refused(await scrape(bm), 'business_funnel_step', 'invalid_label_value')).toBe(1);
  });

  it('refuses a label argument that is not an object', async () => {
    const bm = setup();
    bm.metrics.count('business_funnel_step', 'cart_view' as unknown as Record<string, string>);
    expect(refused(await scrape(bm), 'business_funnel_step', 'invalid_label_value')).toBe(1);
  });
});

describe('logging and strict mode', () => {
  it('logs each reason once through diag, however many values are refused', async () => {
    const bm = setup();
    for (let i = 0; i < 100; i++) bm.metrics.count('business_revenue_cents', revenueLabels, Number.NaN);
    for (let i = 0; i < 100; i++) bm.metrics.count('business_revenue_cents', revenueLabels, -5);
    for (let i = 0; i < 50; i++) bm.metrics.count('business_funnel_step', { ...funnelLabels, source: `jane${i}@example.com` });
    for (let i = 0; i < 50; i++) bm.metrics.observe('business_order_value_cents', Number.NaN, { product_category: 'books' });
    const warnings = bizmetricsWarnings();
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/business_revenue_cents.*not a finite number/);
    expect(warnings[1]).toMatch(/negative/);
    expect(warnings[2]).toMatch(/carried an e-mail address.*recorded under "redacted"/);
    // The log never quotes the refused personal data itself.
    expect(warnings.join('\n')).not.toContain('@example.com');
    const samples = await scrape(bm);
    expect(refused(samples, 'business_revenue_cents', 'invalid_value')).toBe(100);
    expect(refused(samples, 'business_revenue_cents', 'negative_value')).toBe(100);
    expect(refused(samples, 'business_funnel_step', 'personal_data_email')).toBe(50);
    expect(refused(samples, 'business_order_value_cents', 'invalid_value')).toBe(50);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it.each<[string, (bm: Setup) => void, string]>([
    ['a NaN value', (bm) => bm.metrics.count('business_funnel_step', funnelLabels, Number.NaN), 'invalid_value'],
    ['a negative value', (bm) => bm.metrics.observe('business_order_value_cents', -1, { product_category: 'books' }), 'negative_value'],
    ['float cents', (bm) => bm.service.recordRevenue(12.5, { productCategory: 'b', paymentMethod: 'c', region: 'eu' }), 'non_integer_value'],
    ['an undeclared label', (bm) => bm.metrics.count('business_conversions', { country: 'de' } as Record<string, string>), 'undeclared_label'],
    ['a forbidden label', (bm) => bm.metrics.count('business_conversions', { user_id: '1' } as Record<string, string>), 'forbidden_label'],
    ['an email label value', (bm) => bm.metrics.set('business_active_users', 1, { user_tier: 'a@b.io' }), 'personal_data_email'],
    ['an object label value', (bm) => bm.metrics.set('business_active_users', 1, { user_tier: {} as string }), 'invalid_label_value'],
    ['an unknown metric', (bm) => (bm.metrics as unknown as { count(n: string): void }).count('nope'), 'unknown_metric'],
    ['a bad active-users window', (bm) => bm.service.updateActiveUsers('hourly' as 'daily', new Map()), 'invalid_label_value'],
  ])('strict mode throws RefusedValueError for %s and records nothing', async (_name, call, reason) => {
    const bm = setup({ strict: true });
    let error: unknown;
    try {
      call(bm);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RefusedValueError);
    expect((error as RefusedValueError).reason).toBe(reason);
    const samples = await scrape(bm);
    expect(samples.filter((s) => s.name.startsWith('business_') && s.value !== 0)).toEqual([]);
  });

  it('strict mode keeps values past the cardinality cap (overflow series) without throwing', async () => {
    const bm = setup({ strict: true, cardinalityLimit: 2 });
    for (const name of ['a', 'b', 'c', 'd']) expect(() => bm.metrics.count('business_feature_usage', { feature_name: name })).not.toThrow();
    const samples = await scrape(bm);
    expect(total(samples, 'business_feature_usage_total', { otel_metric_overflow: 'true' })).toBe(2);
  });
});

describe('set-up options', () => {
  it.each([
    [{ cardinalityLimit: 0 }, /cardinalityLimit must be a positive integer, got 0/],
    [{ cardinalityLimit: 1.5 }, /cardinalityLimit/],
    [{ maxLabelValueLength: -1 }, /maxLabelValueLength must be a positive integer/],
    [{ prometheus: { port: 70000 } }, /prometheus.port must be 0-65535, got 70000/],
  ])('refuses %p with a message saying what to change', (options, message) => {
    expect(() => setupBusinessMetrics(options as BusinessMetricsOptions)).toThrow(message);
  });
});
