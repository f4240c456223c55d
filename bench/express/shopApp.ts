// The example shop's API as a benchmark app: its signed-cookie session, JSON body parser, catalogue
// and cart routes, built from the shop's own modules, with the instrumentation under test mounted
// where createShop mounts bizmetricsMiddleware, with the shop's own options. A returning shopper with
// two items in the cart browses product pages (`product_view` steps) and the cart (`cart_view`), or
// opens only the cart.
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Express, RequestHandler } from 'express';
import { catalog } from '../../examples/shop/src/catalog/productCatalog';
import { cartRoutes } from '../../examples/shop/src/server/cartRoutes';
import { catalogRoutes } from '../../examples/shop/src/server/catalogRoutes';

export { shopMiddlewareOptions } from '../../examples/shop/src/server/createShop';

/** What `require('express')` gives: the app factory with its Router and json parser. */
export type ExpressModule = (() => Express) & { Router: () => import('express').Router; json: (options?: object) => RequestHandler };

const requireFromShop = createRequire(fileURLToPath(new URL('../../examples/shop/package.json', import.meta.url)));
// One key for every server process, so the shopper's session cookie is valid in all of them.
const sessionKey = 'bench-session-key';

/** Mounted before the instrumentation, as in createShop: the shop's context callbacks read the session. */
export function mountSession(app: Express): void {
  const cookieSession = requireFromShop('cookie-session') as (options: object) => RequestHandler;
  app.use(cookieSession({ name: 'shop_session', keys: [sessionKey], httpOnly: true, sameSite: 'lax', maxAge: 24 * 60 * 60 * 1000 }));
}

export function mountShopApi(app: Express, express: ExpressModule): void {
  const api = express.Router();
  api.use(express.json({ limit: '16kb' }));
  api.use(catalogRoutes());
  api.use(cartRoutes());
  app.use('/api', api);
}

/**
 * Paths a returning shopper requests. `browse`: product pages of the whole catalogue and the cart, in
 * turn. `cart`: the cart only, a request that reads the session in every variant.
 */
export function shopperPath(index: number, mix: 'browse' | 'cart'): string {
  if (mix === 'cart' || index % 2 === 1) return '/api/cart';
  return `/api/products/${(catalog[(index >> 1) % catalog.length] as { id: string }).id}`;
}

/** The `Cookie` header of a returning shopper: a signed shop session with two items in the cart. */
export async function returningShopperCookie(express: ExpressModule): Promise<string> {
  const app = express();
  mountSession(app);
  mountShopApi(app, express);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/cart/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: (catalog[0] as { id: string }).id, quantity: 2 }),
    });
    if (response.status !== 201) throw new Error(`shop bench: adding to the cart answered ${response.status}: ${await response.text()}`);
    const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0] as string);
    if (cookies.length !== 2) throw new Error(`shop bench: expected the session cookie and its signature, got ${JSON.stringify(cookies)}`);
    return cookies.join('; ');
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
