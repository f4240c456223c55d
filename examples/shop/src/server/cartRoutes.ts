import { Router } from 'express';
import { findProduct } from '../catalog/productCatalog';
import { cartJson, priceCart } from './cartLines';
import { addItemSchema, parseBody, updateItemSchema } from './checkoutSchemas';
import { HttpError } from './httpError';
import { shopSession } from './shopSession';

const maxLines = 20;

/** The cart. Opening it is the first checkout step, `cart_view` (the guide's `trackCartView`). */
export function cartRoutes(): Router {
  const router = Router();

  // The header badge: no funnel step, or every page load would count as a cart view.
  router.get('/session', (req, res) => {
    const session = shopSession(req);
    res.json({ cartCount: priceCart(session).itemCount, variant: session.variant });
  });

  router.get('/cart', (req, res) => {
    const cart = priceCart(shopSession(req));
    // An empty cart is no step into checkout: counting it would dilute the conversion rate.
    if (cart.itemCount > 0) req.bizmetrics?.trackCartView(cart.totalCents, cart.itemCount);
    res.json(cartJson(cart));
  });

  router.post('/cart/items', (req, res) => {
    const { productId, quantity } = parseBody(addItemSchema, req.body, 'cart item');
    if (findProduct(productId) === undefined) throw new HttpError(404, `no product with id "${productId}"`);
    const session = shopSession(req);
    const line = session.cart.find(([id]) => id === productId);
    if (line) line[1] = Math.min(10, line[1] + quantity);
    else if (session.cart.length >= maxLines) throw new HttpError(409, `the cart holds at most ${maxLines} different products`);
    else session.cart.push([productId, quantity]);
    session.reviewed = false;
    session.cart = [...session.cart]; // reassign: cookie-session saves on assignment
    req.bizmetrics?.trackFunnelStep('add_to_cart');
    res.status(201).json(cartJson(priceCart(session)));
  });

  router.patch('/cart/items/:productId', (req, res) => {
    const { quantity } = parseBody(updateItemSchema, req.body, 'cart update');
    const session = shopSession(req);
    if (!session.cart.some(([id]) => id === req.params.productId)) throw new HttpError(404, `product "${req.params.productId}" is not in the cart`);
    session.cart = session.cart
      .map(([id, q]): [string, number] => [id, id === req.params.productId ? quantity : q])
      .filter(([, q]) => q > 0);
    session.reviewed = false;
    res.json(cartJson(priceCart(session)));
  });

  return router;
}
