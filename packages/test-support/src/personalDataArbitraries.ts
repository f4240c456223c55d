import fc from 'fast-check';
/** The family of `detectPersonalData` (core) a generated value belongs to. */
export type GeneratedPersonalDataFamily = 'email' | 'card_number' | 'phone_number' | 'ip_address' | 'secret_token' | 'iban' | 'national_id' | 'opaque_identifier';

/**
 * fast-check generators of personal data and secrets, each family in the formats people and
 * programs write it (separators, grouping, case, encoding, surrounding text). Shared by the
 * detector's property tests and the public-API tests of core and the Express adapter.
 */

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (min: number, max: number): fc.Arbitrary<string> => fc.array(digit, { minLength: min, maxLength: max }).map((list) => list.join(''));
const hexChar = fc.constantFrom(...'0123456789abcdef'.split(''));
const hex = (min: number, max: number): fc.Arbitrary<string> => fc.array(hexChar, { minLength: min, maxLength: max }).map((list) => list.join(''));
const base64Chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const fromAlphabet = (alphabet: string, min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...alphabet.split('')), { minLength: min, maxLength: max }).map((list) => list.join(''));
const randomCase = (text: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((flags) => [...text].map((c, i) => (flags[i] === true ? c.toUpperCase() : c)).join(''));
const separator = fc.constantFrom('', ' ', '-', '.');

/** Splits `text` into groups of the sizes given (cycled) joined by `sep`. */
function group(text: string, sizes: readonly number[], sep: string): string {
  const parts: string[] = [];
  let at = 0;
  let i = 0;
  while (at < text.length) {
    const size = sizes[i % sizes.length] as number;
    parts.push(text.slice(at, at + size));
    at += size;
    i++;
  }
  return parts.join(sep);
}

/** Optional text around a value, as it might arrive in a label (`card 4111...`, `?ref=...`). */
const surroundings = fc.constantFrom<[string, string]>(['', ''], ['', ''], ['id ', ''], ['ref=', ''], ['from ', ' today'], ['x_', '_y']);
const around = (value: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(value, surroundings).map(([v, [before, after]]) => `${before}${v}${after}`);

function luhnCheckDigit(body: string): string {
  let sum = 0;
  let double = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let d = body.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

export const cardNumber: fc.Arbitrary<string> = around(
  fc
    .tuple(fc.constantFrom('4', '51', '55', '34', '37', '6011', '35', '62'), fc.integer({ min: 13, max: 19 }), digits(19, 19), separator, fc.constantFrom([4], [4, 6, 5], [3], [5]))
    .map(([prefix, length, fill, sep, sizes]) => {
      const body = (prefix + fill).slice(0, length - 1);
      return group(body + luhnCheckDigit(body), sizes, sep);
    }),
);

const phoneSep = fc.constantFrom(' ', '-', '.', '');
export const phoneNumber: fc.Arbitrary<string> = around(
  fc.oneof(
    // E.164, written with or without grouping: +44 20 7946 0958, +1-555-123-4567, +4915112345678
    fc.tuple(fc.constantFrom('1', '44', '49', '33', '34', '39', '31', '91', '81', '61', '353'), digits(8, 11), phoneSep, fc.constantFrom([3], [2], [3, 4], [4])).map(
      ([cc, rest, sep, sizes]) => `+${cc}${sep === '' ? '' : sep}${group(rest, sizes, sep)}`.slice(0, 20),
    ),
    // North American: (555) 123-4567, 555.123.4567, 555-123-4567, 1 555 123 4567
    fc.tuple(digits(3, 3), digits(3, 3), digits(4, 4), fc.constantFrom('(a) b-c', 'a.b.c', 'a-b-c', 'a b c', '1 (a) b c', '1-a-b-c', '(a)b-c')).map(([a, b, c, shape]) =>
      shape.replace('a', `${(Number(a[0]) % 8) + 2}${a.slice(1)}`).replace('b', b).replace('c', c),
    ),
    // European national: 020 7946 0958, 01 23 45 67 89, 0151-1234567, 06.12.34.56.78
    fc.tuple(digits(9, 10), phoneSep, fc.constantFrom([2], [3, 4], [4, 3], [3])).map(([rest, sep, sizes]) => group(`0${rest}`, sizes, sep)),
  ),
);

const octet = fc.integer({ min: 0, max: 255 });
const ipv4Text = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));
export const ipv4Address: fc.Arbitrary<string> = fc
  .tuple(ipv4Text, fc.option(fc.integer({ min: 1, max: 65535 })), fc.constantFrom('', 'http://', 'client '), fc.constantFrom('', '/', '/path'))
  .map(([ip, port, before, after]) => `${before}${ip}${port === null ? '' : `:${port}`}${before === 'http://' ? after : ''}`);

export const ipv6Address: fc.Arbitrary<string> = fc.oneof(
  // Full or compressed: 2001:db8:0:0:0:0:2:1, 2001:db8::2:1, fe80::1, ::1
  fc
    .tuple(fc.array(hex(1, 4), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.boolean())
    .chain(([groups, a, b, upper]) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      const text = to - from >= 1 ? `${groups.slice(0, from).join(':')}::${groups.slice(to).join(':')}` : groups.join(':');
      return fc.constant(upper ? text.toUpperCase() : text);
    }),
  // IPv4-mapped and -compatible: ::ffff:192.0.2.1, 0:0:0:0:0:ffff:10.1.2.3
  fc.tuple(fc.constantFrom('::ffff:', '0:0:0:0:0:ffff:', '::FFFF:', '64:ff9b::'), ipv4Text).map(([prefix, ip]) => prefix + ip),
).chain((ip) =>
  // Bare, in brackets with a port, with a zone id, in a URL.
  fc.constantFrom(ip, `[${ip}]:8080`, `${ip}%eth0`, `http://[${ip}]/`, `client ${ip}`),
);

const localPart = fromAlphabet('abcdefghijklmnopqrstuvwxyz0123456789._+-', 1, 20).filter((s) => /^[a-z0-9]/.test(s));
const domainLabel = fromAlphabet('abcdefghijklmnopqrstuvwxyz0123456789-', 1, 12).filter((s) => /^[a-z0-9]/.test(s));
const emailText = fc
  .tuple(localPart, fc.array(domainLabel, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'org', 'net', 'io', 'de', 'co.uk', 'fr', 'shop'))
  .map(([local, labels, tld]) => `${local}@${labels.join('.')}.${tld}`);
export const emailAddress: fc.Arbitrary<string> = fc
  .tuple(emailText, fc.constantFrom('plain', 'upper', 'encoded', 'double', 'url', 'query', 'mailto', 'text'))
  .map(([email, form]) => {
    switch (form) {
      case 'upper':
        return email.toUpperCase();
      case 'encoded':
        return encodeURIComponent(email);
      case 'double':
        return encodeURIComponent(encodeURIComponent(email));
      case 'url':
        return `https://shop.example/confirm?email=${encodeURIComponent(email)}&step=2`;
      case 'query':
        return `utm_content=${email}`;
      case 'mailto':
        return `mailto:${email}`;
      case 'text':
        return `newsletter for ${email}`;
      default:
        return email;
    }
  });

const base64url = (min: number, max: number): fc.Arbitrary<string> => fromAlphabet(`${base64Chars}-_`, min, max);
export const jsonWebToken: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('HS256', 'RS256', 'ES256'), base64url(20, 120), base64url(20, 86), fc.constantFrom('', 'Bearer ', 'token='))
  .map(([alg, payload, signature, before]) => `${before}${Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url')}.eyJ${payload}.${signature}`);

