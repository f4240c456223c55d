import type { Request } from 'express';

// What the router assigned as `req.route`, and `req.baseUrl` at that moment.
const routeKey = Symbol('bizmetrics.route');
const mountKey = Symbol('bizmetrics.routeMount');
const installedKey = Symbol('bizmetrics.routeMountInstalled');

type RequestWithMount = Request & { [routeKey]?: unknown; [mountKey]?: string };
type Prototype = Record<symbol, unknown>;

/**
 * Makes the mount path of the route that handles `req` readable whatever happens after it matched.
 * Express sets `req.route` when a route matches, while `req.baseUrl` still holds the mount path of
 * every router above it (`/api`, `/api/v1`). When the handler throws or calls `next(err)`, each
 * router restores `req.baseUrl` on the way out, so an app-level error handler (and the response's
 * 'close') sees `''`: a 502 of `/api/checkout/complete` would be labelled `/checkout/complete`.
 *
 * An accessor for `route` on the request prototype of the app (installed once, the first time a
 * request of that app passes) notes `req.baseUrl` when the router assigns `req.route`: one string
 * stored per routed request, no closure, no array of layers. Reading and writing `req.route` work as
 * before for everyone else.
 */
export function captureRouteMount(req: Request): void {
  const prototype = Object.getPrototypeOf(req) as Prototype | null;
  if (prototype === null || prototype[installedKey] === true) return;
  install(prototype, req);
}

/** The mount path of the matched route: `req.baseUrl` as it was when the route matched. */
export function routeMountOf(req: Request): string | undefined {
  const mount = (req as RequestWithMount)[mountKey];
  return mount !== undefined ? mount : req.baseUrl;
}

function install(prototype: Prototype, req: Request): void {
  // An own `route` on a request (set before this ran) or a non-configurable one: leave Express alone.
  if (Object.prototype.hasOwnProperty.call(req, 'route')) return;
  Object.defineProperty(prototype, installedKey, { value: true, configurable: true });
  const existing = Object.getOwnPropertyDescriptor(prototype, 'route');
  if (existing !== undefined && existing.configurable !== true) return;
  Object.defineProperty(prototype, 'route', {
    configurable: true,
    enumerable: true,
    get(this: RequestWithMount): unknown {
      return this[routeKey];
    },
    set(this: RequestWithMount, route: unknown) {
      this[routeKey] = route;
      this[mountKey] = this.baseUrl;
    },
  });
}
