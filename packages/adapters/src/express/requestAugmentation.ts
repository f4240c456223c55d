import type { RequestTracker } from './checkout/requestTracker';

// Adds `req.bizmetrics` and `res.locals.bizmetrics` to Express's types. Optional on purpose: they
// exist only behind `bizmetricsMiddleware`, and `req.bizmetrics?.track...()` cannot throw elsewhere.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The bizmetrics checkout tracker of this request (set by `bizmetricsMiddleware`). */
      bizmetrics?: RequestTracker;
    }
    interface Locals {
      /** Same tracker as `req.bizmetrics`, for code that only sees `res`. */
      bizmetrics?: RequestTracker;
    }
  }
}

export {};
