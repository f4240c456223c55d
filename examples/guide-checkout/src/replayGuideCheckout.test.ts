import { businessMetrics } from '@bizmetrics/core';
import { parseExposition, sampleSum } from '@bizmetrics/test-support';
import { replayGuideCheckout } from './replayGuideCheckout';


test('the replay reaches the scrape with the totals it reports', async () => {
  const totals = replayGuideCheckout(50);
  const samples = parseExposition(await businessMetrics.getMetrics());
  expect(sampleSum(samples, 'business_funnel_step_total', { step: 'cart_view' })).toBe(totals.cartViews);
  expect(sampleSum(samples, 'business_funnel_step_total', { step: 'order_confirmed' })).toBe(totals.purchases);
  expect(sampleSum(samples, 'business_revenue_cents_total')).toBe(totals.revenueCents);
  expect(totals.purchases).toBeGreaterThan(0);
  expect(totals.purchases).toBeLessThan(totals.cartViews);
});
