import type { Request } from 'express';

/** `http.route` of requests no route matched (404s, static files, middleware answers): never the raw URL. */
export const unmatchedRoute = 'unmatched';
/** `http.route` once `maxRoutes` distinct templates were seen. */
export const overflowRoute = '__overflow__';

// Segments of a mount path that are values, not names: numbers, hex/uuid ids, anything with a digit run.
const valueSegment = /^(?:\d+|[0-9a-f]{8,}|[0-9a-f-]{32,36}|.*\d{3,}.*)$/i;

/**
 * The route template of a request: `req.baseUrl` + `req.route.path`, e.g. `/api/products/:id`.
 * `req.baseUrl` holds the matched mount path, which is the real URL when a router is mounted on a
 * parameter (`app.use('/shops/:shopId', router)`), so segments that look like values are folded to
 * `:param`; the template set is also capped (`overflowRoute` past `maxRoutes`).
 */
export class RouteLabeler {
  private readonly seen = new Set<string>();

  constructor(private readonly maxRoutes: number) {}

  label(req: Request): string {
    const route = (req as { route?: { path?: unknown } }).route;
    if (route === undefined || route === null) return unmatchedRoute;
    const path = routePath(route.path);
    const base = req.baseUrl;
    const template = base === undefined || base === '' ? path : foldValues(base) + (path === '/' ? '' : path);
    return this.admit(template === '' ? '/' : template);
  }

  /** Admits a label produced elsewhere (e.g. the `routeLabel` callback) under the same cap. */
  admit(template: string): string {
    if (this.seen.has(template)) return template;
    if (this.seen.size >= this.maxRoutes) return overflowRoute;
    this.seen.add(template);
    return template;
  }
}

function routePath(path: unknown): string {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(routePath).join('|');
  if (path instanceof RegExp) return path.source;
  return unmatchedRoute;
}

function foldValues(base: string): string {
  let folded = '';
  for (const segment of base.split('/')) {
    if (segment === '') continue;
    folded += valueSegment.test(segment) ? '/:param' : `/${segment}`;
  }
  return folded;
}
