/** How label values are cleaned before they become part of a series. */
export interface LabelValuePolicy {
  /** Longer values are cut to this many characters. */
  readonly maxLength: number;
}

export const defaultLabelValuePolicy: LabelValuePolicy = { maxLength: 64 };

/** Why a label value was refused. */
export type LabelValueProblem = 'invalid_label_value' | 'unbounded_label_value';

/** A cleaned label value, or the reason it cannot be one. */
export type NormalizedLabelValue = { ok: true; value: string } | { ok: false; problem: LabelValueProblem };

// Values shaped like identifiers or personal data: each would be its own series.
const emailPattern = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const ipv4Pattern = /^\d{1,3}(\.\d{1,3}){3}$/;
const ipv6Pattern = /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$/i;
const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const longDigitRun = /\d{9,}/;
const controlCharacters = /[\u0000-\u001f\u007f]/g;
const whitespaceRun = /\s+/g;

/**
 * Turns what a caller passed into a label value: strings are trimmed, control characters removed,
 * whitespace runs folded and the result cut to `maxLength`; numbers and booleans become strings;
 * `undefined`, `null` and empty strings take the label's default. Objects, symbols, functions and
 * values that look like personal data or identifiers are refused.
 */
export function normalizeLabelValue(raw: unknown, fallback: string, policy: LabelValuePolicy): NormalizedLabelValue {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (typeof raw === 'boolean') text = raw ? 'true' : 'false';
  else if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
  else if (raw === undefined || raw === null) return { ok: true, value: fallback };
  else return { ok: false, problem: 'invalid_label_value' };

  text = text.replace(controlCharacters, '').replace(whitespaceRun, ' ').trim();
  if (text === '') return { ok: true, value: fallback };
  // Each pattern needs a character most values lack: testing for it first skips the unanchored
  // patterns' backtracking (the e-mail one is quadratic in the length of a value without '@').
  if (
    (text.includes('@') && emailPattern.test(text)) ||
    ipv4Pattern.test(text) ||
    (text.includes(':') && ipv6Pattern.test(text)) ||
    (text.includes('-') && uuidPattern.test(text)) ||
    longDigitRun.test(text)
  ) {
    return { ok: false, problem: 'unbounded_label_value' };
  }
  if (text.length > policy.maxLength) text = text.slice(0, policy.maxLength);
  return { ok: true, value: text };
}
