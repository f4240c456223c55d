import type { Request } from 'express';

/**
 * Which requests are part of checkout (a 5xx or an error on them records `checkout_error`):
 * a predicate, or path prefixes / patterns matched against the request path.
 */
export type CheckoutRouteMatcher = ((req: Request) => boolean) | readonly (string | RegExp)[];

/** Any path with a `checkout` segment, e.g. `/checkout`, `/api/checkout/complete`. */
export const defaultCheckoutRoutes: readonly RegExp[] = [/(^|\/)checkout(\/|$)/];

/** Compiles a matcher into a predicate over the request path (query string excluded). */
export function compileCheckoutRoutes(matcher: CheckoutRouteMatcher | undefined): (req: Request) => boolean {
  if (typeof matcher === 'function') return matcher;
  const rules = matcher ?? defaultCheckoutRoutes;
  return (req) => {
    const url = req.originalUrl ?? req.url;
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    for (const rule of rules) {
      if (typeof rule === 'string' ? path === rule || path.startsWith(rule.endsWith('/') ? rule : `${rule}/`) : rule.test(path)) return true;
    }
    return false;
  };
}
