import { setTimeout as sleep } from 'node:timers/promises';
import type { PaymentMethod } from './shopSession';

/** Test card numbers, as real processors document them. Any other Luhn-valid number is approved. */
export const testCards = {
  approved: '4242424242424242',
  /** The issuer declines: the shop answers 402 and records `checkout_error`. */
  declined: '4000000000000002',
  /** The processor fails: the shop answers 502 and the adapter records `checkout_error` on its own. */
  processorError: '4000000000000119',
} as const;

/** The issuer declined the charge: the customer's problem, a 402. */
export class PaymentDeclinedError extends Error {
  constructor() {
    super('the card was declined by its issuer; use another card or payment method');
    this.name = 'PaymentDeclinedError';
  }
}

/** The processor itself failed: the shop's problem, a 5xx. */
export class PaymentProcessorError extends Error {
  constructor() {
    super('the payment processor failed to answer; nothing was charged, please try again');
    this.name = 'PaymentProcessorError';
  }
}

/** Luhn checksum: catches mistyped card numbers before the processor sees them. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * A fake payment processor with a real one's shape: tokenise at the payment step, charge at
 * completion, a few tens of milliseconds per call, and the documented test cards' failures.
 */
export class FakePaymentProcessor {
  constructor(private readonly latencyMs: () => number = () => 20 + Math.random() * 40) {}

  /** A token for the payment method; the card number never leaves this function. */
  tokenize(method: PaymentMethod, cardNumber: string | undefined): { token: string; label: string } {
    if (method !== 'card') return { token: `tok_${method}`, label: method === 'paypal' ? 'PayPal' : 'Apple Pay' };
    const digits = (cardNumber ?? '').replace(/[\s-]/g, '');
    const kind = digits === testCards.declined ? 'declined' : digits === testCards.processorError ? 'error' : 'ok';
    return { token: `tok_card_${kind}_${digits.slice(-4)}`, label: `card •••• ${digits.slice(-4)}` };
  }

  /** Charges `amountCents`; rejects with PaymentDeclinedError or PaymentProcessorError. */
  async charge(token: string, amountCents: number): Promise<{ chargeId: string }> {
    await sleep(this.latencyMs());
    if (token.startsWith('tok_card_declined_')) throw new PaymentDeclinedError();
    if (token.startsWith('tok_card_error_')) throw new PaymentProcessorError();
    return { chargeId: `ch_${Date.now().toString(36)}_${amountCents}` };
  }
}
