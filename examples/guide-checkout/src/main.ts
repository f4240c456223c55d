// The demo until the example shop exists: the guide's checkout flow through the SDK, then the
// scrape the guide's Prometheus would read, and the guide's KPIs computed from the recorded totals.
import { businessMetrics } from '@bizmetrics/core';
import { replayGuideCheckout } from './replayGuideCheckout';

const sessions = Number(process.env['DEMO_SESSIONS'] ?? 200);
const totals = replayGuideCheckout(sessions);
const exposition = await businessMetrics.getMetrics();

process.stdout.write('# The scrape (business_* and bizmetrics_* series)\n');
for (const line of exposition.split('\n')) {
  if (/^(# (HELP|TYPE) )?(business|bizmetrics)_/.test(line) && !line.includes('_bucket{')) process.stdout.write(`${line}\n`);
}
const conversionRate = (100 * totals.purchases) / totals.cartViews;
process.stdout.write(
  [
    '',
    '# The guide\'s KPIs for this replay',
    `sessions:            ${totals.sessions}`,
    `conversion rate:     ${conversionRate.toFixed(1)}% (order_confirmed / cart_view)`,
    `cart abandonment:    ${(100 - conversionRate).toFixed(1)}%`,
    `checkout errors:     ${totals.checkoutErrors}`,
    `revenue:             $${(totals.revenueCents / 100).toFixed(2)}`,
    '',
  ].join('\n'),
);
