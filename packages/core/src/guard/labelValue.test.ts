import { defaultLabelValuePolicy, normalizeLabelValue } from './labelValue';

const policy = defaultLabelValuePolicy;
const normalize = (raw: unknown, maxLength = policy.maxLength) => normalizeLabelValue(raw, 'fallback', { maxLength });

describe('normalizeLabelValue', () => {
  it.each([
    ['  mobile  ', 'mobile', 'trims'],
    ['mo\u0000bi\u0007le\u007f', 'mobile', 'removes control characters'],
    ['google\nads', 'googleads', 'removes newlines (control characters) rather than splitting'],
    ['google   \t ads', 'google ads', 'folds whitespace runs'],
    ['order_confirmed', 'order_confirmed', 'keeps ordinary values'],
    ['Ünïcødé ✓', 'Ünïcødé ✓', 'keeps non-ASCII text'],
  ])('%p -> %p (%s)', (raw, expected) => {
    expect(normalize(raw)).toEqual({ ok: true, value: expected });
  });

  it('cuts values to maxLength (64 by default)', () => {
    expect(policy.maxLength).toBe(64);
    expect(normalize('a'.repeat(200))).toEqual({ ok: true, value: 'a'.repeat(64) });
    expect(normalize('abcdef', 3)).toEqual({ ok: true, value: 'abc' });
    expect(normalize('abc', 3)).toEqual({ ok: true, value: 'abc' });
  });

  it.each([
    [true, 'true'],
    [false, 'false'],
    [1, '1'],
    [1.0, '1'],
    [-1, '-1'],
    [2.5, '2.5'],
    [0, '0'],
  ])('turns %p into %p', (raw, expected) => {
    expect(normalize(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([[undefined], [null], [''], ['   '], ['\u0000\u0001']])('gives %p the label default', (raw) => {
    expect(normalize(raw)).toEqual({ ok: true, value: 'fallback' });
  });

  it.each([
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['NaN', NaN],
    ['an object', { a: 1 }],
    ['an array', ['a']],
    ['a function', () => 'x'],
    ['a symbol', Symbol('x')],
    ['a bigint', BigInt(5)],
    ['a Date', new Date(0)],
  ])('refuses %s as invalid_label_value', (_name, raw) => {
    expect(normalize(raw)).toEqual({ ok: false, problem: 'invalid_label_value' });
  });

  it.each([
    ['an email', 'jane.doe@example.com', 'email'],
    ['an email inside text', 'user: jane@example.co.uk (pro)', 'email'],
    ['an IPv4 address', '192.168.1.20', 'ip_address'],
    ['an IPv6 address', '2001:db8::8a2e:370:7334', 'ip_address'],
    ['the IPv6 loopback', '::1', 'ip_address'],
    ['a UUID', '3f2b8c1e-9d4a-4c3b-8e2f-1a2b3c4d5e6f', 'opaque_identifier'],
    ['an upper-case UUID inside a path', '/orders/3F2B8C1E-9D4A-4C3B-8E2F-1A2B3C4D5E6F/pay', 'opaque_identifier'],
    ['a card number inside text', 'order-4111111111111111', 'card_number'],
    ['a 9-digit number', 123456789, 'national_id'],
    ['an unsafe integer', Number.MAX_SAFE_INTEGER + 2, 'opaque_identifier'],
    ['an email padded with whitespace', '  jane@example.com  ', 'email'],
    ['a card number split by control characters', '4111\u00001111\u00011111\u00021111', 'card_number'],
  ])('replaces %s by "redacted" and names its family', (_name, raw, family) => {
    expect(normalize(raw)).toEqual({ ok: true, value: 'redacted', redacted: family });
  });

  it('checks personal data on the whole value before cutting it, so a cut cannot hide one', () => {
    expect(normalize(`${'x'.repeat(70)}jane@example.com`)).toEqual({ ok: true, value: 'redacted', redacted: 'email' });
  });

  it('accepts bounded look-alikes: versions, short numbers, ratios', () => {
    for (const raw of ['v1.2.3', '12345678', '10:30', 'us_west-2', 'a@b']) expect(normalize(raw)).toEqual({ ok: true, value: raw });
  });
});
