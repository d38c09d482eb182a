// Business-time arithmetic on instants. Working intervals are half-open: 09:00 is working time,
// 18:00 is not. Results are exact to the millisecond (inputs may carry seconds; interval
// boundaries are whole minutes).
//
// Adding working time returns the EARLIEST instant at which that much working time has
// elapsed. So 1 working hour from Friday 17:00 is Friday 18:00, not Monday 09:00: both are the
// same amount of work away, and a person reads "due Friday 18:00" correctly. Subtracting
// (a negative amount) symmetrically returns the LATEST such instant. With these two rules
// workingMillisecondsBetween(a, addWorkingMilliseconds(a, x)) === x for every x.

import { MS_PER_MINUTE } from "./civil-date";
import { compileCalendar, workingRangesOnDay } from "./compiled-calendar";
import { assertFiniteAmount, assertValidInstant, CalendarError } from "./errors";
import { firstRange, walkWorkingRanges } from "./interval-walk";
import type { CalendarDefinition } from "./schemas";
import { localDayOf } from "./time-zone";

const MS_PER_HOUR = 60 * MS_PER_MINUTE;

/** Whether `at` lies inside the calendar's working time (start inclusive, end exclusive). */
export function isWorkingTime(calendar: CalendarDefinition, at: Date): boolean {
  const instant = assertValidInstant(at);
  const compiled = compileCalendar(calendar);
  const ranges = workingRangesOnDay(compiled, localDayOf(compiled.timeZone, instant));
  return ranges.some((range) => range.start <= instant && instant < range.end);
}

/** `at` itself when it is working time, otherwise the start of the next working interval. */
export function nextWorkingInstant(calendar: CalendarDefinition, at: Date): Date {
  return new Date(firstRange(calendar, assertValidInstant(at), "forward").start);
}

/**
 * `from` plus `milliseconds` of working time. A positive amount gives the earliest instant
 * with that much working time since `from` (possibly the end of an interval, e.g. 18:00); a
 * negative amount the latest instant that much working time before `from`; zero gives `from`.
 */
export function addWorkingMilliseconds(calendar: CalendarDefinition, from: Date, milliseconds: number): Date {
  const start = assertValidInstant(from, "from");
  assertFiniteAmount(milliseconds, "milliseconds");
  const amount = Math.round(milliseconds);
  if (amount === 0) return new Date(start);
  const compiled = compileCalendar(calendar);
  let remaining = Math.abs(amount);
  const direction = amount > 0 ? "forward" : "backward";
  for (const range of walkWorkingRanges(compiled, start, direction)) {
    const length = range.end - range.start;
    if (remaining <= length) return new Date(direction === "forward" ? range.start + remaining : range.end - remaining);
    remaining -= length;
  }
  throw new CalendarError("NO_WORKING_TIME", "the calendar has no working time");
}

/** `from` plus working minutes (fractions allowed, rounded to the millisecond). */
export function addWorkingMinutes(calendar: CalendarDefinition, from: Date, minutes: number): Date {
  assertFiniteAmount(minutes, "minutes");
  return addWorkingMilliseconds(calendar, from, minutes * MS_PER_MINUTE);
}

/** `from` plus working hours (fractions allowed, rounded to the millisecond). */
export function addWorkingHours(calendar: CalendarDefinition, from: Date, hours: number): Date {
  assertFiniteAmount(hours, "hours");
  return addWorkingMilliseconds(calendar, from, hours * MS_PER_HOUR);
}

/**
 * Working time from `a` to `b` in ms. When `b` is before `a` the result is negative
 * (−between(b, a)) rather than an error: "time left" on a breached SLA case is then the
 * negative amount of working time it is overdue by.
 */
export function workingMillisecondsBetween(calendar: CalendarDefinition, a: Date, b: Date): number {
  const from = assertValidInstant(a, "a");
  const to = assertValidInstant(b, "b");
  if (to < from) {
    const forward = workingMillisecondsBetween(calendar, b, a);
    return forward === 0 ? 0 : -forward;
  }
  let total = 0;
  for (const range of walkWorkingRanges(compileCalendar(calendar), from, "forward", to)) total += range.end - range.start;
  return total;
}

/**
 * Working minutes from `a` to `b`, negative when `b` is before `a`. Fractional when the
 * instants carry seconds; round for display, not before further arithmetic.
 */
export function workingMinutesBetween(calendar: CalendarDefinition, a: Date, b: Date): number {
  return workingMillisecondsBetween(calendar, a, b) / MS_PER_MINUTE;
}
