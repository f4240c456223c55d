import type { ErrorRequestHandler } from 'express';

/**
 * Error middleware to mount after your routes: records `checkout_error` for a checkout request that
 * failed with `next(err)` (or a throw) even when your error handler answers with a 4xx, then passes
 * the error on unchanged. Without it, only 5xx answers on checkout requests are recorded.
 *
 * @example
 * app.use(routes);
 * app.use(bizmetricsErrorRecorder());
 * app.use(myErrorHandler);
 */
export function bizmetricsErrorRecorder(): ErrorRequestHandler {
  return function bizmetricsErrors(error: unknown, req, _res, next): void {
    try {
      const tracker = req.bizmetrics;
      if (tracker !== undefined && tracker.isCheckout) tracker.trackCheckoutError();
    } catch {
      // The tracker counts its own failures; the app's error must go on regardless.
    }
    next(error);
  };
}
