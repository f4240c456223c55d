// The simulated population: who arrives, from where, on what, and how likely they drop out at each step.
// Weights are relative; numbers are rough e-commerce shapes, not anyone's real data.

/** Where shoppers come from: a UTM source on the landing URL, a referrer, or nothing (direct). */
export type Arrival = { readonly utmSource: string } | { readonly referer: string } | { readonly direct: true };

export const arrivals: readonly (readonly [Arrival, number])[] = [
  [{ utmSource: 'google_ads' }, 30],
  [{ utmSource: 'newsletter' }, 12],
  [{ utmSource: 'facebook' }, 10],
  [{ referer: 'https://news.ycombinator.com/item?id=1' }, 8],
  [{ direct: true }, 40],
];

export interface Device {
  readonly name: string;
  readonly userAgent: string;
  /** Extra probability of leaving at each checkout step (small screens, long forms). */
  readonly extraAbandonment: number;
}

export const devices: readonly (readonly [Device, number])[] = [
  [{ name: 'windows_chrome', extraAbandonment: 0, userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36' }, 33],
  [{ name: 'mac_safari', extraAbandonment: 0, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15' }, 15],
  [{ name: 'iphone', extraAbandonment: 0.08, userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1' }, 30],
  [{ name: 'android', extraAbandonment: 0.1, userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36' }, 16],
  [{ name: 'ipad', extraAbandonment: 0.04, userAgent: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1' }, 6],
];

/** Shipping countries (the shop books revenue under the country's sales region). */
export const countries: readonly (readonly [string, number])[] = [
  ['US', 25], ['CA', 5], ['GB', 10], ['DE', 12], ['FR', 6], ['NL', 4],
  ['JP', 8], ['AU', 5], ['SG', 3], ['IN', 7], ['BR', 8], ['MX', 7],
];

/** The experiment, as an edge/experiment framework would have assigned it (cookie `bizmetrics_variant`). */
export const variants: readonly (readonly [string, number])[] = [
  ['control', 50],
  ['express_checkout', 50],
];

/** Products by popularity; the made-to-order vase (slow supplier) is the latency spike. */
export const productPicks: readonly (readonly [string, number])[] = [
  ['bk-sre', 10], ['bk-ddia', 12], ['bk-obs', 8],
  ['el-kbd', 7], ['el-hp', 6], ['el-mon', 3],
  ['hm-mug', 14], ['hm-lamp', 6], ['hm-vase', 3],
  ['ap-hoodie', 9], ['ap-tee', 12], ['ap-socks', 10],
];

export type PaymentPlan = { readonly method: 'card'; readonly cardNumber: string } | { readonly method: 'paypal' | 'apple_pay' };

/** Test cards: mostly approved, some declined by the issuer (402), a few processor failures (502). */
export const payments: readonly (readonly [PaymentPlan, number])[] = [
  [{ method: 'card', cardNumber: '4242 4242 4242 4242' }, 58],
  [{ method: 'card', cardNumber: '4000 0000 0000 0002' }, 4],
  [{ method: 'card', cardNumber: '4000 0000 0000 0119' }, 1.5],
  [{ method: 'paypal' }, 26],
  [{ method: 'apple_pay' }, 10.5],
];

/** The funnel a simulated shopper walks, in order; a plan stops after one of them. */
export const journeySteps = ['browse', 'cart_view', 'shipping_info', 'payment_info', 'order_review', 'order_confirmed'] as const;
export type JourneyStep = (typeof journeySteps)[number];

/** Base probability of leaving after each step (before the next one). */
export const leaveAfter: Readonly<Record<Exclude<JourneyStep, 'order_confirmed'>, number>> = {
  browse: 0.35, // never adds to cart / never opens it
  cart_view: 0.4,
  shipping_info: 0.15,
  payment_info: 0.1,
  order_review: 0.08,
};

/** The express_checkout variant cuts drop-off on the shipping form. */
export const variantShippingRelief: Readonly<Record<string, number>> = { control: 0, express_checkout: 0.07 };

/** Share of shoppers who sign in (the active-user count); the rest browse anonymously. */
export const signInShare = 0.6;
/** Signed-in shoppers are drawn from this many accounts, so one user comes back in several sessions. */
export const userPoolSize = 500;
/** Tier of account `n`, fixed per account: 60 % free, 30 % pro, 10 % enterprise. */
export function tierOfAccount(n: number): 'free' | 'pro' | 'enterprise' {
  const bucket = n % 10;
  return bucket < 6 ? 'free' : bucket < 9 ? 'pro' : 'enterprise';
}
/** Share of shoppers who open the cart twice (a reload): the funnel counts the step once per session. */
export const cartReloadShare = 0.25;
/** Share of orders refunded later in the session, and why. */
export const refundShare = 0.15;
export const refundReasons: readonly (readonly ['refund' | 'cancellation' | 'chargeback', number])[] = [
  ['refund', 70],
  ['cancellation', 25],
  ['chargeback', 5],
];
/** Browser-side features the shop's ingest endpoint allows (see createShop's engagementFeatures). */
export const featurePicks: readonly (readonly [string, number])[] = [
  ['catalog_filter', 60],
  ['dashboard_chart', 25],
  ['dashboard_export', 15],
];
/** Share of sessions that reach the `first_chart_created` milestone. */
export const milestoneShare = 0.1;
