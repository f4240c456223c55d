import type { Request, Response } from 'express';

/**
 * Decides whether an error on a checkout request means the checkout failed (`checkout_error`).
 * Called by `bizmetricsErrorRecorder` with the error, the request and the response (not answered yet).
 */
export type CheckoutErrorPredicate = (error: unknown, req: Request, res: Response) => boolean;

/**
 * The default `isCheckoutError`: the status Express would answer the error with is 5xx. That status
 * is read as Express's final handler reads it (`err.status`, else `err.statusCode`, when in 400–599;
 * anything else is a 500), so a plain `throw new Error()` counts, and a validation error or declined
 * card carrying a 4xx does not: a `checkout_error` means the server or the payment side failed,
 * not that the shopper mistyped a postal code.
 */
export function isServerError(error: unknown): boolean {
  return expressStatusOf(error) >= 500;
}

/** The status code Express's final handler would answer `error` with. */
export function expressStatusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
    if (isErrorStatus(status)) return status;
    if (isErrorStatus(statusCode)) return statusCode;
  }
  return 500;
}

function isErrorStatus(value: unknown): value is number {
  return typeof value === 'number' && value >= 400 && value < 600;
}
