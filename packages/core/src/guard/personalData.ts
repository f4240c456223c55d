/**
 * Families of personal data and secrets a label value is checked for. Each is a `reason` of
 * `bizmetrics_refused_values_total` (as `personal_data_<family>`), so a dashboard shows which kind
 * of data an application tried to put into a label.
 */
export type PersonalDataFamily =
  | 'email'
  | 'card_number'
  | 'phone_number'
  | 'ip_address'
  | 'secret_token'
  | 'iban'
  | 'national_id'
  | 'opaque_identifier';

/** Every family, in the order they are checked. */
export const personalDataFamilies: readonly PersonalDataFamily[] = [
  'secret_token',
  'email',
  'iban',
  'ip_address',
  'card_number',
  'national_id',
  'phone_number',
  'opaque_identifier',
];

/** The one label value that replaces a refused value: the measurement is kept under it. */
export const redactedLabelValue = 'redacted';

// Values are inspected up to this many characters (the checks stay linear in practice): a label
// value is at most 64 characters after cleaning, and cleaning only removes characters, so data past
// this reaches a label only behind hundreds of removed characters: the cleaned value is checked too.
const inspectedLength = 512;

const jwtPattern = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/;
// `Bearer <anything>`; the other schemes only with a credential that has digits (`basic plan` is a word).
const authSchemePattern = /\bbearer(?:[\s:=+]|%20)+[A-Za-z0-9._~+/=-]{8,}|\b(?:basic|token|digest|negotiate)(?:[\s:=+]|%20)+(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{12,}/i;
// Well-known key prefixes (Stripe, GitHub, Slack, AWS, Google, GitLab, npm, OpenAI-style `sk-`).
const apiKeyPattern =
  /\b(?:(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|glpat-[A-Za-z0-9_-]{16,}|npm_[A-Za-z0-9]{30,}|sk-[A-Za-z0-9_-]{20,})/;
// A credential-named parameter with a value: `?api_key=...`, `token: ...`, `password=...`.
const credentialParamPattern = /(?:^|[?&;,\s/#])(?:[a-z_-]*(?:token|secret|password|passwd|pwd|api[_-]?key|apikey|auth|session[_-]?id|sid|signature|sig))\s*[=:]\s*[^\s&;,]{6,}/i;
const emailPattern = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const ibanCandidate = /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}\b/gi;
const ipv4Candidate = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)/;
const ipv6Candidate = /(?<![A-Za-z0-9_])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?![A-Za-z0-9_])/g;
const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
// Digits with the separators people write numbers with: spaces, dashes, dots, parentheses.
const digitGroupPattern = /\+?\(?\d(?:[\s().-]{0,3}\d)+/g;
const ssnPattern = /(?<!\d)(?!000|666|9\d\d)\d{3}([- .]?)(?!00)\d{2}\1(?!0000)\d{4}(?!\d)/;
const ninoPattern = /(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z][A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z][\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}[\s-]?[A-Da-d](?![A-Za-z0-9])/;
// Dates are not personal data: 2024-12-31, 31.12.2024, 12 31 2024.
const datePattern = /^(?:\d{4}[-. ]\d{1,2}[-. ]\d{1,2}|\d{1,2}[-. ]\d{1,2}[-. ]\d{4})$/;
const hexRunPattern = /[0-9a-f]{16,}/gi;
const tokenRunPattern = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const ulidPattern = /(?<![0-9A-Z])[0-7][0-9A-HJKMNP-TV-Z]{25}(?![0-9A-Z])/;
// An identifier with a type prefix (`cus_...`, `ord-...`) followed by a long random-looking tail.
const prefixedIdPattern = /\b[a-z]{2,8}[_-][A-Za-z0-9]{14,}\b/g;
const percentEncoded = /%[0-9a-f]{2}/i;

/**
 * Which family of personal data or secret `raw` contains, or `undefined` for none. Looks at the
 * value as it arrived (and at its percent-decoded form), before any cleaning: folding `@` into `_`
 * or cutting a value could hide what it was. Meant for values not seen before (the series table
 * and the adapter's label caches serve repeats without calling it).
 */
export function detectPersonalData(raw: string): PersonalDataFamily | undefined {
  const text = raw.length > inspectedLength ? raw.slice(0, inspectedLength) : raw;
  const found = detectIn(text);
  if (found !== undefined || !percentEncoded.test(text)) return found;
  // `alice%40example.com`, `?email=alice%2540example.com`: decode (three times at most) and look again.
  let decoded = text;
  for (let round = 0; round < 3 && percentEncoded.test(decoded); round++) {
    decoded = percentDecode(decoded);
    const family = detectIn(decoded);
    if (family !== undefined) return family;
  }
  return undefined;
}

function detectIn(text: string): PersonalDataFamily | undefined {
  if (jwtPattern.test(text) || authSchemePattern.test(text) || apiKeyPattern.test(text) || credentialParamPattern.test(text)) return 'secret_token';
  if (text.includes('@') && emailPattern.test(text)) return 'email';
  if (containsIban(text)) return 'iban';
  if (containsIpv6(text) || containsIpv4(text)) return 'ip_address';
  const digits = digitFamily(text);
  if (digits !== undefined) return digits;
  if (ninoPattern.test(text)) return 'national_id';
  if (uuidPattern.test(text) || ulidPattern.test(text) || containsSecretRun(text) || containsPrefixedId(text)) return 'opaque_identifier';
  return undefined;
}

/** Card, national id, phone or long number in the runs of digits (with separators) of `text`. */
function digitFamily(text: string): PersonalDataFamily | undefined {
  if (!/\d/.test(text)) return undefined;
  if (ssnPattern.test(text) && /\d{3}([- .])\d{2}\1\d{4}/.test(text)) return 'national_id';
  let longest: PersonalDataFamily | undefined;
  for (const match of text.matchAll(digitGroupPattern)) {
    const group = match[0];
    const digits = group.replace(/\D/g, '');
    if (digits.length < 7) continue;
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return 'card_number';
    if (datePattern.test(group)) continue;
    const separated = digits.length !== group.length;
    if (group.startsWith('+') && digits.length >= 7 && digits.length <= 15) return 'phone_number';
    if (group.includes('(') && digits.length >= 7) return 'phone_number';
    if (digits.length === 9 && ssnPattern.test(digits)) longest ??= 'national_id';
    if (separated && digits.length >= 7 && digits.length <= 15 && phoneShaped(group)) return 'phone_number';
    // Nine digits or more in a row, however written: an account, order or national number.
    if (digits.length >= 9) longest ??= 'opaque_identifier';
  }
  return longest;
}

/** Groups of 2-4 digits separated by space, dash or dot, as national phone numbers are written. */
function phoneShaped(group: string): boolean {
  const parts = group.split(/[\s().\-/]+/).filter((part) => part !== '');
  if (parts.length < 2) return false;
  return parts.every((part) => part.length >= 1 && part.length <= 5);
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

function containsIban(text: string): boolean {
  if (!/\d{2}/.test(text)) return false;
  for (const match of text.matchAll(ibanCandidate)) {
    const compact = match[0].replace(/[ -]/g, '').toUpperCase();
    if (compact.length >= 15 && compact.length <= 34 && ibanChecksumValid(compact)) return true;
  }
  return false;
}

/** ISO 13616 check: the rearranged number, letters as 10..35, is 1 modulo 97. */
function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

function containsIpv4(text: string): boolean {
  const match = ipv4Candidate.exec(text);
  if (match === null) return false;
  return match.slice(1, 5).every((octet) => Number(octet) <= 255);
}

function containsIpv6(text: string): boolean {
  if (!text.includes(':')) return false;
  for (const match of text.matchAll(ipv6Candidate)) if (isIpv6(match[0].replace(/^:(?!:)|(?<!:):$/g, ''))) return true;
  return false;
}

/** RFC 4291 text forms: eight groups, one `::`, and an IPv4 tail (`::ffff:192.0.2.1`). */
function isIpv6(candidate: string): boolean {
  let text = candidate;
  const groupsNeeded = 8;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(tail) || tail.split('.').some((octet) => Number(octet) > 255)) return false;
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  if (groups.some((list) => list.some((group) => !/^[0-9A-Fa-f]{1,4}$/.test(group)))) return false;
  const count = groups.reduce((total, list) => total + list.length, 0);
  return halves.length === 2 ? count < groupsNeeded && (count >= 1 || text === '::') : count === groupsNeeded;
}

/** Long hex runs (tokens, hashes, trace ids) and base64 runs with the mixed classes of random data. */
function containsSecretRun(text: string): boolean {
  for (const match of text.matchAll(hexRunPattern)) {
    const run = match[0];
    // Random hex has digits and letters; a run of one letter (`aaaa...`) or of digits alone is no hex secret.
    if (/\d/.test(run) && /[a-f]/i.test(run)) return true;
  }
  for (const match of text.matchAll(tokenRunPattern)) if (looksRandom(match[0])) return true;
  return false;
}

/**
 * Random base64 of 20+ characters mixes upper case, lower case and digits, about half its letters
 * upper case, and switches between them often; words and camelCase names switch rarely and have
 * one capital per word.
 */
function looksRandom(run: string): boolean {
  let upper = 0;
  let lower = 0;
  let digit = 0;
  let switches = 0;
  let previous = -1;
  for (let i = 0; i < run.length; i++) {
    const code = run.charCodeAt(i);
    const kind = code >= 65 && code <= 90 ? 0 : code >= 97 && code <= 122 ? 1 : code >= 48 && code <= 57 ? 2 : 3;
    if (kind === 0) upper++;
    else if (kind === 1) lower++;
    else if (kind === 2) digit++;
    if (previous !== -1 && kind !== previous) switches++;
    previous = kind;
  }
  const rate = switches / (run.length - 1);
  if (upper === 0 || lower === 0) {
    // One case and digits (base36 ids): needs more digits and switches than words with a year.
    return digit >= 5 && rate >= 0.4;
  }
  // Random letters are about half upper case; camelCase names have one capital per word (a
  // quarter of the letters or less) and switch class a third of the time or less.
  const upperShare = upper / (upper + lower);
  if (upperShare >= 0.3 && upperShare <= 0.75 && rate >= 0.25) return true;
  if (digit > 0) return rate >= 0.35;
  return upperShare >= 0.2 && upperShare <= 0.8 && rate >= 0.4;
}

function containsPrefixedId(text: string): boolean {
  for (const match of text.matchAll(prefixedIdPattern)) {
    const tail = match[0].slice(match[0].search(/[_-]/) + 1);
    if (/\d/.test(tail) && looksRandom(tail)) return true;
  }
  return false;
}

function percentDecode(text: string): string {
  return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
