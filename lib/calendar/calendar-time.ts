// Some policies count calendar time, not business time (a complaint hotline answered 24/7, a
// training due "30 days after hire"). They live beside the business-time functions with the
// same call shape so that a policy can switch between the two with one flag.

import { addMonthsToCivilDate, civilDateToDay, formatCivilDate, MS_PER_MINUTE } from "./civil-date";
import { compileCalendar } from "./compiled-calendar";
import { assertFiniteAmount, assertIntegerAmount, assertValidInstant } from "./errors";
import type { CalendarDefinition } from "./schemas";
import { instantAtLocalTime, localDayOf, localTimeOfDayOf } from "./time-zone";

/**
 * `from` plus elapsed minutes, ignoring working hours and holidays. The calendar is not needed
 * for the sum; it is taken so that calendar-time and business-time policies call alike.
 */
export function addCalendarMinutes(calendar: CalendarDefinition, from: Date, minutes: number): Date {
  void calendar;
  const start = assertValidInstant(from, "from");
  assertFiniteAmount(minutes, "minutes");
  return new Date(start + Math.round(minutes * MS_PER_MINUTE));
}

/**
 * The same local wall-clock time `days` calendar days later (or earlier) in the calendar's
 * time zone, so "30 days after 09:00" stays 09:00 across a DST switch although the elapsed
 * time is an hour more or less. A time that does not exist on the target day (spring-forward
 * gap) becomes the moment the clocks jump; a repeated time is its first occurrence.
 */
export function addCalendarDays(calendar: CalendarDefinition, from: Date, days: number): Date {
  const start = assertValidInstant(from, "from");
  assertIntegerAmount(days, "days");
  const { timeZone } = compileCalendar(calendar);
  const day = localDayOf(timeZone, start);
  return new Date(instantAtLocalTime(timeZone, day + days, localTimeOfDayOf(timeZone, start)));
}

/**
 * The same local wall-clock time `months` calendar months later (earlier when negative) on the
 * calendar's civil date, the day clamped to the end of a shorter month (`addMonthsToCivilDate`).
 * The date is the one the calendar's zone shows, never the UTC one: in China a completion at
 * 2026-01-31 02:00 (still 01-30 in UTC) plus one month is 2026-02-28 02:00, not 03-01. Used for
 * every "+N months" / "+N years" of the product (training renewals, …).
 */
export function addCalendarMonths(calendar: CalendarDefinition, from: Date, months: number): Date {
  const start = assertValidInstant(from, "from");
  assertIntegerAmount(months, "months");
  const { timeZone } = compileCalendar(calendar);
  const day = civilDateToDay(addMonthsToCivilDate(formatCivilDate(localDayOf(timeZone, start)), months));
  return new Date(instantAtLocalTime(timeZone, day, localTimeOfDayOf(timeZone, start)));
}

/** Elapsed minutes from `a` to `b` (negative when `b` is earlier), for calendar-time policies. */
export function calendarMinutesBetween(a: Date, b: Date): number {
  return (assertValidInstant(b, "b") - assertValidInstant(a, "a")) / MS_PER_MINUTE;
}
