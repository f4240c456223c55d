import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { HttpError } from './httpError';

/** A shipping address as the shipping step stores it. */
export interface ShippingAddress {
  readonly name: string;
  readonly street: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
}

/** What the payment step stores: never the card number, only the processor's token. */
export interface PaymentChoice {
  readonly method: PaymentMethod;
  readonly token: string;
  readonly label: string;
}

export const paymentMethods = ['card', 'paypal', 'apple_pay'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** Variants of the shop's running experiment (the guide's `experiment_variant` label). */
export const experimentVariants = ['control', 'express_checkout'] as const;

/** The shop's session, kept in a signed cookie (see createShop for why). */
export interface ShopSession {
  /** Random id for logs and the session context; never a label. */
  id: string;
  /** Epoch milliseconds of the first request: the guide's `sessionStartTime`. */
  startedAt: number;
  /** Experiment variant assigned at session start. */
  variant: string;
  /** Cart lines as `[productId, quantity]`: compact, the cookie stays far below 4 KB. */
  cart: [string, number][];
  shipping?: ShippingAddress;
  payment?: PaymentChoice;
  /** Whether the review step was shown for the current cart, shipping and payment. */
  reviewed?: boolean;
  /** The signed-in user (sign-in is optional; the id is counted as an active user, never a label). */
  user?: { id: string; tier: string };
  /** The session's last completed order, until it is refunded: what a refund books against. */
  lastOrder?: LastOrder;
}

/** What a refund needs of an order: the revenue labels it was booked under and its amount. */
export interface LastOrder {
  readonly id: string;
  readonly totalCents: number;
  readonly category: string;
  readonly paymentMethod: string;
  readonly region: string;
}

/** The session's refundable order, or a 409 that says why there is none. */
export function refundableOrder(session: ShopSession): LastOrder {
  if (session.lastOrder === undefined) throw new HttpError(409, 'no order to refund in this session: complete a checkout first');
  return session.lastOrder;
}

/**
 * The session of `req`, initialised on first use. The variant comes from the experiment header or
 * cookie when an edge/experiment framework set one, else it is drawn here, 50/50.
 */
export function shopSession(req: Request): ShopSession {
  const session = req.session;
  if (session === null || session === undefined) throw new Error('cookie-session middleware is not mounted');
  if (typeof session['id'] !== 'string') {
    const requested = req.get('x-experiment-variant') ?? readVariantCookie(req.headers.cookie);
    session['id'] = randomBytes(9).toString('base64url');
    session['startedAt'] = Date.now();
    session['variant'] = (experimentVariants as readonly string[]).includes(requested ?? '')
      ? requested
      : experimentVariants[randomBytes(1)[0]! % 2];
    session['cart'] = [];
  }
  return session as unknown as ShopSession;
}

function readVariantCookie(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /(?:^|;\s*)bizmetrics_variant=([^;]+)/.exec(header);
  return match?.[1];
}
