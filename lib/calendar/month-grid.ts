// The month view of the calendar administration: every date of a month as describeDate sees it,
// laid out in Monday-first weeks (the Chinese office week), so an ADMIN can check what the
// definition they saved really does.

import { addDaysToCivilDate, addMonthsToCivilDate, civilDateToDay, formatCivilDate, isoWeekdayOfDay } from "./civil-date";
import { describeDate, type DayDescription } from "./day-info";
import { hasHolidayData } from "./holiday-data";
import type { CalendarDefinition } from "./schemas";

/** "YYYY-MM", a month of the years the calendar supports. */
export type CivilMonth = string;

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parseCivilMonth(value: unknown): { year: number; month: number } | undefined {
  if (typeof value !== "string") return undefined;
  const match = MONTH_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 1900 || year > 9999) return undefined;
  return { year, month: Number(match[2]) };
}

export function formatCivilMonth(year: number, month: number): CivilMonth {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

/** The month n months after (before, for negative n) the given one. */
export function addMonths(value: CivilMonth, n: number): CivilMonth {
  const parsed = parseCivilMonth(value);
  if (!parsed) throw new Error(`"${value}" is not a month (YYYY-MM)`);
  return addMonthsToCivilDate(`${formatCivilMonth(parsed.year, parsed.month)}-01`, n).slice(0, 7);
}

export type MonthGrid = {
  month: CivilMonth;
  year: number;
  /** Weeks Monday → Sunday; null pads the days outside the month. */
  weeks: (DayDescription | null)[][];
  counts: { working: number; dayOff: number; holiday: number; adjusted: number };
  /** The month's year has no holiday or 调休 data: only the weekly hours apply. */
  missingHolidayData: boolean;
};

export function monthGrid(calendar: CalendarDefinition, month: CivilMonth): MonthGrid {
  const parsed = parseCivilMonth(month);
  if (!parsed) throw new Error(`"${month}" is not a month (YYYY-MM)`);
  const first = `${formatCivilMonth(parsed.year, parsed.month)}-01`;
  const nextFirst = `${addMonths(month, 1)}-01`;
  const counts = { working: 0, dayOff: 0, holiday: 0, adjusted: 0 };
  const weeks: (DayDescription | null)[][] = [];
  let week: (DayDescription | null)[] = Array.from({ length: isoWeekdayOfDay(civilDateToDay(first)) - 1 }, () => null);
  for (let date = first; date !== nextFirst; date = addDaysToCivilDate(date, 1)) {
    const day = describeDate(calendar, date);
    if (day.kind === "WORKING_DAY") counts.working++;
    else if (day.kind === "DAY_OFF") counts.dayOff++;
    else if (day.kind === "HOLIDAY") counts.holiday++;
    else counts.adjusted++;
    week.push(day);
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length > 0) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
  return { month: formatCivilMonth(parsed.year, parsed.month), year: parsed.year, weeks, counts, missingHolidayData: !hasHolidayData(calendar, parsed.year) };
}

/** The month of a civil date ("2026-10-01" → "2026-10"). */
export function monthOf(date: string): CivilMonth {
  return formatCivilDate(civilDateToDay(date)).slice(0, 7);
}
