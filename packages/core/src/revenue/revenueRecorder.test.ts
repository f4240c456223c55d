import { funnelStepMetric } from '../catalog/businessCatalog';
import type { BusinessMetricsOptions } from '../runtime/businessMetricsOptions';
import { setupBusinessMetrics } from '../runtime/setupBusinessMetrics';
import { BusinessMetricsConfigError } from '../errors';
import { toMinorUnits } from '../money/toMinorUnits';
import { BusinessMetricsService } from '../guide/businessMetricsService';
import { findSampleSum, parseExposition } from '@bizmetrics/test-support';
import type { RevenueRecorder } from './revenueRecorder';

function setup(options: BusinessMetricsOptions = {}) {
  let now = 1_000_000;
  const runtime = setupBusinessMetrics({ ...options, revenueWindowClock: () => now });
  const recorder = runtime.revenue as RevenueRecorder;
  const service = new BusinessMetricsService(runtime);
  return {
    runtime,
    recorder,
    service,
    advance(ms: number) {
      now += ms;
    },
  };
}

const books = { productCategory: 'books', paymentMethod: 'card', region: 'eu' };

describe('revenue with currency', () => {
  it('keeps the guide names and adds the deployment currency as a label', async () => {
    const { runtime, service } = setup({ defaultCurrency: 'EUR' });
    service.recordRevenue(toMinorUnits('19.99', 'EUR'), books);
    service.recordRevenue(1, books);
    const text = await runtime.getMetrics();
    expect(findSampleSum(parseExposition(text), 'business_revenue_cents_total', { region: 'eu', currency: 'EUR', product_category: 'books', payment_method: 'card' })).toBe(2000);
    expect(findSampleSum(parseExposition(text), 'business_order_value_cents_count', { product_category: 'books', currency: 'EUR' })).toBe(2);
  });

  it('refuses a currency that is not accepted, and counts it', async () => {
    const { runtime, service } = setup();
    service.recordRevenue(500, { ...books, currency: 'JPY' });
    service.recordRevenue(500, { ...books, currency: 'USD' });
    const text = await runtime.getMetrics();
    expect(findSampleSum(parseExposition(text), 'business_revenue_cents_total')).toBe(500);
    expect(findSampleSum(parseExposition(text), 'bizmetrics_refused_values_total', { metric: 'business_revenue_cents', reason: 'invalid_label_value' })).toBe(1);
  });

  it('records accepted currencies as separate series', async () => {
    const { runtime, service } = setup({ defaultCurrency: 'USD', acceptedCurrencies: ['JPY', 'KWD'] });
    service.recordRevenue(500, { ...books, currency: 'JPY' });
    service.recordRevenue(1234, { ...books, currency: 'KWD' });
    service.recordRevenue(1999, books);
    const text = await runtime.getMetrics();
    expect(findSampleSum(parseExposition(text), 'business_revenue_cents_total', { currency: 'JPY' })).toBe(500);
    expect(findSampleSum(parseExposition(text), 'business_revenue_cents_total', { currency: 'KWD' })).toBe(1234);
    expect(findSampleSum(parseExposition(text), 'business_revenue_cents_total', { currency: 'USD' })).toBe(1999);
  });

  it('leaves custom catalogs without the revenue metrics working', () => {
    const setup = setupBusinessMetrics({ catalog: [funnelStepMetric], prometheus: false });
    expect(() => setup.metrics.count('business_funnel_step', { step: 'cart_view' })).not.toThrow();
    const runtime = setup;
    expect(runtime.revenue).toBeUndefined();
    expect(runtime.activeUsers).toBeUndefined();
  });

  it('throws at set-up on a currency that is not ISO 4217', () => {
    expect(() => setupBusinessMetrics({ defaultCurrency: 'usd' })).toThrow(BusinessMetricsConfigError);
    expect(() => setupBusinessMetrics({ acceptedCurrencies: ['EUR', 'BTC'] })).toThrow('"BTC"');
  });

  it('counts refunds in their own counter so net revenue is one subtraction', async () => {
    const { runtime, service } = setup();
    service.recordRevenue(10_000, books);
    service.recordRefund(2_500, { ...books, reason: 'cancellation' });
    service.recordRefund(1_000, books);
    const text = await runtime.getMetrics();
    const revenue = findSampleSum(parseExposition(text), 'business_revenue_cents_total') as number;
    const refunds = findSampleSum(parseExposition(text), 'business_refunds_cents_total') as number;
    expect(revenue - refunds).toBe(6_500);
    expect(findSampleSum(parseExposition(text), 'business_refunds_cents_total', { reason: 'cancellation', currency: 'USD' })).toBe(2_500);
    expect(findSampleSum(parseExposition(text), 'business_refunds_cents_total', { reason: 'refund' })).toBe(1_000);
  });

  it('drops bad amounts without throwing and keeps them out of the rolling minute', async () => {
    const { runtime, service, recorder } = setup();
    service.recordRevenue(19.99, books);
    service.recordRevenue(-5, books);
    service.recordRevenue(Number.NaN, books);
    expect(recorder.revenuePerMinute('eu')).toBe(0);
    const text = await runtime.getMetrics();
    expect(findSampleSum(parseExposition(text), 'business_revenue_cents_total')).toBeUndefined();
    expect(findSampleSum(parseExposition(text), 'bizmetrics_refused_values_total', { metric: 'business_revenue_cents' })).toBe(3);
  });
});

