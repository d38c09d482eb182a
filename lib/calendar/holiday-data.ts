// Official holiday calendars are published one year at a time (each November for the next
// year). A year without data is computed with the weekly hours alone, which is right for
// ordinary weeks and wrong around that year's holidays, so the UI must be able to say
// "2027 holidays are not entered yet" wherever a deadline falls in such a year.

import { civilDateToDay, formatCivilDate, yearOfDay } from "./civil-date";
import { compileCalendar } from "./compiled-calendar";
import { assertValidInstant, CalendarError } from "./errors";
import type { AdjustedWorkingDay, CalendarDefinition, Holiday } from "./schemas";
import { localDayOf } from "./time-zone";

// Per definition object, as compileCalendar keeps its compiled form (definitions are not changed
// once loaded): a page of service cases asks for every deadline (two per case) whether its year has
// data, which parsed every holiday's date each time.
const yearsByDefinition = new WeakMap<CalendarDefinition, readonly number[]>();

function knownYears(calendar: CalendarDefinition): readonly number[] {
  let years = yearsByDefinition.get(calendar);
  if (!years) {
    const set = new Set<number>();
    for (const entry of [...calendar.holidays, ...calendar.adjustedWorkingDays]) set.add(yearOfDay(civilDateToDay(entry.date)));
    years = Object.freeze([...set].sort((a, b) => a - b));
    yearsByDefinition.set(calendar, years);
  }
  return years;
}

/** Years (ascending) in which the calendar lists at least one holiday or adjusted working day. */
export function yearsWithHolidayData(calendar: CalendarDefinition): number[] {
  return [...knownYears(calendar)];
}

export function hasHolidayData(calendar: CalendarDefinition, year: number): boolean {
  return knownYears(calendar).includes(year);
}

/**
 * Local years touched by the span from `from` to `to` (either order) that have no holiday
 * data: a deadline computed across them may ignore a holiday. Empty means the span is covered.
 */
export function yearsMissingHolidayData(calendar: CalendarDefinition, from: Date, to: Date): number[] {
  const { timeZone } = compileCalendar(calendar);
  const years = [localDayOf(timeZone, assertValidInstant(from, "from")), localDayOf(timeZone, assertValidInstant(to, "to"))].map(yearOfDay);
  const known = new Set(knownYears(calendar));
  const missing: number[] = [];
  for (let year = Math.min(...years); year <= Math.max(...years); year++) if (!known.has(year)) missing.push(year);
  return missing;
}

/**
 * The local year of `at` when that year has no holiday data, else null: a deadline falling there
 * was computed on the weekly hours alone and is provisional until an ADMIN loads the year (the
 * UI marks it with components/ui/provisional-badge.tsx). A deadline is computed forwards from a
 * time with data, so its own year is the one that can lack it.
 */
export function provisionalYear(calendar: CalendarDefinition, at: Date): number | null {
  const { timeZone } = compileCalendar(calendar);
  const year = yearOfDay(localDayOf(timeZone, assertValidInstant(at, "at")));
  return hasHolidayData(calendar, year) ? null : year;
}

/** Month and day (local) from which next year's missing holiday data is warned about. */
export const NEXT_YEAR_WARNING_FROM = "11-01";

/**
 * The years whose missing holiday data an ADMIN must be warned about at `now`: this year (always),
 * and next year from 1 November on (the State Council publishes it in November). Empty when both
 * are loaded. A calendar that has never held any holiday (a 24/7 desk that ignores them) is left
 * alone unless `always` is set (the default calendar).
 */
export function yearsToWarnAbout(calendar: CalendarDefinition, now: Date, options: { always?: boolean } = {}): number[] {
  const known = yearsWithHolidayData(calendar);
  if (known.length === 0 && !options.always) return [];
  const { timeZone } = compileCalendar(calendar);
  const today = formatCivilDate(localDayOf(timeZone, assertValidInstant(now, "now")));
  const year = Number(today.slice(0, 4));
  const years = today.slice(5) >= NEXT_YEAR_WARNING_FROM ? [year, year + 1] : [year];
  return years.filter((y) => !known.includes(y));
}

/**
 * The calendar with one year's holidays and adjusted working days replaced by the given ones
 * (how ADMIN adds next year's official calendar, or corrects this year's). Entries of other
 * years are kept; the definition passed in is not changed.
 */
export function replaceHolidayYear(
  calendar: CalendarDefinition,
  year: number,
  entries: { holidays: readonly Holiday[]; adjustedWorkingDays: readonly AdjustedWorkingDay[] },
): CalendarDefinition {
  const otherYear = (entry: { date: string }) => yearOfDay(civilDateToDay(entry.date)) !== year;
  const stray = [...entries.holidays, ...entries.adjustedWorkingDays].find(otherYear);
  // A 2027 notice also names late-2026 days only in error; refusing keeps years separable.
  if (stray) throw new CalendarError("INVALID_ARGUMENT", `${stray.date} is not in ${year}`);
  const byDate = <T extends { date: string }>(a: T, b: T) => a.date.localeCompare(b.date);
  return {
    ...calendar,
    holidays: [...calendar.holidays.filter(otherYear), ...entries.holidays].sort(byDate),
    adjustedWorkingDays: [...calendar.adjustedWorkingDays.filter(otherYear), ...entries.adjustedWorkingDays].sort(byDate),
  };
}
