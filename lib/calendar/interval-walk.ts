// Every answer of the module is found by walking working intervals day by day, never minute by
// minute: adding 30 working days looks at about 45 days, each a handful of numbers. The walk
// is also where a calendar without working time is caught, so no caller can loop forever.

import { compileCalendar, workingRangesOnDay, type CompiledCalendar, type InstantRange } from "./compiled-calendar";
import { CalendarError } from "./errors";
import type { CalendarDefinition } from "./schemas";
import { localDayOf } from "./time-zone";

export type WalkDirection = "forward" | "backward";

// Beyond the holiday data every week repeats, so a week and a day without working time means
// there is none to come (two weeks leave room for a DST switch eating an interval).
const EMPTY_DAYS_BEYOND_DATA = 15;

// Amounts come from policies ADMIN types in; a slip of the keyboard (a billion minutes) must
// fail fast instead of walking millennia. No deadline of this product lies a century away.
export const MAX_WALK_DAYS = 36_600;

function assertWithinWalkLimit(daysWalked: number): void {
  if (daysWalked > MAX_WALK_DAYS) {
    throw new CalendarError("OUT_OF_RANGE", `the answer lies more than ${MAX_WALK_DAYS} days away`);
  }
}

function beyondData(compiled: CompiledCalendar, day: number, direction: WalkDirection): boolean {
  if (direction === "forward") return compiled.lastDataDay === undefined || day > compiled.lastDataDay;
  return compiled.firstDataDay === undefined || day < compiled.firstDataDay;
}

function noMoreWorkingTime(compiled: CompiledCalendar, day: number, direction: WalkDirection, emptyDays: number): boolean {
  if (!beyondData(compiled, day, direction)) return false;
  return !compiled.weekHasWorkingTime || emptyDays >= EMPTY_DAYS_BEYOND_DATA;
}

/**
 * Working intervals from `from` in the given direction, clipped to `from` and to `until` when
 * given, in walking order. Without `until` the walk is open-ended and throws NO_WORKING_TIME
 * when it can prove there is no more working time; with `until` it simply ends.
 */
export function* walkWorkingRanges(
  compiled: CompiledCalendar,
  from: number,
  direction: WalkDirection,
  until?: number,
): Generator<InstantRange, void, undefined> {
  const step = direction === "forward" ? 1 : -1;
  // One day of margin: an instant's working interval always belongs to its own local day,
  // but a historic midnight switch can make local dates step back by one.
  const firstDay = localDayOf(compiled.timeZone, from) - step;
  const lastDay = until === undefined ? undefined : localDayOf(compiled.timeZone, until) + step;
  let emptyDays = 0;
  for (let day = firstDay; ; day += step) {
    if (lastDay !== undefined && (day - lastDay) * step > 0) return;
    assertWithinWalkLimit((day - firstDay) * step);
    const ranges = workingRangesOnDay(compiled, day);
    const ordered = direction === "forward" ? ranges : [...ranges].reverse();
    for (const range of ordered) {
      const clipped = direction === "forward" ? clipForward(range, from, until) : clipBackward(range, from, until);
      if (clipped === "skip") continue;
      if (clipped === "done") return;
      yield clipped;
    }
    emptyDays = ranges.length > 0 ? 0 : emptyDays + 1;
    if (noMoreWorkingTime(compiled, day, direction, emptyDays)) {
      if (until !== undefined) return;
      throw new CalendarError("NO_WORKING_TIME", `the calendar has no working time ${direction === "forward" ? "after" : "before"} ${new Date(from).toISOString()}`);
    }
  }
}

function clipForward(range: InstantRange, from: number, until: number | undefined): InstantRange | "skip" | "done" {
  if (range.end <= from) return "skip";
  const start = Math.max(range.start, from);
  if (until !== undefined && start >= until) return "done";
  return { start, end: until === undefined ? range.end : Math.min(range.end, until) };
}

function clipBackward(range: InstantRange, from: number, until: number | undefined): InstantRange | "skip" | "done" {
  if (range.start >= from) return "skip";
  const end = Math.min(range.end, from);
  if (until !== undefined && end <= until) return "done";
  return { start: until === undefined ? range.start : Math.max(range.start, until), end };
}

/**
 * Local days that have working time, strictly after (or before) `fromDay`, in walking order.
 * Open-ended: throws NO_WORKING_TIME when no such day can come.
 */
export function* walkWorkingDays(compiled: CompiledCalendar, fromDay: number, direction: WalkDirection): Generator<number, void, undefined> {
  const step = direction === "forward" ? 1 : -1;
  let emptyDays = 0;
  for (let day = fromDay + step; ; day += step) {
    assertWithinWalkLimit((day - fromDay) * step);
    if (workingRangesOnDay(compiled, day).length > 0) {
      emptyDays = 0;
      yield day;
    } else emptyDays++;
    if (noMoreWorkingTime(compiled, day, direction, emptyDays)) {
      throw new CalendarError("NO_WORKING_TIME", `the calendar has no working day ${direction === "forward" ? "after" : "before"} day ${fromDay}`);
    }
  }
}

/** The first working range at or after `from` (clipped), or the NO_WORKING_TIME error. */
export function firstRange(definition: CalendarDefinition, from: number, direction: WalkDirection): InstantRange {
  for (const range of walkWorkingRanges(compileCalendar(definition), from, direction)) return range;
  // The open-ended walk either yields or throws; this line only satisfies the type checker.
  throw new CalendarError("NO_WORKING_TIME", "the calendar has no working time");
}
