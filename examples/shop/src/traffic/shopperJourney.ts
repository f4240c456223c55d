import { setTimeout as sleep } from 'node:timers/promises';
import { CookieJar } from './cookieJar';
import type { ShopperPlan } from './shopperPlan';
import type { JourneyStep } from './shopperMix';
import type { LedgerStep, TrafficLedger } from './trafficLedger';

/** One request a shopper made, for logs and the reproducibility test. */
export interface JourneyRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** How a journey ended. */
export type JourneyOutcome = 'ordered' | 'declined' | 'failed' | 'abandoned' | 'aborted' | 'network_error';

export interface JourneyResult {
  readonly index: number;
  readonly outcome: JourneyOutcome;
  /** Last funnel step reached. */
  readonly lastStep: JourneyStep;
  readonly revenueCents: number;
  readonly requests: readonly JourneyRequest[];
}

export interface JourneyOptions {
  readonly baseUrl: string;
  /** Multiplies the plan's think times (0: no pauses, for tests). @default 1 */
  readonly thinkScale?: number;
  readonly signal?: AbortSignal;
  /** Where every acknowledged step, order, refund, user and engagement event is entered. */
  readonly ledger?: TrafficLedger;
}

/** Attempts at an engagement batch the ingest endpoint rate-limits (429), as the React client retries. */
const ingestAttempts = 3;

/** A per-shopper client address, sent as `X-Forwarded-For` (the shop trusts it from a local proxy only). */
export function shopperAddress(index: number): string {
  return `10.${(index >>> 16) & 255}.${(index >>> 8) & 255}.${index & 255}`;
}

const shippingBase = { name: 'Sim Shopper', street: '1 Test Street', city: 'Loopback', postalCode: '12345' };

