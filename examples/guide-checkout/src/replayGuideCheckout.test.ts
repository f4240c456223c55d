import { businessMetrics } from '@bizmetrics/core';
import { replayGuideCheckout } from './replayGuideCheckout';

function sampleValue(exposition: string, prefix: string): number {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

test('the replay reaches the scrape with the totals it reports', async () => {
  const totals = replayGuideCheckout(50);
  const exposition = await businessMetrics.getMetrics();
  expect(sampleValue(exposition, 'business_funnel_step_total{step="cart_view"')).toBe(totals.cartViews);
  expect(sampleValue(exposition, 'business_funnel_step_total{step="order_confirmed"')).toBe(totals.purchases);
  expect(sampleValue(exposition, 'business_revenue_cents_total{')).toBe(totals.revenueCents);
  expect(totals.purchases).toBeGreaterThan(0);
  expect(totals.purchases).toBeLessThan(totals.cartViews);
});
