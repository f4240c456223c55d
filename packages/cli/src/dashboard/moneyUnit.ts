import { currencyExponent } from '@bizmetrics/core';

/** Currencies Grafana has a unit for (its "Currency" unit category). */
const grafanaCurrencyUnits: ReadonlySet<string> = new Set([
  'USD', 'GBP', 'EUR', 'JPY', 'RUB', 'UAH', 'BRL', 'DKK', 'ISK', 'NOK', 'SEK', 'CZK', 'CHF', 'PLN', 'ZAR', 'INR', 'KRW', 'IDR', 'PHP',
  'VND', 'TRY', 'MYR', 'XPF', 'BGN', 'PYG', 'UYU', 'ILS',
]);

/** How a panel shows amounts recorded in minor units (cents). */
export interface MoneyUnit {
  /** Grafana unit id: `currencyEUR`, or `suffix: CAD` for a currency Grafana has no unit for. */
  readonly unit: string;
  /** Minor units per major unit: 100 for USD, 1 for JPY. */
  readonly minorPerMajor: number;
}

/** The Grafana unit and divisor for amounts in `currency`'s minor units. */
export function moneyUnit(currency: string): MoneyUnit {
  const exponent = currencyExponent(currency) ?? 2;
  return {
    unit: grafanaCurrencyUnits.has(currency) ? `currency${currency}` : `suffix: ${currency}`,
    minorPerMajor: 10 ** exponent,
  };
}

/** `expr` in major units: `(expr) / 100` (unchanged for a currency without minor units). */
export function inMajorUnits(expr: string, money: MoneyUnit): string {
  return money.minorPerMajor === 1 ? expr : `(${expr}) / ${money.minorPerMajor}`;
}

/** Whether a catalog unit means amounts of money in minor units (`{cent}`, `{cents}`). */
export function isMinorUnitAmount(unit: string): boolean {
  return /^\{cents?\}$/.test(unit);
}