export const bearerOrApiToken: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(randomCase('bearer'), fc.constantFrom(' ', ': ', '=', '%20'), fromAlphabet(`${base64Chars}._~+/-`, 8, 60), fc.constantFrom('', 'Authorization: '))
    .map(([scheme, sep, token, before]) => `${before}${scheme}${sep}${token}`),
  fc
    .tuple(fc.constantFrom('sk_live_', 'sk_test_', 'pk_live_', 'rk_test_', 'ghp_', 'gho_', 'github_pat_', 'xoxb-', 'xoxp-', 'glpat-', 'npm_', 'sk-'), fromAlphabet(base64Chars, 36, 48))
    .map(([prefix, token]) => prefix + token),
  fromAlphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16, 16).map((key) => `AKIA${key}`),
  fromAlphabet(`${base64Chars}-_`, 35, 35).map((key) => `AIza${key}`),
  fc
    .tuple(fc.constantFrom('api_key', 'apikey', 'access_token', 'token', 'secret', 'password', 'client_secret', 'sessionid', 'sig'), fc.constantFrom('=', ': '), fromAlphabet(base64Chars, 6, 40), fc.constantFrom('', '?', 'utm_source=x&'))
    .map(([name, sep, value, before]) => `${before}${name}${sep}${value}`),
);

export const hexSecret: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(16, 24, 32, 40, 48, 64), hex(64, 64), fc.boolean())
  .filter(([length, text]) => /\d/.test(text.slice(0, length)))
  .map(([length, text, upper]) => (upper ? text.slice(0, length).toUpperCase() : text.slice(0, length)));

export const base64Secret: fc.Arbitrary<string> = fc
  .tuple(fromAlphabet(`${base64Chars}+/`, 24, 88), fc.constantFrom('', '=', '=='))
  .map(([body, padding]) => body + padding);

