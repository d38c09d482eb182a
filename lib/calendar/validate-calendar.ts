// The rules an ADMIN's calendar must follow before deadlines are computed from it. Problems are
// returned, not thrown, so the calendar editor can show every one of them next to its field
// at once; the arithmetic refuses a definition with problems (see compiled-calendar.ts).

import { ISO_WEEKDAYS, formatTimeOfDay, isCivilDate, parseTimeOfDay, type IsoWeekday } from "./civil-date";
import type { CalendarDefinitionInput, WorkingInterval } from "./schemas";
import { isKnownTimeZone } from "./time-zone";

export const CALENDAR_PROBLEM_CODES = [
  "UNKNOWN_TIME_ZONE",
  "INVALID_TIME",
  "END_BEFORE_START",
  "OVERLAPPING_INTERVALS",
  "EMPTY_WEEK",
  "EMPTY_ADJUSTED_DAY",
  "INVALID_DATE",
  "HOLIDAY_AND_WORKDAY_SAME_DATE",
] as const;

export type CalendarProblemCode = (typeof CALENDAR_PROBLEM_CODES)[number];

export interface CalendarProblem {
  code: CalendarProblemCode;
  /** English, for logs; the UI translates `code`. */
  message: string;
  /** Where in the definition, as zod paths are written. */
  path: (string | number)[];
  weekday?: IsoWeekday;
  date?: string;
}

interface ParsedInterval {
  index: number;
  start: number;
  end: number;
}

type DayKey = { weekday: IsoWeekday; path: (string | number)[] } | { weekday?: undefined; path: (string | number)[] };

function checkDay(intervals: readonly WorkingInterval[], where: DayKey, problems: CalendarProblem[]): ParsedInterval[] {
  const label = where.weekday ? `weekday ${where.weekday}` : "adjusted working day hours";
  const valid: ParsedInterval[] = [];
  intervals.forEach((interval, index) => {
    const start = parseTimeOfDay(interval.start);
    const end = parseTimeOfDay(interval.end);
    for (const [field, value, parsed] of [["start", interval.start, start], ["end", interval.end, end]] as const) {
      // 24:00 only makes sense as the end of a day.
      if (parsed === undefined || (field === "start" && parsed === 24 * 60)) {
        problems.push({ code: "INVALID_TIME", message: `${label}: "${value}" is not a time (HH:MM)`, path: [...where.path, index, field], weekday: where.weekday });
      }
    }
    if (start === undefined || end === undefined || start === 24 * 60) return;
    if (end <= start) {
      problems.push({
        code: "END_BEFORE_START",
        message: `${label}: interval ${interval.start}–${interval.end} ends before it starts (intervals cannot cross midnight; split them)`,
        path: [...where.path, index],
        weekday: where.weekday,
      });
      return;
    }
    valid.push({ index, start, end });
  });
  const sorted = [...valid].sort((a, b) => a.start - b.start);
  let latest = sorted[0];
  for (const current of sorted.slice(1)) {
    // Touching intervals (13:00–18:00 after 09:00–13:00) are one stretch, not an overlap.
    if (current.start < latest.end) {
      problems.push({
        code: "OVERLAPPING_INTERVALS",
        message: `${label}: ${formatTimeOfDay(current.start)}–${formatTimeOfDay(current.end)} overlaps ${formatTimeOfDay(latest.start)}–${formatTimeOfDay(latest.end)}`,
        path: [...where.path, current.index],
        weekday: where.weekday,
      });
    }
    if (current.end > latest.end) latest = current;
  }
  return valid;
}

/** Every problem of a calendar definition; an empty list means it can be used. */
export function validateCalendar(definition: CalendarDefinitionInput): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const timeZone = definition.timeZone ?? "Asia/Shanghai";
  if (!isKnownTimeZone(timeZone)) {
    problems.push({ code: "UNKNOWN_TIME_ZONE", message: `"${timeZone}" is not a time zone this system knows`, path: ["timeZone"] });
  }

  let workingWeekdays = 0;
  for (const weekday of ISO_WEEKDAYS) {
    const valid = checkDay(definition.weeklyHours[weekday] ?? [], { weekday, path: ["weeklyHours", String(weekday)] }, problems);
    if (valid.length > 0) workingWeekdays++;
  }
  if (workingWeekdays === 0) {
    problems.push({ code: "EMPTY_WEEK", message: "no weekday has working hours, so no deadline could ever be reached", path: ["weeklyHours"] });
  }

  const adjustedDays = definition.adjustedWorkingDays ?? [];
  if (definition.adjustedDayHours) {
    const valid = checkDay(definition.adjustedDayHours, { path: ["adjustedDayHours"] }, problems);
    if (valid.length === 0 && adjustedDays.length > 0) {
      problems.push({ code: "EMPTY_ADJUSTED_DAY", message: "adjusted working days are listed but their hours are empty", path: ["adjustedDayHours"] });
    }
  }

  const holidayDates = new Set<string>();
  (definition.holidays ?? []).forEach((holiday, index) => {
    if (!isCivilDate(holiday.date)) {
      problems.push({ code: "INVALID_DATE", message: `holiday "${holiday.name}": "${holiday.date}" is not a date`, path: ["holidays", index, "date"], date: holiday.date });
    } else holidayDates.add(holiday.date);
  });
  adjustedDays.forEach((day, index) => {
    if (!isCivilDate(day.date)) {
      problems.push({ code: "INVALID_DATE", message: `adjusted working day: "${day.date}" is not a date`, path: ["adjustedWorkingDays", index, "date"], date: day.date });
    } else if (holidayDates.has(day.date)) {
      problems.push({
        code: "HOLIDAY_AND_WORKDAY_SAME_DATE",
        message: `${day.date} is listed both as a holiday and as an adjusted working day`,
        path: ["adjustedWorkingDays", index, "date"],
        date: day.date,
      });
    }
  });
  return problems;
}
