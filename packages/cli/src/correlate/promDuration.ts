import { CorrelateError } from './correlateError';

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

const DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/**
 * Parses a Prometheus duration ("5m", "7d", "1h30m") into seconds; a bare number is taken as seconds.
 * @param option the option name, for the error message
 */
export function parsePromDuration(value: string | number, option: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value > 0) return value;
    throw new CorrelateError('invalid-option', `${option} must be a positive number of seconds, got ${value}`);
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text) && Number(text) > 0) return Number(text);
  if (!DURATION.test(text)) {
    throw new CorrelateError(
      'invalid-option',
      `${option} "${value}" is not a duration: use Prometheus syntax such as 30m, 7d or 1h30m`,
    );
  }
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(PART)) seconds += Number(amount) * (UNIT_SECONDS[unit as string] as number);
  if (seconds <= 0) throw new CorrelateError('invalid-option', `${option} must be longer than 0, got "${value}"`);
  return seconds;
}

/** Renders seconds back as a short Prometheus-style duration ("10m", "1h30m", "45s"). */
export function formatPromDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = Math.round(seconds * 1000);
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
