import { isoWeekStart, utcDayStart, utcMonthStart, windowStarts } from './calendarWindows';

const at = (iso: string) => Date.parse(iso);

describe('calendar windows (UTC, tumbling)', () => {
  it('starts the day at 00:00 UTC', () => {
    expect(utcDayStart(at('2026-11-27T23:59:59.999Z'))).toBe(at('2026-11-27T00:00:00Z'));
  });

  it('starts the ISO week on Monday', () => {
    expect(isoWeekStart(at('2026-11-27T12:00:00Z'))).toBe(at('2026-11-23T00:00:00Z')); // Friday
    expect(isoWeekStart(at('2026-11-29T23:00:00Z'))).toBe(at('2026-11-23T00:00:00Z')); // Sunday
    expect(isoWeekStart(at('2026-11-30T00:00:00Z'))).toBe(at('2026-11-30T00:00:00Z')); // Monday
    expect(isoWeekStart(at('2027-01-01T08:00:00Z'))).toBe(at('2026-12-28T00:00:00Z')); // across a year
    expect(isoWeekStart(at('1969-12-31T08:00:00Z'))).toBe(at('1969-12-29T00:00:00Z')); // before the epoch
  });

  it('starts the month on the 1st', () => {
    expect(utcMonthStart(at('2026-02-28T23:00:00Z'))).toBe(at('2026-02-01T00:00:00Z'));
    expect(utcMonthStart(at('2024-02-29T10:00:00Z'))).toBe(at('2024-02-01T00:00:00Z'));
  });

  it('is valid until the next UTC midnight', () => {
    expect(windowStarts(at('2026-11-27T10:00:00Z')).validUntil).toBe(at('2026-11-28T00:00:00Z'));
  });
});
