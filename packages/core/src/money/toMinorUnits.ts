import { currencyExponent, looksLikeCurrencyCode } from './currencyExponents';
import { InvalidAmountError } from './invalidAmountError';

// Plain decimal notation only: no sign, no exponent, no grouping; at most one '.'.
const decimalPattern = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/;

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value) : String(value);
  return text;
}

function exponentOf(currency: unknown, amountText: string): number {
  const exponent = typeof currency === 'string' ? currencyExponent(currency) : undefined;
  if (exponent === undefined) {
    const hint = looksLikeCurrencyCode(currency) ? 'not an ISO 4217 code with a minor unit' : 'expected an upper-case ISO 4217 code such as "USD"';
    throw new InvalidAmountError(amountText, String(currency), 'unknown_currency', `${shown(currency)} is ${hint}`);
  }
  return exponent;
}

/**
 * Converts a decimal amount written as a string to an integer count of the currency's minor unit,
 * without floating point: `toMinorUnits('19.99', 'USD')` → 1999, `toMinorUnits('500', 'JPY')` → 500,
 * `toMinorUnits('1.234', 'KWD')` → 1234. Trailing zeros beyond the exponent are accepted
 * (`'19.990'` USD → 1999); any other digit there is refused, as are signs, exponents, grouping
 * separators and results beyond `Number.MAX_SAFE_INTEGER`. Surrounding whitespace is ignored.
 *
 * Throws `InvalidAmountError` with the reason; convert where the amount enters your system, then
 * pass the integer to `recordRevenue`.
 *
 * @example
 * businessMetrics.recordRevenue(toMinorUnits(order.total, order.currency), { ..., currency: order.currency });
 */
export function toMinorUnits(amount: string, currency: string): number {
  if (typeof amount !== 'string') {
    // Numbers are refused on purpose: 0.1 + 0.2 has already lost the exact amount before we see it.
    throw new InvalidAmountError(shown(amount), String(currency), 'not_a_decimal', `expected a decimal string such as "19.99", got ${typeof amount}`);
  }
  const text = amount.trim();
  const exponent = exponentOf(currency, shown(amount));
  if (text.startsWith('-')) throw new InvalidAmountError(shown(amount), currency, 'negative', 'amounts are never negative; record refunds with recordRefund');
  const match = decimalPattern.exec(text);
  if (match === null) {
    throw new InvalidAmountError(shown(amount), currency, 'not_a_decimal', 'expected digits with an optional "." and fraction, e.g. "19.99"');
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? match[3] ?? '';
  const significantFraction = fraction.replace(/0+$/, '');
  if (significantFraction.length > exponent) {
    throw new InvalidAmountError(
      shown(amount),
      currency,
      'too_many_decimals',
      `${currency} has ${exponent} decimal place(s) (ISO 4217), the amount has ${significantFraction.length}`,
    );
  }
  const digits = (whole + significantFraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  // More than 16 digits can exceed 2^53 - 1; compare as strings first so we never round.
  const maxSafe = String(Number.MAX_SAFE_INTEGER);
  if (digits.length > maxSafe.length || (digits.length === maxSafe.length && digits > maxSafe)) {
    throw new InvalidAmountError(shown(amount), currency, 'too_large', `the result exceeds Number.MAX_SAFE_INTEGER (${maxSafe}) minor units`);
  }
  return Number(digits);
}

/**
 * The exact decimal string of an amount in minor units: `fromMinorUnits(1999, 'USD')` → `'19.99'`,
 * `fromMinorUnits(5, 'KWD')` → `'0.005'`. The inverse of `toMinorUnits` for its canonical outputs.
 */
export function fromMinorUnits(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) {
    throw new InvalidAmountError(shown(minor), String(currency), minor < 0 ? 'negative' : 'not_a_decimal', 'expected a non-negative safe integer');
  }
  const exponent = exponentOf(currency, shown(minor));
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