describe('revenue per minute', () => {
  it('is fed by recordRevenue and reported per region by the existing gauge', async () => {
    const { runtime, service, advance } = setup();
    service.recordRevenue(1000, books);
    advance(20_000);
    service.recordRevenue(500, books);
    service.recordRevenue(700, { ...books, region: 'us_west' });
    const text = await runtime.getMetrics();
    expect(findSampleSum(parseExposition(text), 'business_revenue_per_minute_cents', { region: 'eu', currency: 'USD' })).toBe(1500);
    expect(findSampleSum(parseExposition(text), 'business_revenue_per_minute_cents', { region: 'us_west' })).toBe(700);
  });

  it('falls to zero at the next scrape once sales stop for a minute', async () => {
    const { runtime, service, advance } = setup();
    service.recordRevenue(1000, books);
    advance(45_000);
    service.recordRevenue(300, books);
    expect(findSampleSum(parseExposition(await runtime.getMetrics()), 'business_revenue_per_minute_cents', { region: 'eu' })).toBe(1300);
    advance(16_000); // the first sale is 61 s old
    expect(findSampleSum(parseExposition(await runtime.getMetrics()), 'business_revenue_per_minute_cents', { region: 'eu' })).toBe(300);
    advance(60_000);
    expect(findSampleSum(parseExposition(await runtime.getMetrics()), 'business_revenue_per_minute_cents', { region: 'eu' })).toBe(0);
  });

  it('stays exact through a burst and matches the sum of the last 60 seconds', () => {
    const { recorder, service, advance } = setup();
    const history: { at: number; amount: number }[] = [];
    let t = 0;
    for (let i = 0; i < 5000; i++) {
      const step = i % 100 === 0 ? 7_000 : 13; // bursts separated by pauses
      advance(step);
      t += step;
      const amount = 1 + ((i * 7919) % 5000);
      service.recordRevenue(amount, books);
      history.push({ at: t, amount });
    }
    const nowSecond = Math.floor((1_000_000 + t) / 1000);
    const expected = history.filter((h) => nowSecond - Math.floor((1_000_000 + h.at) / 1000) < 60).reduce((sum, h) => sum + h.amount, 0);
    expect(recorder.revenuePerMinute('eu')).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });

  it('shares one window between spellings that normalise to the same region', () => {
    const { recorder, service } = setup();
    service.recordRevenue(100, books);
    service.recordRevenue(200, { ...books, region: '  eu ' });
    expect(recorder.revenuePerMinute('eu')).toBe(300);
  });
});
