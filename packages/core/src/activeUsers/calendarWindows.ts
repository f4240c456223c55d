/** The guide's active-user windows. */
export type ActiveUserWindow = 'daily' | 'weekly' | 'monthly';

export const activeUserWindows: readonly ActiveUserWindow[] = ['daily', 'weekly', 'monthly'];

const dayMs = 86_400_000;

/** Start (epoch ms) of the UTC calendar day containing `epochMs`. */
export function utcDayStart(epochMs: number): number {
  return Math.floor(epochMs / dayMs) * dayMs;
}

/** Start of the ISO 8601 week (Monday 00:00 UTC) containing `epochMs`. */
export function isoWeekStart(epochMs: number): number {
  const day = utcDayStart(epochMs);
  // 1970-01-01 was a Thursday: day index 0; Monday-based weekday = (index + 3) % 7.
  const weekday = (((day / dayMs + 3) % 7) + 7) % 7;
  return day - weekday * dayMs;
}

/** Start of the UTC calendar month containing `epochMs`. */
export function utcMonthStart(epochMs: number): number {
  const date = new Date(epochMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** Window starts of one instant, and the next day boundary after which they must be recomputed. */
export interface WindowStarts {
  readonly daily: number;
  readonly weekly: number;
  readonly monthly: number;
  /** Start of the next UTC day: week and month boundaries are always day boundaries. */
  readonly validUntil: number;
}

/** The tumbling UTC windows (day, ISO week, calendar month) that contain `epochMs`. */
export function windowStarts(epochMs: number): WindowStarts {
  const daily = utcDayStart(epochMs);
  return { daily, weekly: isoWeekStart(epochMs), monthly: utcMonthStart(epochMs), validUntil: daily + dayMs };
}
