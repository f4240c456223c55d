import { detectPersonalData, redactedLabelValue, type PersonalDataFamily } from './personalData';

/** How label values are cleaned before they become part of a series. */
export interface LabelValuePolicy {
  /** Longer values are cut to this many characters. */
  readonly maxLength: number;
}

export const defaultLabelValuePolicy: LabelValuePolicy = { maxLength: 64 };

/** Why a label value was refused. */
export type LabelValueProblem = 'invalid_label_value' | 'unbounded_label_value';

/**
 * A cleaned label value, or the reason it cannot be one. `redacted` names the family of personal
 * data the value carried: `value` is then `redactedLabelValue` and the caller counts the refusal.
 */
export type NormalizedLabelValue =
  | { ok: true; value: string; redacted?: undefined }
  | { ok: true; value: typeof redactedLabelValue; redacted: PersonalDataFamily }
  | { ok: false; problem: LabelValueProblem };

const controlCharacters = /[\u0000-\u001f\u007f]/g;
const whitespaceRun = /\s+/g;

/**
 * Turns what a caller passed into a label value: strings are trimmed, control characters removed,
 * whitespace runs folded and the result cut to `maxLength`; numbers and booleans become strings;
 * `undefined`, `null` and empty strings take the label's default. Objects, symbols and functions
 * are refused. A value that carries personal data or a secret (see `detectPersonalData`) becomes
 * `redacted`, so the measurement is kept without it.
 */
export function normalizeLabelValue(raw: unknown, fallback: string, policy: LabelValuePolicy): NormalizedLabelValue {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (typeof raw === 'boolean') text = raw ? 'true' : 'false';
  else if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
  else if (raw === undefined || raw === null) return { ok: true, value: fallback };
  else return { ok: false, problem: 'invalid_label_value' };

  // Personal data is looked for in the value as it arrived, then in the cleaned value (cleaning
  // removes characters, which could join a number split by control characters).
  const family = detectPersonalData(text);
  if (family !== undefined) return { ok: true, value: redactedLabelValue, redacted: family };
  const cleaned = text.replace(controlCharacters, '').replace(whitespaceRun, ' ').trim();
  if (cleaned !== text) {
    const hidden = detectPersonalData(cleaned);
    if (hidden !== undefined) return { ok: true, value: redactedLabelValue, redacted: hidden };
  }
  text = cleaned;
  if (text === '') return { ok: true, value: fallback };
  if (text.length > policy.maxLength) text = text.slice(0, policy.maxLength);
  return { ok: true, value: text };
}
