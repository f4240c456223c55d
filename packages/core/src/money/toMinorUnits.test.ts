import fc from 'fast-check';
import { currencyExponent, iso4217Exponents, isKnownCurrency } from './currencyExponents';
import { InvalidAmountError } from './invalidAmountError';
import { fromMinorUnits, toMinorUnits } from './toMinorUnits';

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidAmountError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('ISO 4217 exponents', () => {
  it('knows the exponents that differ from 2', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KRW')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('BHD')).toBe(3);
    expect(currencyExponent('IQD')).toBe(3);
    expect(currencyExponent('CLF')).toBe(4);
  });

  it('leaves out codes without a minor unit and lower-case spellings', () => {
    expect(isKnownCurrency('XAU')).toBe(false);
    expect(isKnownCurrency('XXX')).toBe(false);
    expect(isKnownCurrency('usd')).toBe(false);
    expect(iso4217Exponents.size).toBeGreaterThan(150);
  });
});

describe('toMinorUnits', () => {
  it('converts exactly, by the currency exponent', () => {
    expect(toMinorUnits('19.99', 'USD')).toBe(1999);
    expect(toMinorUnits('0.10', 'USD')).toBe(10);
    expect(toMinorUnits('0.1', 'USD')).toBe(10);
    expect(toMinorUnits('.5', 'EUR')).toBe(50);
    expect(toMinorUnits('7', 'USD')).toBe(700);
    expect(toMinorUnits(' 12.30 ', 'USD')).toBe(1230);
    expect(toMinorUnits('500', 'JPY')).toBe(500);
    expect(toMinorUnits('1.234', 'KWD')).toBe(1234);
    expect(toMinorUnits('0.005', 'KWD')).toBe(5);
    expect(toMinorUnits('19.990', 'USD')).toBe(1999);
    expect(toMinorUnits('500.00', 'JPY')).toBe(500);
    expect(toMinorUnits('0', 'USD')).toBe(0);
    // The float path gets these wrong: 1.005 * 100 = 100.49999999999999, 4.35 * 100 = 434.99999999999994.
    expect(toMinorUnits('1.005', 'KWD')).toBe(1005);
    expect(toMinorUnits('4.35', 'USD')).toBe(435);
    expect(toMinorUnits('90071992547409.91', 'USD')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses amounts that do not fit, with the reason', () => {
    expect(reasonOf(() => toMinorUnits('19.999', 'USD'))).toBe('too_many_decimals');
    expect(reasonOf(() => toMinorUnits('1.5', 'JPY'))).toBe('too_many_decimals');
    expect(reasonOf(() => toMinorUnits('1.2345', 'KWD'))).toBe('too_many_decimals');
    expect(reasonOf(() => toMinorUnits('-5.00', 'USD'))).toBe('negative');
    expect(reasonOf(() => toMinorUnits('abc', 'USD'))).toBe('not_a_decimal');
    expect(reasonOf(() => toMinorUnits('', 'USD'))).toBe('not_a_decimal');
    expect(reasonOf(() => toMinorUnits('.', 'USD'))).toBe('not_a_decimal');
    expect(reasonOf(() => toMinorUnits('1e3', 'USD'))).toBe('not_a_decimal');
    expect(reasonOf(() => toMinorUnits('1,000.00', 'USD'))).toBe('not_a_decimal');
    expect(reasonOf(() => toMinorUnits('+5', 'USD'))).toBe('not_a_decimal');
    expect(reasonOf(() => toMinorUnits('Infinity', 'USD'))).toBe('not_a_decimal');
    expect(reasonOf(() => toMinorUnits(19.99 as unknown as string, 'USD'))).toBe('not_a_decimal');
    expect(reasonOf(() => toMinorUnits('90071992547409.92', 'USD'))).toBe('too_large');
    expect(reasonOf(() => toMinorUnits('100000000000000000000', 'JPY'))).toBe('too_large');
    expect(reasonOf(() => toMinorUnits('1.00', 'usd'))).toBe('unknown_currency');
    expect(reasonOf(() => toMinorUnits('1.00', 'XAU'))).toBe('unknown_currency');
  });

  it('says what was wrong in the message', () => {
    expect(() => toMinorUnits('19.999', 'USD')).toThrow('USD has 2 decimal place(s) (ISO 4217), the amount has 3');
    expect(() => toMinorUnits('1', 'dollars')).toThrow('expected an upper-case ISO 4217 code such as "USD"');
  });
});

describe('fromMinorUnits', () => {
  it('writes the exact decimal', () => {
    expect(fromMinorUnits(1999, 'USD')).toBe('19.99');
    expect(fromMinorUnits(5, 'USD')).toBe('0.05');
    expect(fromMinorUnits(5, 'KWD')).toBe('0.005');
    expect(fromMinorUnits(500, 'JPY')).toBe('500');
    expect(() => fromMinorUnits(1.5, 'USD')).toThrow(InvalidAmountError);
    expect(() => fromMinorUnits(-1, 'USD')).toThrow(InvalidAmountError);
  });
});

describe('toMinorUnits properties', () => {
  const currencies = [...iso4217Exponents.keys()];
  const currency = fc.constantFrom(...currencies);
  const digitString = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

  it('matches exact big-integer arithmetic on random decimal strings (no float drift)', () => {
    fc.assert(
      fc.property(currency, digitString(1, 11), digitString(0, 4), (code, whole, fraction) => {
        const exponent = currencyExponent(code) as number;
        const usable = fraction.slice(0, exponent);
        const text = usable === '' ? whole : `${whole}.${usable}`;
        const expected = BigInt(whole) * 10n ** BigInt(exponent) + (usable === '' ? 0n : BigInt(usable.padEnd(exponent, '0')));
        expect(BigInt(toMinorUnits(text, code))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips every safe integer through fromMinorUnits', () => {
    fc.assert(
      fc.property(currency, fc.maxSafeNat(), (code, minor) => {
        expect(toMinorUnits(fromMinorUnits(minor, code), code)).toBe(minor);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any digit beyond the exponent', () => {
    fc.assert(
      fc.property(currency, digitString(1, 8), fc.integer({ min: 1, max: 9 }), (code, whole, lastDigit) => {
        const exponent = currencyExponent(code) as number;
        const text = `${whole}.${'0'.repeat(exponent)}${lastDigit}`;
        expect(reasonOf(() => toMinorUnits(text, code))).toBe('too_many_decimals');
      }),
    );
  });
});
