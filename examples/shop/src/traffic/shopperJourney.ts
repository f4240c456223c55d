import { setTimeout as sleep } from 'node:timers/promises';
import { CookieJar } from './cookieJar';
import type { ShopperPlan } from './shopperPlan';
import type { JourneyStep } from './shopperMix';

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

  async function request(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const think = (plan.thinkMs[pause++ % plan.thinkMs.length] ?? 0) * scale;
    if (think > 0) await sleep(think, undefined, { signal: options.signal });
    const headers: Record<string, string> = { 'User-Agent': plan.userAgent, Accept: 'application/json' };
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

  try {
    // Landing page: the UTM source is on this URL only; the adapter remembers it for the session.
    await request('GET', 'utmSource' in plan.arrival ? `/?utm_source=${encodeURIComponent(plan.arrival.utmSource)}&utm_medium=cpc` : '/');
    await request('GET', '/api/products');
    for (const id of plan.viewed) await request('GET', `/api/products/${id}`);
    if (plan.lastStep === 'browse') return result('abandoned');
    for (const [productId, quantity] of plan.cart) await request('POST', '/api/cart/items', { productId, quantity });

    await request('GET', '/api/cart');
    reached = 'cart_view';
    if (plan.lastStep === 'cart_view') return result('abandoned');

    const shipping = await request('POST', '/api/checkout/shipping', { ...shippingBase, country: plan.country });
    if (shipping.status !== 200) return result('failed');
    reached = 'shipping_info';
    if (plan.lastStep === 'shipping_info') return result('abandoned');

    const payment = await request('POST', '/api/checkout/payment', plan.payment);
    if (payment.status !== 200) return result('failed');
    reached = 'payment_info';
    if (plan.lastStep === 'payment_info') return result('abandoned');

    const review = await request('GET', '/api/checkout/review');
    if (review.status !== 200) return result('failed');
    reached = 'order_review';
    if (plan.lastStep === 'order_review') return result('abandoned');

    const complete = await request('POST', '/api/checkout/complete', { expectedTotalCents: review.json['totalCents'] });
    if (complete.status === 200) {
      reached = 'order_confirmed';
      return result('ordered', Number(complete.json['totalCents'] ?? 0));
    }
    return result(complete.status === 402 ? 'declined' : 'failed');
  } catch (error) {
    if (options.signal?.aborted) return result('aborted');
    return { ...result('network_error'), requests: [...requests, { method: 'ERROR', path: String((error as Error).message), status: 0 }] };
  }
}