const ibanSpecs: readonly [string, number][] = [
  ['DE', 18],
  ['GB', 18],
  ['FR', 23],
  ['NL', 14],
  ['ES', 20],
  ['IT', 23],
  ['BE', 12],
  ['CH', 17],
  ['AT', 16],
  ['PL', 24],
];
function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`;
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const d of value) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return String(98 - remainder).padStart(2, '0');
}
export const iban: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...ibanSpecs), fromAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 30, 30), fc.constantFrom('', ' ', '-'), fc.boolean())
  .map(([[country, length], fill, sep, lower]) => {
    // Bank codes of most countries are digits: keep the first 4 letters-or-digits, then digits.
    const bban = (fill.slice(0, 4) + fill.slice(4).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) % 10))).slice(0, length);
    const text = group(`${country}${ibanCheckDigits(country, bban)}${bban}`, [4], sep);
    return lower ? text.toLowerCase() : text;
  });

export const nationalId: fc.Arbitrary<string> = fc.oneof(
  // US SSN: area 001-899 but not 666, group 01-99, serial 0001-9999.
  fc
    .tuple(fc.integer({ min: 1, max: 899 }).filter((a) => a !== 666), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }), fc.constantFrom('-', ' ', '.', ''))
    .map(([a, g, s, sep]) => `${String(a).padStart(3, '0')}${sep}${String(g).padStart(2, '0')}${sep}${String(s).padStart(4, '0')}`),
  // UK National Insurance number: AB 12 34 56 C, ab123456c.
  fc
    .tuple(fc.constantFrom('AB', 'CE', 'JG', 'PR', 'WX', 'HT', 'SN', 'ZY'), digits(6, 6), fc.constantFrom('A', 'B', 'C', 'D'), fc.constantFrom(' ', '', '-'), fc.boolean())
    .map(([prefix, number, suffix, sep, lower]) => {
      const text = [prefix, number.slice(0, 2), number.slice(2, 4), number.slice(4), suffix].join(sep);
      return lower ? text.toLowerCase() : text;
    }),
);

export const opaqueIdentifier: fc.Arbitrary<string> = fc.oneof(
  // UUID in its forms: dashed, upper case, braced, bare.
  fc.uuid().chain((id) => fc.constantFrom(id, id.toUpperCase(), `{${id}}`, id.replace(/-/g, ''), `user-${id}`)),
  // ULID, MongoDB ObjectId, long numeric ids.
  fc.tuple(fc.constantFrom('0', '1'), fromAlphabet('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 25, 25)).map(([first, rest]) => first + rest),
  hex(24, 24).filter((text) => /\d/.test(text)),
  fc.tuple(fc.integer({ min: 1, max: 9 }), digits(8, 18)).map(([first, rest]) => `${first}${rest}`),
  // Typed random ids: cus_NffrFeUfNV2Hib, ord-8Fh2kLq9ZxPw3Ty.
  fc
    .tuple(fc.constantFrom('cus', 'ch', 'pi', 'ord', 'usr', 'sess', 'acct'), fc.constantFrom('_', '-'), fromAlphabet(base64Chars, 14, 24))
    .filter(([, , tail]) => /\d/.test(tail) && /[A-Z]/.test(tail) && /[a-z]/.test(tail))
    .map(([prefix, sep, tail]) => prefix + sep + tail),
);

/** Every family's generator, by the family a value is meant to be refused as. */
export const personalDataArbitraries: Readonly<Record<string, { readonly family: GeneratedPersonalDataFamily; readonly arbitrary: fc.Arbitrary<string> }>> = {
  card_number: { family: 'card_number', arbitrary: cardNumber },
  phone_number: { family: 'phone_number', arbitrary: phoneNumber },
  ipv4: { family: 'ip_address', arbitrary: ipv4Address },
  ipv6: { family: 'ip_address', arbitrary: ipv6Address },
  email: { family: 'email', arbitrary: emailAddress },
  jwt: { family: 'secret_token', arbitrary: jsonWebToken },
  bearer_or_api_token: { family: 'secret_token', arbitrary: bearerOrApiToken },
  hex_secret: { family: 'opaque_identifier', arbitrary: hexSecret },
  base64_secret: { family: 'opaque_identifier', arbitrary: base64Secret },
  iban: { family: 'iban', arbitrary: iban },
  national_id: { family: 'national_id', arbitrary: nationalId },
  opaque_identifier: { family: 'opaque_identifier', arbitrary: opaqueIdentifier },
};

/** Any personal-data value of any family. */
export const anyPersonalData: fc.Arbitrary<string> = fc.oneof(...Object.values(personalDataArbitraries).map((entry) => entry.arbitrary));

/** `count` values of `arbitrary` from a fixed seed (the same values every run). */
export function sampleValues<T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number): T[] {
  return fc.sample(arbitrary, { seed, numRuns: count });
}
