import type { AdmissionPolicy } from '@bizmetrics/core';
import type { Request } from 'express';

/** `http.route` of requests no route matched (404s, static files, middleware answers): never the raw URL. */
export const unmatchedRoute = 'unmatched';
/** Longest `http.route` a route declared with an array of paths gets; longer ones are cut and end in `|...`. */
export const maxArrayRouteLength = 256;

// Segments of a mount path that are values, not names: numbers, hex/uuid ids, anything with a digit run.
const valueSegment = /^(?:\d+|[0-9a-f]{8,}|[0-9a-f-]{32,36}|.*\d{3,}.*)$/i;
// Folded mount paths by raw `req.baseUrl`: a parameter mount sees one raw value per id, so the cache stops growing here.
const maxFoldedBases = 1000;

/**
 * The route template of a request: `req.baseUrl` + `req.route.path`, e.g. `/api/products/:id`.
 * `req.baseUrl` holds the matched mount path, which is the real URL when a router is mounted on a
 * parameter (`app.use('/shops/:shopId', router)`), so segments that look like values are folded to
 * `:param`; the template set is also capped: a template the admission policy refuses (past
 * `maxRoutes`) labels nothing, and the request is recorded in the overflow set `{otel.metric.overflow=true}`.
 *
 * A route declared with several paths (`app.get(['/a', '/b/:id'], …)`) is labelled with all of them
 * joined by `|` (`/a|/b/:id`), in declaration order: neither Express 4 nor 5 records which of the
 * paths matched, so the label names the handler, one series per declaration whichever path was hit.
 * It is cut to `maxArrayRouteLength` characters. Use the `routeLabel` option to split it.
 */
export class RouteLabeler {
  private readonly foldedBases = new Map<string, string>();

  constructor(private readonly admission: AdmissionPolicy) {}

  /** The route template, or `undefined` when it was not admitted. */
  label(req: Request): string | undefined {
    const template = this.template(req);
    return template === unmatchedRoute ? template : this.admit(template);
  }

  /** The route template of `req` before admission (`unmatchedRoute` when no route matched). */
  template(req: Request): string {
    const route = (req as { route?: { path?: unknown } }).route;
    if (route === undefined || route === null) return unmatchedRoute;
    const path = route.path;
    const base = req.baseUrl;
    const prefix = base === undefined || base === '' ? '' : this.fold(base);
    // The usual route: one string path, no mount path. No allocation.
    if (prefix === '' && typeof path === 'string') return path === '' ? '/' : path;
    return routeTemplate(path, prefix);
  }

  /** Admits a label produced elsewhere (e.g. the `routeLabel` callback) under the same cap. */
  admit(template: string): string | undefined {
    return this.admission.admit(template) ? template : undefined;
  }

  private fold(base: string): string {
    let folded = this.foldedBases.get(base);
    if (folded === undefined) {
      folded = foldValues(base);
      if (this.foldedBases.size < maxFoldedBases) this.foldedBases.set(base, folded);
    }
    return folded;
  }
}

function routeTemplate(path: unknown, prefix: string): string {
  if (typeof path === 'string') {
    const template = prefix + (prefix !== '' && path === '/' ? '' : path);
    return template === '' ? '/' : template;
  }
  if (Array.isArray(path)) {
    const joined = path.map((one) => routeTemplate(one, prefix)).join('|');
    return joined.length > maxArrayRouteLength ? `${joined.slice(0, maxArrayRouteLength - 4)}|...` : joined;
  }
  if (path instanceof RegExp) return prefix + path.source;
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
