/**
 * Thrown by `toMinorUnits`/`fromMinorUnits` when an amount cannot be represented exactly in the
 * currency's minor unit. Conversion is a deliberate call made before recording, so it throws; the
 * record calls themselves (`recordRevenue`, ...) never throw outside strict mode.
 */
export class InvalidAmountError extends Error {
  override readonly name = 'InvalidAmountError';
  constructor(
    /** What was passed, shortened for the message. */
    readonly amount: string,
    /** The currency code it was passed with. */
    readonly currency: string,
    /** Why it was refused. */
    readonly reason: 'not_a_decimal' | 'negative' | 'too_many_decimals' | 'too_large' | 'unknown_currency',
    detail: string,
  ) {
    super(`bizmetrics: cannot convert ${amount} ${currency} to minor units: ${detail}`);
  }
}
