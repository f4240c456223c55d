import { testCards } from '../../src/server/paymentProcessor';
import { parseExposition, sampleSum } from '@bizmetrics/test-support';
import { shopper, startTestShop, type ShopUnderTest } from '../support/shopHarness';

const address = { name: 'Ada Lovelace', street: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

describe('checkout API', () => {
  let shop: ShopUnderTest;
  beforeAll(async () => {
    shop = await startTestShop();
  });
  afterAll(async () => {
    await shop.stop();
  });

  async function readyForCompletion(card: string) {
    const call = shopper(shop.url);
    expect((await call('POST', '/api/cart/items', { productId: 'el-hp', quantity: 1 })).status).toBe(201);
    expect((await call('GET', '/api/cart')).status).toBe(200);
    expect((await call('POST', '/api/checkout/shipping', address)).status).toBe(200);
    expect((await call('POST', '/api/checkout/payment', { method: 'card', cardNumber: card })).status).toBe(200);
    expect((await call('GET', '/api/checkout/review')).status).toBe(200);
    return call;
  }

  it('answers bad input with a 4xx that says what was wrong, and keeps serving', async () => {
    const call = shopper(shop.url);
    const cases: [Promise<{ status: number; body: Record<string, unknown> }>, number, RegExp][] = [
      [call('POST', '/api/cart/items', undefined, '{"productId": '), 400, /not valid JSON/],
      [call('POST', '/api/cart/items', { productId: 'nope' }), 404, /no product with id "nope"/],
      [call('POST', '/api/cart/items', { productId: 'bk-sre', quantity: 0 }), 400, /quantity/],
      [call('POST', '/api/cart/items', { productId: 'bk-sre', price: 1 }), 400, /price/],
      [call('POST', '/api/checkout/complete', {}), 409, /cart is empty/],
      [call('GET', '/api/nowhere'), 404, /no API route GET \/nowhere/],
    ];
    for (const [pending, status, message] of cases) {
      const response = await pending;
      expect(response.status).toBe(status);
      expect(String(response.body['error'])).toMatch(message);
    }

    expect((await call('POST', '/api/cart/items', { productId: 'bk-sre' })).status).toBe(201);
    const payFirst = await call('POST', '/api/checkout/payment', { method: 'paypal' });
    expect(payFirst.status).toBe(409);
    expect(payFirst.body['error']).toMatch(/shipping/);

    const badShipping = await call('POST', '/api/checkout/shipping', { name: '', city: 'X', street: 'Y', postalCode: '!', country: 'ZZ' });
    expect(badShipping.status).toBe(400);
    expect(badShipping.body['error']).toMatch(/name/);
    expect(badShipping.body['error']).toMatch(/postalCode/);
    expect(badShipping.body['error']).toMatch(/country: expected one of US/);

    expect((await call('POST', '/api/checkout/shipping', address)).status).toBe(200);
    const badCard = await call('POST', '/api/checkout/payment', { method: 'card', cardNumber: '4242 4242 4242 4241' });
    expect(badCard.status).toBe(400);
    expect(badCard.body['error']).toMatch(/cardNumber: not a valid card number/);
    const badMethod = await call('POST', '/api/checkout/payment', { method: 'cash' });
    expect(badMethod.status).toBe(400);
    expect(badMethod.body['error']).toMatch(/method/);

    expect((await call('POST', '/api/checkout/payment', { method: 'paypal' })).status).toBe(200);
    const unreviewed = await call('POST', '/api/checkout/complete', {});
    expect(unreviewed.status).toBe(409);
    expect(unreviewed.body['error']).toMatch(/review/);
    expect((await call('GET', '/api/checkout/review')).status).toBe(200);
    const wrongTotal = await call('POST', '/api/checkout/complete', { expectedTotalCents: 1 });
    expect(wrongTotal.status).toBe(409);
    expect(wrongTotal.body['error']).toMatch(/the total is now 3999 cents, not 1/);

    // Still serving, and none of this recorded a checkout error or revenue.
    expect((await call('GET', '/api/products')).status).toBe(200);
    const scrape = parseExposition(await shop.metrics.getMetrics());
    expect(sampleSum(scrape, 'business_funnel_step_total', { step: 'checkout_error' })).toBe(0);
    expect(sampleSum(scrape, 'business_revenue_cents_total')).toBe(0);
  });

  it('records a completed order as the guide does: order_confirmed, a purchase conversion, revenue by region', async () => {
    const call = await readyForCompletion(testCards.approved);
    const before = parseExposition(await shop.metrics.getMetrics());
    const done = await call('POST', '/api/checkout/complete', { expectedTotalCents: 24900 });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ success: true, totalCents: 24900, region: 'europe' });
    const after = parseExposition(await shop.metrics.getMetrics());
    const revenue = { product_category: 'electronics', payment_method: 'card', region: 'europe' };
    expect(sampleSum(after, 'business_revenue_cents_total', revenue) - sampleSum(before, 'business_revenue_cents_total', revenue)).toBe(24900);
    expect(sampleSum(after, 'business_funnel_step_total', { step: 'order_confirmed' }) - sampleSum(before, 'business_funnel_step_total', { step: 'order_confirmed' })).toBe(1);
    expect(sampleSum(after, 'business_conversions_total', { conversion_type: 'purchase' })).toBeGreaterThanOrEqual(1);
    // The cart is empty again: a second completion is refused.
    expect((await call('POST', '/api/checkout/complete', {})).status).toBe(409);
  });

  it('counts a shopper who reloads the cart once (the session funnel, keyed by the shop session)', async () => {
    const call = shopper(shop.url);
    expect((await call('POST', '/api/cart/items', { productId: 'bk-sre', quantity: 1 })).status).toBe(201);
    const before = sampleSum(parseExposition(await shop.metrics.getMetrics()), 'business_funnel_step_total', { step: 'cart_view' });
    for (let i = 0; i < 3; i++) expect((await call('GET', '/api/cart')).status).toBe(200);
    expect(sampleSum(parseExposition(await shop.metrics.getMetrics()), 'business_funnel_step_total', { step: 'cart_view' }) - before).toBe(1);
    // Another shopper is another session.
    const other = shopper(shop.url);
    expect((await other('POST', '/api/cart/items', { productId: 'bk-sre', quantity: 1 })).status).toBe(201);
    expect((await other('GET', '/api/cart')).status).toBe(200);
    expect(sampleSum(parseExposition(await shop.metrics.getMetrics()), 'business_funnel_step_total', { step: 'cart_view' }) - before).toBe(2);
  });

  it('answers a declined card with 402 and records checkout_error', async () => {
    const call = await readyForCompletion(testCards.declined);
    const before = sampleSum(parseExposition(await shop.metrics.getMetrics()), 'business_funnel_step_total', { step: 'checkout_error' });
    const declined = await call('POST', '/api/checkout/complete', {});
    expect(declined.status).toBe(402);
    expect(declined.body['error']).toMatch(/declined/);
    expect(sampleSum(parseExposition(await shop.metrics.getMetrics()), 'business_funnel_step_total', { step: 'checkout_error' }) - before).toBe(1);
  });

  it('answers a payment processor failure with 502 and the adapter records checkout_error once', async () => {
    const call = await readyForCompletion(testCards.processorError);
    const before = sampleSum(parseExposition(await shop.metrics.getMetrics()), 'business_funnel_step_total', { step: 'checkout_error' });
    const failed = await call('POST', '/api/checkout/complete', {});
    expect(failed.status).toBe(502);
    expect(failed.body['error']).toMatch(/payment processor/);
    expect(sampleSum(parseExposition(await shop.metrics.getMetrics()), 'business_funnel_step_total', { step: 'checkout_error' }) - before).toBe(1);
    expect((await call('GET', '/api/products')).status).toBe(200);
    // The 502, answered by the app's error handler, keeps the route's mount path, like its 200s and 402s.
    const routes = parseExposition(await shop.metrics.getMetrics())
      .filter((sample) => sample.name === 'http_server_request_duration_count' && sample.labels['http_route']?.endsWith('/checkout/complete'))
      .map((sample) => `${sample.labels['http_route']} ${sample.labels['http_response_status_code']}`);
    expect(routes).toContain('/api/checkout/complete 502');
    expect(routes.filter((route) => !route.startsWith('/api/checkout/complete '))).toEqual([]);
  });

  it('records a shopper who leaves as abandoned once, at the last step, after the funnel timeout; a buyer is converted, not abandoned', async () => {
    const quick = await startTestShop({ funnelSessionTimeoutMs: 500 });
    try {
      const leaver = shopper(quick.url);
      expect((await leaver('POST', '/api/cart/items', { productId: 'el-hp', quantity: 1 })).status).toBe(201);
      expect((await leaver('GET', '/api/cart')).status).toBe(200);
      expect((await leaver('GET', '/api/cart')).status).toBe(200);
      expect((await leaver('POST', '/api/checkout/shipping', address)).status).toBe(200);
      const buyer = shopper(quick.url);
      expect((await buyer('POST', '/api/cart/items', { productId: 'bk-sre', quantity: 1 })).status).toBe(201);
      for (const [method, path, body] of [
        ['GET', '/api/cart', undefined],
        ['POST', '/api/checkout/shipping', address],
        ['POST', '/api/checkout/payment', { method: 'paypal' }],
        ['GET', '/api/checkout/review', undefined],
        ['POST', '/api/checkout/complete', {}],
      ] as const) {
        expect((await buyer(method, path, body)).status).toBe(200);
      }
      await new Promise((resolve) => setTimeout(resolve, 800));
      // The first collection after the timeout sweeps the idle session; the next one exports its count.
      await quick.metrics.getMetrics();
      const scrape = parseExposition(await quick.metrics.getMetrics());
      expect(sampleSum(scrape, 'business_funnel_abandoned_total', { funnel: 'checkout' })).toBe(1);
      expect(sampleSum(scrape, 'business_funnel_abandoned_total', { funnel: 'checkout', step: 'shipping_info' })).toBe(1);
      expect(sampleSum(scrape, 'business_funnel_step_total', { step: 'cart_view' })).toBe(2);
      expect(sampleSum(scrape, 'business_time_to_conversion_seconds_count', { conversion_type: 'purchase' })).toBe(1);
      expect(sampleSum(parseExposition(await quick.metrics.getMetrics()), 'business_funnel_abandoned_total')).toBe(1);
    } finally {
      await quick.stop();
    }
  });
});
