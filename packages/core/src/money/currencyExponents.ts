/**
 * ISO 4217 minor-unit exponents of the active currency codes ("List one", SIX Financial Information,
 * amendment 179, 2025; https://www.six-group.com/en/products-services/financial-information/data-standards.html).
 * Written out rather than taken from a package: the data is ~180 short entries and the maintained
 * packages bring country tables and dependencies we do not need. `Intl.NumberFormat` is not used
 * on purpose: it follows CLDR display digits, which differ from ISO 4217 for some codes
 * (IQD is 3 in ISO but 0 in CLDR, for example).
 *
 * Codes without a minor unit in ISO 4217 ("N.A.": XAU, XAG, XDR, XXX, ...) are left out: an amount
 * in them has no minor unit to count in.
 */

const exponentZero = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const exponentThree = 'BHD IQD JOD KWD LYD OMR TND';
const exponentFour = 'CLF UYW';
const exponentTwo =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
  'GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD ' +
  'LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN ' +
  'PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL ' +
  'THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL';

function table(): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  const add = (codes: string, exponent: number): void => {
    for (const code of codes.split(' ')) map.set(code, exponent);
  };
  add(exponentTwo, 2);
  add(exponentZero, 0);
  add(exponentThree, 3);
  add(exponentFour, 4);
  return map;
}

/** Minor-unit exponent of every ISO 4217 code this package knows, e.g. `USD` → 2, `JPY` → 0, `KWD` → 3. */
export const iso4217Exponents: ReadonlyMap<string, number> = table();

const codePattern = /^[A-Z]{3}$/;

/** Whether `code` is an ISO 4217 code with a minor unit (upper case, e.g. `EUR`). */
export function isKnownCurrency(code: unknown): code is string {
  return typeof code === 'string' && iso4217Exponents.has(code);
}

/** The ISO 4217 exponent of `code`, or `undefined` for a code that is not in the table. */
export function currencyExponent(code: string): number | undefined {
  return iso4217Exponents.get(code);
}

/** Whether `code` has the shape of a currency code (three upper-case letters). */
export function looksLikeCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && codePattern.test(code);
}
