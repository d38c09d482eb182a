// The shape of a business calendar as it is stored (jsonb), edited by ADMIN and passed to the
// arithmetic. Field formats are checked here; the rules that need the whole definition
// (overlaps, an empty week, a date that is both holiday and working day) live in
// validateCalendar so that a stored definition can be re-checked without zod.
//
// Zod messages are i18n keys "calendar.problems.<CODE>"; the code is also in params.reason.

import { z } from "zod";

import { isCivilDate, parseTimeOfDay } from "./civil-date";
import { isKnownTimeZone } from "./time-zone";
import { validateCalendar, type CalendarProblemCode } from "./validate-calendar";

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

const problemKey = (code: CalendarProblemCode) => `calendar.problems.${code}`;

/** "HH:MM", 00:00–23:59, or 24:00 (end of day). */
export const timeOfDaySchema = z
  .string()
  .refine((value) => parseTimeOfDay(value) !== undefined, { error: problemKey("INVALID_TIME"), params: { reason: "INVALID_TIME" } });

/** "YYYY-MM-DD", a real calendar date. */
export const civilDateSchema = z
  .string()
  .refine(isCivilDate, { error: problemKey("INVALID_DATE"), params: { reason: "INVALID_DATE" } });

/** An IANA zone name that this runtime's Intl knows. */
export const timeZoneSchema = z
  .string()
  .refine(isKnownTimeZone, { error: problemKey("UNKNOWN_TIME_ZONE"), params: { reason: "UNKNOWN_TIME_ZONE" } });

/** Working time from start (inclusive) to end (exclusive), in the calendar's local time. */
export const workingIntervalSchema = z.object({ start: timeOfDaySchema, end: timeOfDaySchema });

const dayHoursSchema = z.array(workingIntervalSchema).max(24);

/** Working intervals per ISO weekday, 1 = Monday … 7 = Sunday; an empty list is a day off. */
export const weeklyHoursSchema = z.object({
  1: dayHoursSchema,
  2: dayHoursSchema,
  3: dayHoursSchema,
  4: dayHoursSchema,
  5: dayHoursSchema,
  6: dayHoursSchema,
  7: dayHoursSchema,
});

export const holidaySchema = z.object({
  date: civilDateSchema,
  name: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100).optional(),
});

/** A day that is worked although the weekly hours make it a day off (调休). */
export const adjustedWorkingDaySchema = z.object({
  date: civilDateSchema,
  name: z.string().trim().min(1).max(100).optional(),
});

/** A holiday period as official notices publish it; see expandHolidayRanges. */
export const holidayRangeSchema = z.object({
  name: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100).optional(),
  from: civilDateSchema,
  to: civilDateSchema,
});

export const calendarDefinitionShape = z.object({
  timeZone: timeZoneSchema.default(DEFAULT_TIME_ZONE),
  weeklyHours: weeklyHoursSchema,
  /**
   * Hours worked on an adjusted working day. Absent means Monday's hours: 调休 days are
   * announced as "work as on a normal weekday", and Monday is the weekday every office has.
   */
  adjustedDayHours: dayHoursSchema.optional(),
  holidays: z.array(holidaySchema).max(5_000).default([]),
  adjustedWorkingDays: z.array(adjustedWorkingDaySchema).max(5_000).default([]),
});

// Format problems were already reported by the field schemas above; repeating them from
// validateCalendar would show the person the same mistake twice.
const FIELD_LEVEL_CODES: ReadonlySet<CalendarProblemCode> = new Set(["INVALID_TIME", "INVALID_DATE", "UNKNOWN_TIME_ZONE"]);

export const calendarDefinitionSchema = calendarDefinitionShape.superRefine((definition, ctx) => {
  for (const problem of validateCalendar(definition)) {
    if (FIELD_LEVEL_CODES.has(problem.code)) continue;
    ctx.addIssue({
      code: "custom",
      message: problemKey(problem.code),
      path: problem.path,
      params: { reason: problem.code, weekday: problem.weekday, date: problem.date },
    });
  }
});

export type WorkingInterval = z.infer<typeof workingIntervalSchema>;
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;
export type Holiday = z.infer<typeof holidaySchema>;
export type AdjustedWorkingDay = z.infer<typeof adjustedWorkingDaySchema>;
export type HolidayRange = z.infer<typeof holidayRangeSchema>;
/** A business calendar after parsing (defaults applied). Treated as immutable. */
export type CalendarDefinition = z.output<typeof calendarDefinitionSchema>;
/** What a form or a stored row may omit (time zone, empty holiday lists). */
export type CalendarDefinitionInput = z.input<typeof calendarDefinitionSchema>;
