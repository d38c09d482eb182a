// Calendars and instant helpers shared by the tests of this folder (not used by the app).
// Instants are written as local wall-clock text with an explicit offset so that a reader can
// check every expectation against a wall calendar.

import { buildDefaultChinaCalendar, chinaStandardWeeklyHours } from "./default-china-calendar";
import type { CalendarDefinition, WeeklyHours, WorkingInterval } from "./schemas";

/** An instant from Shanghai wall-clock text: sh("2026-10-09T10:00"). */
export const sh = (local: string): Date => new Date(`${local}+08:00`);

/** An instant from wall-clock text and an explicit offset: at("2026-03-30T09:00", "+02:00"). */
export const at = (local: string, offset: string): Date => new Date(`${local}${offset}`);

export const iso = (date: Date): string => date.toISOString();

export const china = (): CalendarDefinition => buildDefaultChinaCalendar();

const allWeek = (intervals: WorkingInterval[]): WeeklyHours => ({
  1: intervals,
  2: intervals,
  3: intervals,
  4: intervals,
  5: intervals,
  6: intervals,
  7: intervals,
});

/** An office in another zone with China's weekly hours and no holidays. */
export const office = (timeZone: string): CalendarDefinition => ({
  timeZone,
  weeklyHours: chinaStandardWeeklyHours(),
  holidays: [],
  adjustedWorkingDays: [],
});

/** A 24/7 desk: every local minute is working time, so DST day lengths show directly. */
export const roundTheClock = (timeZone: string): CalendarDefinition => ({
  timeZone,
  weeklyHours: allWeek([{ start: "00:00", end: "24:00" }]),
  holidays: [],
  adjustedWorkingDays: [],
});

/** Weekdays 09:00–18:00 plus a Sunday night window that overlaps the DST switch hours. */
export const sundayNight = (timeZone: string, sunday: WorkingInterval[]): CalendarDefinition => ({
  timeZone,
  weeklyHours: { ...chinaStandardWeeklyHours(), 7: sunday },
  holidays: [],
  adjustedWorkingDays: [],
});

/** Night shift 22:00–06:00 Monday night to Friday morning, written as two intervals per day. */
export const nightShift = (timeZone: string): CalendarDefinition => ({
  timeZone,
  weeklyHours: {
    1: [{ start: "22:00", end: "24:00" }],
    2: [{ start: "00:00", end: "06:00" }, { start: "22:00", end: "24:00" }],
    3: [{ start: "00:00", end: "06:00" }, { start: "22:00", end: "24:00" }],
    4: [{ start: "00:00", end: "06:00" }, { start: "22:00", end: "24:00" }],
    5: [{ start: "00:00", end: "06:00" }],
    6: [],
    7: [],
  },
  holidays: [],
  adjustedWorkingDays: [],
});

/** A calendar with no weekly hours at all; only adjusted working days can be worked. */
export const emptyWeek = (adjusted: string[] = []): CalendarDefinition => ({
  timeZone: "Asia/Shanghai",
  weeklyHours: allWeek([]),
  adjustedDayHours: [{ start: "09:00", end: "18:00" }],
  holidays: [],
  adjustedWorkingDays: adjusted.map((date) => ({ date })),
});