/** Walks one plan through the shop over real HTTP, as a browser with its own cookies would. */
export async function runJourney(plan: ShopperPlan, options: JourneyOptions): Promise<JourneyResult> {
  const jar = new CookieJar();
  jar.set('bizmetrics_variant', plan.variant);
  const requests: JourneyRequest[] = [];
  const scale = options.thinkScale ?? 1;
  let pause = 0;
  let reached: JourneyStep = 'browse';
  const ledger = options.ledger;
  const session = plan.index;
  const acknowledged = (step: LedgerStep): void => ledger?.step(session, step);

  async function request(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const think = (plan.thinkMs[pause++ % plan.thinkMs.length] ?? 0) * scale;
    if (think > 0) await sleep(think, undefined, { signal: options.signal });
    const headers: Record<string, string> = { 'User-Agent': plan.userAgent, Accept: 'application/json', 'X-Forwarded-For': shopperAddress(plan.index) };
    const cookie = jar.header();
    if (cookie !== undefined) headers['Cookie'] = cookie;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if ('referer' in plan.arrival && requests.length === 0) headers['Referer'] = plan.arrival.referer;
    const response = await fetch(new URL(path, options.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
      redirect: 'manual',
    });
    jar.store(response.headers.getSetCookie());
    const text = await response.text();
    requests.push({ method, path, status: response.status });
    let json: Record<string, unknown> = {};
    if (text.startsWith('{')) json = JSON.parse(text) as Record<string, unknown>;
    return { status: response.status, json };
  }

  const result = (outcome: JourneyOutcome, revenueCents = 0): JourneyResult => ({ index: plan.index, outcome, lastStep: reached, revenueCents, requests });

  // What the React provider sends when the session ends: feature uses, a milestone, the session's end.
  async function sendEngagement(): Promise<void> {
    const at = Date.now();
    const tier = plan.user?.tier ?? 'free';
    const events: Record<string, unknown>[] = plan.features.map(({ feature, isNewUser }) => ({ type: 'feature_usage', feature, userTier: tier, isNewUser, at }));
    if (plan.milestone) events.push({ type: 'milestone', milestone: 'first_chart_created', at });
    events.push({ type: 'session_end', durationSeconds: plan.sessionSeconds, userTier: tier, entryPage: '/', at });
    for (let attempt = 1; attempt <= ingestAttempts; attempt += 1) {
      const answer = await request('POST', '/bizmetrics/events', { events });
      if (answer.status === 202) {
        ledger?.ingestAccepted(events as never);
        return;
      }
      if (answer.status !== 429 || attempt === ingestAttempts) break;
      await sleep(1000 * attempt, undefined, { signal: options.signal }); // the token bucket refills at 2 per second
    }
    ledger?.ingestRefused();
  }

  // A journey's after-life: a refund of its order, then the browser's engagement batch.
  async function finish(outcome: JourneyOutcome, revenueCents = 0): Promise<JourneyResult> {
    if (outcome === 'ordered' && plan.refund !== undefined) {
      const refund = await request('POST', '/api/orders/last/refund', { reason: plan.refund });
      if (refund.status === 200) ledger?.refund({ session, amountCents: Number(refund.json['amountCents']), reason: plan.refund });
    }
    await sendEngagement();
    ledger?.endSession(session, outcome);
    return result(outcome, revenueCents);
  }

  ledger?.startSession(session);
  try {
    // Landing page: the UTM source is on this URL only; the adapter remembers it for the session.
    await request('GET', 'utmSource' in plan.arrival ? `/?utm_source=${encodeURIComponent(plan.arrival.utmSource)}&utm_medium=cpc` : '/');
    if (plan.user !== undefined) {
      const signIn = await request('POST', '/api/account/sign-in', { userId: plan.user.id, tier: plan.user.tier });
      if (signIn.status === 200) ledger?.user(plan.user.id, plan.user.tier);
    }
    await request('GET', '/api/products');
    for (const id of plan.viewed) await request('GET', `/api/products/${id}`);
    if (plan.lastStep === 'browse') return finish('abandoned');
    for (const [productId, quantity] of plan.cart) await request('POST', '/api/cart/items', { productId, quantity });

    const cart = await request('GET', '/api/cart');
    if (cart.status === 200) acknowledged('cart_view');
    if (plan.reloadsCart) await request('GET', '/api/cart');
    reached = 'cart_view';
    if (plan.lastStep === 'cart_view') return finish('abandoned');

    const shipping = await request('POST', '/api/checkout/shipping', { ...shippingBase, country: plan.country });
    if (shipping.status !== 200) return finish('failed');
    acknowledged('shipping_info');
    reached = 'shipping_info';
    if (plan.lastStep === 'shipping_info') return finish('abandoned');

    const payment = await request('POST', '/api/checkout/payment', plan.payment);
    if (payment.status !== 200) return finish('failed');
    acknowledged('payment_info');
    reached = 'payment_info';
    if (plan.lastStep === 'payment_info') return finish('abandoned');

    const review = await request('GET', '/api/checkout/review');
    if (review.status !== 200) return finish('failed');
    acknowledged('order_review');
    reached = 'order_review';
    if (plan.lastStep === 'order_review') return finish('abandoned');

    const complete = await request('POST', '/api/checkout/complete', { expectedTotalCents: review.json['totalCents'] });
    if (complete.status === 200) {
      acknowledged('order_confirmed');
      ledger?.order({
        session,
        at: Date.now(),
        amountCents: Number(complete.json['totalCents'] ?? 0),
        category: String(complete.json['category'] ?? 'unknown'),
        paymentMethod: plan.payment.method,
        region: String(complete.json['region'] ?? 'unknown'),
      });
      reached = 'order_confirmed';
      return finish('ordered', Number(complete.json['totalCents'] ?? 0));
    }
    // A decline (402) and a processor failure (502) are both a checkout_error step.
    if (complete.status === 402 || complete.status === 502) acknowledged('checkout_error');
    return finish(complete.status === 402 ? 'declined' : 'failed');
  } catch (error) {
    if (options.signal?.aborted) {
      ledger?.endSession(session, 'aborted');
      return result('aborted');
    }
    ledger?.endSession(session, 'network_error');
    return { ...result('network_error'), requests: [...requests, { method: 'ERROR', path: String((error as Error).message), status: 0 }] };
  }
}
