import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Router, type Request } from 'express';
import { cartJson, priceCart, type PricedCart } from './cartLines';
import { completeSchema, parseBody, paymentSchema, shippingSchema } from './checkoutSchemas';
import { HttpError } from './httpError';
import type { OrderBook } from './orderBook';
import { PaymentDeclinedError, type FakePaymentProcessor } from './paymentProcessor';
import { regionOf } from './regions';
import { shopSession, type ShopSession } from './shopSession';

export interface CheckoutDependencies {
  readonly payments: FakePaymentProcessor;
  readonly orders: OrderBook;
}

function requireCart(session: ShopSession): PricedCart {
  const cart = priceCart(session);
  if (cart.itemCount === 0) throw new HttpError(409, 'the cart is empty: add a product before checking out');
  return cart;
}

function requireShipping(session: ShopSession): NonNullable<ShopSession['shipping']> {
  if (session.shipping === undefined) throw new HttpError(409, 'no shipping address yet: POST /api/checkout/shipping first');
  return session.shipping;
}

function requirePayment(session: ShopSession): NonNullable<ShopSession['payment']> {
  if (session.payment === undefined) throw new HttpError(409, 'no payment method yet: POST /api/checkout/payment first');
  return session.payment;
}

/** Made-to-order items wait for the supplier's stock check: the shop's latency spike. */
async function checkStock(req: Request, cart: PricedCart): Promise<void> {
  if (cart.supplierLatencyMs > 0) await sleep(cart.supplierLatencyMs, undefined, { signal: abortOnClose(req) }).catch(() => undefined);
}

function abortOnClose(req: Request): AbortSignal {
  const controller = new AbortController();
  req.once('close', () => controller.abort());
  return controller.signal;
}

/**
 * The guide's checkout API: shipping → payment → review → `POST /api/checkout/complete`, each step
 * recorded through the request's checkout tracker (`req.bizmetrics`, from `bizmetricsMiddleware`).
 */
export function checkoutRoutes({ payments, orders }: CheckoutDependencies): Router {
  const router = Router();

  router.post('/checkout/shipping', (req, res) => {
    const session = shopSession(req);
    requireCart(session);
    const address = parseBody(shippingSchema, req.body, 'shipping address');
    session.shipping = address;
    session.reviewed = false;
    req.bizmetrics?.trackShippingInfo();
    res.json({ shipping: address, region: regionOf(address.country) });
  });

  router.post('/checkout/payment', (req, res) => {
    const session = shopSession(req);
    requireCart(session);
    requireShipping(session);
    const { method, cardNumber } = parseBody(paymentSchema, req.body, 'payment details');
    session.payment = { method, ...payments.tokenize(method, cardNumber) };
    session.reviewed = false;
    req.bizmetrics?.trackPaymentInfo(method);
    res.json({ payment: { method, label: session.payment.label } });
  });

  router.get('/checkout/review', async (req, res) => {
    const session = shopSession(req);
    const cart = requireCart(session);
    const shipping = requireShipping(session);
    const payment = requirePayment(session);
    await checkStock(req, cart);
    session.reviewed = true;
    req.bizmetrics?.trackOrderReview();
    res.json({ ...(cartJson(cart) as object), shipping, payment: { method: payment.method, label: payment.label }, region: regionOf(shipping.country) });
  });

  router.post('/checkout/complete', async (req, res) => {
    const session = shopSession(req);
    const cart = requireCart(session);
    const shipping = requireShipping(session);
    const payment = requirePayment(session);
    if (session.reviewed !== true) throw new HttpError(409, 'the order has changed since it was reviewed: GET /api/checkout/review first');
    const { expectedTotalCents } = parseBody(completeSchema, req.body, 'checkout request');
    if (expectedTotalCents !== undefined && expectedTotalCents !== cart.totalCents) {
      throw new HttpError(409, `the total is now ${cart.totalCents} cents, not ${expectedTotalCents}: review the order again`);
    }
    await checkStock(req, cart);
    const region = regionOf(shipping.country) ?? 'unknown';
    try {
      await payments.charge(payment.token, cart.totalCents);
    } catch (error) {
      if (!(error instanceof PaymentDeclinedError)) throw error; // a 5xx: the adapter records checkout_error itself
      // A decline is answered with a 4xx, which the adapter does not count by itself: record it here, as the guide does.
      req.bizmetrics?.trackCheckoutError();
      res.status(402).json({ success: false, error: error.message });
      return;
    }
    const orderId = `ord_${randomBytes(6).toString('hex')}`;
    // The guide's trackPurchaseComplete: order_confirmed, a purchase conversion (time since session start) and revenue.
    req.bizmetrics?.trackPurchaseComplete(cart.totalCents, cart.mainCategory ?? 'unknown', payment.method, region);
    orders.add({
      id: orderId,
      at: Date.now(),
      totalCents: cart.totalCents,
      itemCount: cart.itemCount,
      category: cart.mainCategory ?? 'books',
      region,
      paymentMethod: payment.method,
      variant: session.variant,
    });
    session.lastOrder = { id: orderId, totalCents: cart.totalCents, category: cart.mainCategory ?? 'unknown', paymentMethod: payment.method, region };
    session.cart = [];
    session.reviewed = false;
    delete session.payment;
    res.json({ success: true, orderId, totalCents: cart.totalCents, region, category: cart.mainCategory ?? 'unknown' });
  });

  return router;
}
