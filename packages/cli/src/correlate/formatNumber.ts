/** Three significant digits without exponent noise for everyday magnitudes ("0.801", "1250", "-0.0321"). */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(digits - 1);
  return String(Number(value.toPrecision(digits)));
}

/** "< 0.001" below a thousandth, else three significant digits. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  return p < 0.001 ? '< 0.001' : `= ${formatNumber(p, 2)}`;
}

/** Signed coefficient with two decimals ("-0.83", "+0.12"). */
export function formatCoefficient(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  return `${r >= 0 ? '+' : ''}${r.toFixed(2)}`;
}
