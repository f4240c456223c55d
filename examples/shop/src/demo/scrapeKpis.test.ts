import { kpisFromScrapes } from './scrapeKpis';
import { parseScrape } from './scrapeSamples';

// Shaped like the OTel JS Prometheus exporter's output (HELP/UNIT/TYPE lines, scope labels).
function exposition(cartViews: number, confirmed: number, errors: number, euRevenue: number, books: number[], abandoned = 0): string {
  const bounds = [500, 1000, 2500, 5000, 10000, 25000, 50000];
  const buckets = bounds.map((le) => `business_order_value_cents_bucket{product_category="books",otel_scope_name="bizmetrics",le="${le}"} ${books.filter((v) => v <= le).length}`);
  return [
    '# HELP target_info Target metadata',
    '# TYPE target_info gauge',
    'target_info{service_name="shop"} 1',
    '# HELP business_funnel_step_total Counts progression through conversion funnel steps',
    '# TYPE business_funnel_step_total counter',
    `business_funnel_step_total{step="cart_view",source="direct",device_type="mobile",experiment_variant="control",otel_scope_name="bizmetrics"} ${cartViews}`,
    `business_funnel_step_total{step="order_confirmed",source="direct",device_type="mobile",experiment_variant="control",otel_scope_name="bizmetrics"} ${confirmed}`,
    `business_funnel_step_total{step="checkout_error",source="direct",device_type="mobile",experiment_variant="control",otel_scope_name="bizmetrics"} ${errors}`,
    '# HELP business_funnel_abandoned_total Sessions that left a funnel',
    '# TYPE business_funnel_abandoned_total counter',
    `business_funnel_abandoned_total{funnel="checkout",step="cart_view",experiment_variant="control",otel_scope_name="bizmetrics"} ${abandoned}`,
    `business_funnel_abandoned_total{funnel="signup",step="landing",experiment_variant="control",otel_scope_name="bizmetrics"} ${abandoned * 3}`,
    '# HELP business_revenue_cents_total Total revenue in cents',
    '# UNIT business_revenue_cents_total cents',
    '# TYPE business_revenue_cents_total counter',
    `business_revenue_cents_total{product_category="books",payment_method="card",region="europe",otel_scope_name="bizmetrics"} ${euRevenue}`,
    `business_revenue_cents_total{product_category="books",payment_method="card",region="asia_pacific",otel_scope_name="bizmetrics"} 0`,
    '# HELP business_order_value_cents Distribution of order values in cents',
    '# TYPE business_order_value_cents histogram',
    `business_order_value_cents_count{product_category="books",otel_scope_name="bizmetrics"} ${books.length}`,
    `business_order_value_cents_sum{product_category="books",otel_scope_name="bizmetrics"} ${books.reduce((a, b) => a + b, 0)}`,
    ...buckets,
    `business_order_value_cents_bucket{product_category="books",otel_scope_name="bizmetrics",le="+Inf"} ${books.length}`,
    '',
  ].join('\n');
}

describe('embedded KPIs from two scrapes', () => {
  it('computes the guide\'s numbers from counter increases between the scrapes', () => {
    const older = parseScrape(exposition(10, 2, 1, 9000, [4000], 5));
    const newer = parseScrape(exposition(50, 12, 4, 39000, [4000, 3000, 3000, 7000], 25));
    const kpis = kpisFromScrapes(older, newer, 30);
    expect(kpis.conversionRatePercent).toBeCloseTo(25); // 10 / 40
    expect(kpis.cartAbandonmentPercent).toBeCloseTo(75);
    // The funnel's own count next to the ratio: 20 checkout sessions abandoned per 40 cart views (the signup funnel left out).
    expect(kpis.abandonedSessions).toBe(20);
    expect(kpis.funnelAbandonmentPercent).toBeCloseTo(50);
    expect(kpis.revenuePerMinuteByRegion).toEqual({ europe: 60000 }); // 30000 cents in 30 s; zero regions left out
    expect(kpis.averageOrderValueCents).toBeCloseTo(13000 / 3);
    // 3 new orders: 3000, 3000 (le 5000) and 7000 (le 10000): rank 1.5 falls in (2500, 5000] holding 2 → 2500 + 2500 × 1.5/2
    expect(kpis.medianOrderValueByCategory['books']).toBeCloseTo(4375);
    expect(kpis.checkoutErrorsPerMinute).toBeCloseTo(6);
  });

  it('counts a counter reset as an increase from zero, as Prometheus does', () => {
    const kpis = kpisFromScrapes(parseScrape(exposition(100, 30, 0, 50000, [])), parseScrape(exposition(8, 2, 0, 1000, [])), 60);
    expect(kpis.conversionRatePercent).toBeCloseTo(25);
    expect(kpis.revenuePerMinuteByRegion['europe']).toBeCloseTo(1000);
  });

  it('reports no conversion rate before the first cart view instead of dividing by zero', () => {
    const scrape = parseScrape(exposition(0, 0, 0, 0, []));
    const kpis = kpisFromScrapes(scrape, scrape, 5);
    expect(kpis.conversionRatePercent).toBeUndefined();
    expect(kpis.averageOrderValueCents).toBeUndefined();
    expect(kpis.medianOrderValueByCategory).toEqual({});
  });
});
