import { businessMetrics } from '@bizmetrics/core';
import { CheckoutTracker, type SessionContext } from './checkoutTracker';

/** What one replay recorded, for the KPI summary and the tests. */
export interface ReplayTotals {
  sessions: number;
  cartViews: number;
  purchases: number;
  checkoutErrors: number;
  revenueCents: number;
}

const sources = ['google_ads', 'direct', 'newsletter'] as const;
const devices = ['mobile', 'desktop', 'tablet'] as const;
const regions = ['us_west', 'us_east', 'eu'] as const;
const categories = ['electronics', 'books', 'apparel'] as const;
const payments = ['card', 'paypal'] as const;

function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length] as T;
}

/**
 * Replays `sessions` shoppers through the guide's checkout funnel with a fixed, deterministic
 * mix: every session views its cart, fewer reach each later step, some fail at payment.
 */
export function replayGuideCheckout(sessions: number): ReplayTotals {
  const totals: ReplayTotals = { sessions, cartViews: 0, purchases: 0, checkoutErrors: 0, revenueCents: 0 };
  for (let i = 0; i < sessions; i++) {
    const context: SessionContext = {
      sessionId: `session-${i}`,
      sessionStartTime: new Date(Date.now() - (60 + (i % 20) * 45) * 1000),
      source: pick(sources, i),
      deviceType: pick(devices, i >> 1),
      experimentVariant: i % 2 === 0 ? 'control' : 'variant_a',
    };
    const tracker = new CheckoutTracker(context);
    const orderValue = 1500 + (i % 7) * 2100;
    tracker.trackCartView(orderValue, 1 + (i % 3));
    totals.cartViews++;
    if (i % 10 >= 6) continue; // 40% leave at the cart
    tracker.trackShippingInfo();
    if (i % 10 === 5) continue;
    tracker.trackPaymentInfo(pick(payments, i));
    if (i % 10 === 4) {
      tracker.trackCheckoutError();
      totals.checkoutErrors++;
      continue;
    }
    tracker.trackOrderReview();
    if (i % 10 === 3) continue;
    tracker.trackPurchaseComplete(orderValue, pick(categories, i), pick(payments, i), pick(regions, i));
    totals.purchases++;
    totals.revenueCents += orderValue;
  }
  for (let i = 0; i < sessions; i++) {
    businessMetrics.recordFeatureUsage(i % 3 === 0 ? 'dashboard_export' : 'saved_carts', {
      userTier: i % 4 === 0 ? 'pro' : 'free',
      isNewUser: i % 5 === 0,
    });
    businessMetrics.recordSessionEnd(new Date(Date.now() - (20 + (i % 30) * 40) * 1000), {
      userTier: i % 4 === 0 ? 'pro' : 'free',
      entryPage: i % 2 === 0 ? '/' : '/dashboard',
    });
  }
  businessMetrics.updateActiveUsers('daily', new Map([['free', Math.ceil(sessions * 0.75)], ['pro', Math.floor(sessions / 4)]]));
  return totals;
}
