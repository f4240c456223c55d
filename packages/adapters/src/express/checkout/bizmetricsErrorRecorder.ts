import type { ErrorRequestHandler } from 'express';
import { isServerError, type CheckoutErrorPredicate } from './checkoutError';
import { ExpressRequestTracker } from './requestTracker';

/** Options of `bizmetricsErrorRecorder`. */
export interface ErrorRecorderOptions {
  /**
   * Whether an error on a checkout request (see `checkoutRoutes`) is a failed checkout. Asked only on
   * checkout requests, before your error handler answers; a callback that throws is counted and the
   * default decides.
   * @default the error's status (`err.status`, else `err.statusCode`, as Express reads it) is 5xx, or it has none
   * @example isCheckoutError: (err) => !(err instanceof ValidationError)
   */
  isCheckoutError?: CheckoutErrorPredicate;
}

/**
 * Error middleware to mount after your routes: records `checkout_error` for a checkout request
 * whose error means the checkout failed on the server or payment side (by default: an error Express
 * would answer with a 5xx), even when your error handler then answers with a 4xx or an error page.
 * 4xx errors (validation, a declined card the shopper can fix) are not counted unless
 * `isCheckoutError` says so. The error is passed on unchanged.
 *
 * @example
 * app.use(routes);
 * app.use(bizmetricsErrorRecorder());
 * app.use(myErrorHandler);
 */
export function bizmetricsErrorRecorder(options: ErrorRecorderOptions = {}): ErrorRequestHandler {
  const isCheckoutError = options.isCheckoutError ?? isServerError;
  return function bizmetricsErrors(error: unknown, req, res, next): void {
    try {
      const tracker = req.bizmetrics;
      if (tracker instanceof ExpressRequestTracker) tracker.recordError(error, res, isCheckoutError);
      else if (tracker !== undefined && tracker.isCheckout && isServerError(error)) tracker.trackCheckoutError();
    } catch {
      // The tracker counts its own failures; the app's error must go on regardless.
    }
    next(error);
  };
}
