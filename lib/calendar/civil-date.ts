// Local dates are handled as whole day numbers (days since 1970-01-01) so that walking a
// calendar day by day is integer arithmetic; strings are only made for map look-ups and output.
// Nothing here knows about time zones: a civil date is a date on a wall calendar.

import { assertIntegerAmount, CalendarError } from "./errors";

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;
export const MINUTES_PER_DAY = 1_440;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const ISO_WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

/** "YYYY-MM-DD" */
export type CivilDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})$/;

// Before 1900 many zones used local mean time with second offsets, and far in the future Date
// and Intl stop agreeing; nobody has a deadline there, so the walk refuses to go there.
export const FIRST_SUPPORTED_DAY = Date.UTC(1900, 0, 1) / MS_PER_DAY;
export const LAST_SUPPORTED_DAY = Date.UTC(9999, 11, 31) / MS_PER_DAY;

export function assertSupportedDay(day: number): void {
  if (day < FIRST_SUPPORTED_DAY || day > LAST_SUPPORTED_DAY) {
    throw new CalendarError("OUT_OF_RANGE", "the calculation left the supported years 1900–9999");
  }
}

/** Day number of a "YYYY-MM-DD" string, or undefined when it is not a real calendar date. */
export function parseCivilDate(value: string): number | undefined {
  const match = DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches it.
  if (formatCivilDate(ms / MS_PER_DAY) !== value) return undefined;
  return ms / MS_PER_DAY;
}

export function isCivilDate(value: string): boolean {
  return parseCivilDate(value) !== undefined;
}

/** Day number of a date that is known to be valid (schema-checked data). */
export function civilDateToDay(value: CivilDate): number {
  const day = parseCivilDate(value);
  if (day === undefined) throw new CalendarError("INVALID_ARGUMENT", `"${value}" is not a date in YYYY-MM-DD form`);
  return day;
}

export function formatCivilDate(day: number): CivilDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function isoWeekdayOfDay(day: number): IsoWeekday {
  // 1970-01-01 (day 0) was a Thursday.
  return (((((day + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

export function yearOfDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

export function addDaysToCivilDate(value: CivilDate, days: number): CivilDate {
  return formatCivilDate(civilDateToDay(value) + days);
}

/**
 * The same day of the month `months` calendar months later (earlier for a negative amount), or
 * the last day of the target month when it is shorter: 2026-01-31 + 1 → 2026-02-28,
 * 2028-01-31 + 1 → 2028-02-29, 2028-02-29 + 12 → 2029-02-28. The one place where dates are
 * added by months or years (a year is 12 months); instants go through `addCalendarMonths`, which
 * applies this to their local date in the calendar's zone.
 */
export function addMonthsToCivilDate(value: CivilDate, months: number): CivilDate {
  assertIntegerAmount(months, "months");
  civilDateToDay(value);
  const [y, m, d] = value.split("-").map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12; // 0-based
  // Checked before Date.UTC, which would read a year 0–99 as 1900–1999.
  if (year < 1900 || year > 9999) throw new CalendarError("OUT_OF_RANGE", "the calculation left the supported years 1900–9999");
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return formatCivilDate(Date.UTC(year, month, Math.min(d, lastOfMonth)) / MS_PER_DAY);
}

/**
 * Minutes since local midnight for "HH:MM"; "24:00" is allowed as an end so that a 24-hour
 * support desk can be written as 00:00–24:00. Undefined when the text is not a time.
 */
export function parseTimeOfDay(value: string): number | undefined {
  const match = TIME_PATTERN.exec(value);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59) return undefined;
  if (hours === 24 && minutes === 0) return MINUTES_PER_DAY;
  if (hours > 23) return undefined;
  return hours * 60 + minutes;
}

export function formatTimeOfDay(minutes: number): string {
  const hh = Math.floor(minutes / 60);
  const mm = minutes % 60;
  return `${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}`;
}
