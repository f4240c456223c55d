import { checkMeasurement, describeValue } from './valueCheck';

// The OpenTelemetry SDK's shared edge-case fixtures, then what plain JavaScript callers send.
const sdkFixtures = [1, -1, 1.0, Infinity, -Infinity, NaN];

describe('checkMeasurement', () => {
  it.each([
    [1, undefined, undefined],
    [-1, 'negative_value', 'negative_value'],
    [1.0, undefined, undefined],
    [Infinity, 'invalid_value', 'invalid_value'],
    [-Infinity, 'invalid_value', 'invalid_value'],
    [NaN, 'invalid_value', 'invalid_value'],
  ])('SDK fixture %p: non_negative -> %p, integer -> %p', (value, nonNegative, integer) => {
    expect(sdkFixtures.some((fixture) => Object.is(fixture, value))).toBe(true);
    expect(checkMeasurement(value, 'non_negative')).toBe(nonNegative);
    expect(checkMeasurement(value, 'integer')).toBe(integer);
  });

  it.each([
    ['a numeric string', '12'],
    ['an empty string', ''],
    ['an object', { value: 1 }],
    ['an array', [1]],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', true],
    ['a bigint', BigInt(1)],
    ['a Number object', new Number(3)],
  ])('refuses %s as invalid_value for both value types', (_name, value) => {
    expect(checkMeasurement(value, 'non_negative')).toBe('invalid_value');
    expect(checkMeasurement(value, 'integer')).toBe('invalid_value');
  });

  it.each([
    [12.5, 'a float where cents are required'],
    [0.1 + 0.2, 'a float from arithmetic'],
    [Number.MAX_SAFE_INTEGER + 2, 'an unsafe integer'],
    [2 ** 60, 'a large power of two'],
    [Number.MAX_VALUE, 'the largest double'],
  ])('refuses %p (%s) where integers are required, accepts it otherwise', (value) => {
    expect(checkMeasurement(value, 'integer')).toBe('non_integer_value');
    expect(checkMeasurement(value, 'non_negative')).toBeUndefined();
  });

  it('accepts zero, -0 and the largest safe integer', () => {
    for (const value of [0, -0, Number.MAX_SAFE_INTEGER]) {
      expect(checkMeasurement(value, 'integer')).toBeUndefined();
      expect(checkMeasurement(value, 'non_negative')).toBeUndefined();
    }
  });

  it('refuses negative floats and integers alike', () => {
    expect(checkMeasurement(-0.5, 'non_negative')).toBe('negative_value');
    expect(checkMeasurement(-0.5, 'integer')).toBe('negative_value');
    expect(checkMeasurement(-Number.MIN_VALUE, 'non_negative')).toBe('negative_value');
  });
});

describe('describeValue', () => {
  it('says what a value was, never quoting more than 40 characters of a string', () => {
    expect(describeValue('x'.repeat(1000))).toBe(`string "${'x'.repeat(40)}"`);
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(null)).toBe('null');
    expect(describeValue({ secret: 'a@b.c' })).toBe('object');
  });
});
