import type { RefusalReason } from './refusalReason';

/**
 * Why a measurement cannot be recorded, or `undefined` when it can. Business values are never
 * negative; `integer` values (minor currency units, user counts) must also be safe integers.
 */
export function checkMeasurement(value: unknown, valueType: 'integer' | 'non_negative'): RefusalReason | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'invalid_value';
  if (value < 0) return 'negative_value';
  if (valueType === 'integer' && !Number.isSafeInteger(value)) return 'non_integer_value';
  return undefined;
}

/** Short description of a refused value for the log line (never the whole of a huge string). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return typeof value;
}
