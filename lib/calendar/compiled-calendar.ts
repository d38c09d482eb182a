// A calendar definition is text (dates, "HH:MM") because that is what ADMIN edits and the
// database stores. The arithmetic needs numbers: this turns a definition into day-number maps
// and minute ranges once, and memoises each local day's working intervals as UTC instants.

import {
  ISO_WEEKDAYS,
  MS_PER_MINUTE,
  civilDateToDay,
  isoWeekdayOfDay,
  parseTimeOfDay,
  type IsoWeekday,
} from "./civil-date";
import { CalendarError } from "./errors";
import type { AdjustedWorkingDay, CalendarDefinition, Holiday, WorkingInterval } from "./schemas";
import { instantsForLocalRange } from "./time-zone";
import { validateCalendar, type CalendarProblemCode } from "./validate-calendar";

/** Instants [start, end) in epoch ms. */
export interface InstantRange {
  start: number;
  end: number;
}

interface MinuteRange {
  start: number;
  end: number;
}

export type DayKind = "WORKING_DAY" | "DAY_OFF" | "HOLIDAY" | "ADJUSTED_WORKING_DAY";

export interface CompiledCalendar {
  readonly timeZone: string;
  /** indexed by ISO weekday; index 0 unused */
  readonly weekly: readonly (readonly MinuteRange[])[];
  readonly adjustedDay: readonly MinuteRange[];
  readonly holidays: ReadonlyMap<number, Holiday>;
  readonly adjustedDays: ReadonlyMap<number, AdjustedWorkingDay>;
  /** first and last day named by holiday or adjusted-day data; beyond them every week is alike */
  readonly firstDataDay: number | undefined;
  readonly lastDataDay: number | undefined;
  readonly weekHasWorkingTime: boolean;
  readonly dayCache: Map<number, readonly InstantRange[]>;
}

// An empty week or empty adjusted-day hours are well defined (there is simply no working
// time) and are reported by the walk as NO_WORKING_TIME; everything else is ambiguous.
const TOLERATED: ReadonlySet<CalendarProblemCode> = new Set(["EMPTY_WEEK", "EMPTY_ADJUSTED_DAY"]);
const DAY_CACHE_LIMIT = 5_000;

// Definitions are values (parsed from a form, read from the database, held in React state), so
// they are memoised by identity. Changing a calendar means making a new object.
const compiledByDefinition = new WeakMap<CalendarDefinition, CompiledCalendar>();

function toMinuteRanges(intervals: readonly WorkingInterval[]): MinuteRange[] {
  const ranges = intervals
    .map((interval) => ({ start: parseTimeOfDay(interval.start) ?? 0, end: parseTimeOfDay(interval.end) ?? 0 }))
    .filter((range) => range.end > range.start)
    .sort((a, b) => a.start - b.start);
  const merged: MinuteRange[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** Hours of a 调休 day when the definition does not say: Monday's, else the first weekday with hours. */
export function defaultAdjustedDayHours(definition: Pick<CalendarDefinition, "weeklyHours">): WorkingInterval[] {
  const { weeklyHours } = definition;
  if (weeklyHours[1].length > 0) return weeklyHours[1];
  const weekday = ISO_WEEKDAYS.find((day) => weeklyHours[day].length > 0);
  return weekday ? weeklyHours[weekday] : [];
}

export function compileCalendar(definition: CalendarDefinition): CompiledCalendar {
  const cached = compiledByDefinition.get(definition);
  if (cached) return cached;

  const problems = validateCalendar(definition).filter((problem) => !TOLERATED.has(problem.code));
  if (problems.length > 0) {
    throw new CalendarError("INVALID_CALENDAR", problems.map((problem) => problem.message).join("; "), problems);
  }

  const weekly: MinuteRange[][] = [[]];
  for (const weekday of ISO_WEEKDAYS) weekly[weekday] = toMinuteRanges(definition.weeklyHours[weekday]);
  const holidays = new Map<number, Holiday>();
  for (const holiday of definition.holidays) holidays.set(civilDateToDay(holiday.date), holiday);
  const adjustedDays = new Map<number, AdjustedWorkingDay>();
  for (const day of definition.adjustedWorkingDays) adjustedDays.set(civilDateToDay(day.date), day);
  const dataDays = [...holidays.keys(), ...adjustedDays.keys()];

  const compiled: CompiledCalendar = {
    timeZone: definition.timeZone,
    weekly,
    adjustedDay: toMinuteRanges(definition.adjustedDayHours ?? defaultAdjustedDayHours(definition)),
    holidays,
    adjustedDays,
    firstDataDay: dataDays.length > 0 ? Math.min(...dataDays) : undefined,
    lastDataDay: dataDays.length > 0 ? Math.max(...dataDays) : undefined,
    weekHasWorkingTime: weekly.some((ranges) => ranges.length > 0),
    dayCache: new Map(),
  };
  compiledByDefinition.set(definition, compiled);
  return compiled;
}

export function dayKind(compiled: CompiledCalendar, day: number): DayKind {
  // A date on both lists is refused by validation; should one slip through, the holiday wins
  // because a deadline that is a little late is better than one on a day nobody works.
  if (compiled.holidays.has(day)) return "HOLIDAY";
  if (compiled.adjustedDays.has(day)) return "ADJUSTED_WORKING_DAY";
  return compiled.weekly[isoWeekdayOfDay(day)].length > 0 ? "WORKING_DAY" : "DAY_OFF";
}

function minuteRangesForDay(compiled: CompiledCalendar, day: number): readonly MinuteRange[] {
  switch (dayKind(compiled, day)) {
    case "HOLIDAY":
      return [];
    case "ADJUSTED_WORKING_DAY":
      return compiled.adjustedDay;
    default:
      return compiled.weekly[isoWeekdayOfDay(day) as IsoWeekday];
  }
}

/**
 * The working time of one local day as instants, in order. Working time is every instant whose
 * local wall-clock time lies inside one of the day's intervals, so on a DST switch day an
 * interval that spans the switch is an hour shorter or longer in real time.
 */
export function workingRangesOnDay(compiled: CompiledCalendar, day: number): readonly InstantRange[] {
  const cached = compiled.dayCache.get(day);
  if (cached) return cached;
  const pieces: InstantRange[] = [];
  for (const range of minuteRangesForDay(compiled, day)) {
    pieces.push(...instantsForLocalRange(compiled.timeZone, day, range.start * MS_PER_MINUTE, range.end * MS_PER_MINUTE));
  }
  // A repeated fall-back hour can put a later interval's first occurrence before an earlier
  // interval's second one, hence the sort.
  pieces.sort((a, b) => a.start - b.start);
  const ranges: InstantRange[] = [];
  for (const piece of pieces) {
    const last = ranges[ranges.length - 1];
    if (last && piece.start <= last.end) last.end = Math.max(last.end, piece.end);
    else ranges.push({ ...piece });
  }
  if (compiled.dayCache.size >= DAY_CACHE_LIMIT) compiled.dayCache.clear();
  compiled.dayCache.set(day, ranges);
  return ranges;
}
