// The forms of the calendar administration (/settings/calendars): a calendar's settings (names,
// code, time zone, weekly hours, 调休-day hours, default flag) and one year's holidays and
// adjusted working days. Shared by the browser (ActionForm checks them before sending) and the
// server (defineAction checks whatever arrives).
//
// The forms post flat FormData: interval rows are named `weeklyHours.<weekday>.<row>.start`,
// holiday rows `holidays.<row>.from`, and so on, so that a zod issue's path, joined with dots, is
// the name of the input it belongs to. A preprocess step turns those names into lists.
//
// Messages are i18n keys: `errors.v.*` (shared) and `calendar.v.*` (this domain; the problems of
// validateCalendar under `calendar.v.problems.<CODE>`).

import { z } from "zod";
import { id, optionalText, text, version } from "@/lib/validation";
import { civilDateToDay, formatCivilDate, isCivilDate, ISO_WEEKDAYS, yearOfDay } from "./civil-date";
import type { AdjustedWorkingDay, HolidayRange, WeeklyHours, WorkingInterval } from "./schemas";
import { isKnownTimeZone } from "./time-zone";
import { validateCalendar, type CalendarProblemCode } from "./validate-calendar";

/** As many as the stored definition allows (lib/calendar/schemas.ts). */
export const MAX_INTERVALS_PER_DAY = 24;
/** A State Council notice has 7 holiday periods and about 6–10 adjusted days; this is generous. */
export const MAX_YEAR_ROWS = 60;
/** Same limit as expandHolidayRanges: a longer range is a typing mistake. */
export const MAX_HOLIDAY_RANGE_DAYS = 31;
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;

const problemKey = (code: CalendarProblemCode) => `calendar.v.problems.${code}`;

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The rows of a repeatable group of inputs named `<prefix>.<row>.<field>`, in row order. A value
 * that is not a single string (a repeated name, which the forms never send) becomes "", so the
 * field is reported instead of parsed.
 */
export function formRows<K extends string>(raw: Raw, prefix: string, fields: readonly K[]): Record<K, string>[] {
  const pattern = new RegExp(`^${escapeRegExp(prefix)}\\.(\\d{1,4})\\.(${fields.map(escapeRegExp).join("|")})$`);
  const byRow = new Map<number, Record<K, string>>();
  for (const [key, value] of Object.entries(raw)) {
    const match = pattern.exec(key);
    if (!match) continue;
    const row = Number(match[1]);
    const entry = byRow.get(row) ?? (Object.fromEntries(fields.map((f) => [f, ""])) as Record<K, string>);
    entry[match[2] as K] = typeof value === "string" ? value : "";
    byRow.set(row, entry);
  }
  return [...byRow.entries()].sort((a, b) => a[0] - b[0]).map(([, entry]) => entry);
}

/** The inverse of formRows: flat input names for rows (used to prefill forms and by tests). */
export function flattenRows(prefix: string, rows: readonly Record<string, string | undefined>[]): Record<string, string> {
  const out: Record<string, string> = {};
  rows.forEach((row, index) => {
    for (const [field, value] of Object.entries(row)) out[`${prefix}.${index}.${field}`] = value ?? "";
  });
  return out;
}

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

/** Letters, digits and hyphens; kept in capitals so "cn-default" and "CN-DEFAULT" are one code. */
export const calendarCode = z
  .string({ error: "errors.v.required" })
  .trim()
  .min(1, { error: "errors.v.required" })
  .max(32, { error: "calendar.v.code" })
  .regex(/^[A-Za-z0-9-]+$/, { error: "calendar.v.code" })
  .transform((v) => v.toUpperCase());

/** An IANA zone name, stored as Intl spells it ("asia/shanghai" → "Asia/Shanghai"). */
export const timeZoneField = z
  .string({ error: "errors.v.required" })
  .trim()
  .min(1, { error: "errors.v.required" })
  .max(64, { error: "errors.v.tooLong" })
  .refine(isKnownTimeZone, { error: problemKey("UNKNOWN_TIME_ZONE") })
  .transform((v) => new Intl.DateTimeFormat("en-US", { timeZone: v }).resolvedOptions().timeZone);

/**
 * What people type for a time, in the stored form: "9:00" and "0900" are "09:00", and a
 * full-width colon (typed with a Chinese input method) is a colon. Anything else is left as
 * typed, for validateCalendar to report.
 */
export function normalizeTimeText(value: string): string {
  const match = /^(\d{1,2})[:：.]?(\d{2})$/.exec(value.trim());
  return match ? `${match[1].padStart(2, "0")}:${match[2]}` : value.trim();
}

// Interval rows are strings here; whether they are times, in order and not overlapping is asked
// of validateCalendar below, so the form shows exactly the problems the arithmetic would refuse.
const timeText = z.string().transform(normalizeTimeText);
const intervalRow = z.object({ start: timeText, end: timeText });
const dayRows = z.array(intervalRow).max(MAX_INTERVALS_PER_DAY, { error: "calendar.v.tooManyIntervals" });

const INTERVAL_FIELDS = ["start", "end"] as const;

function settingsFromForm(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const weeklyHours: Record<string, Record<"start" | "end", string>[]> = {};
  for (const weekday of ISO_WEEKDAYS) weeklyHours[weekday] = formRows(raw, `weeklyHours.${weekday}`, INTERVAL_FIELDS);
  return { ...raw, weeklyHours, adjustedDayHours: formRows(raw, "adjustedDayHours", INTERVAL_FIELDS) };
}

const settingsShape = {
  name: text({ max: 100 }),
  nameEn: text({ max: 100 }),
  code: calendarCode,
  timeZone: timeZoneField,
  isDefault: checkbox,
  weeklyHours: z.object({ 1: dayRows, 2: dayRows, 3: dayRows, 4: dayRows, 5: dayRows, 6: dayRows, 7: dayRows }),
  /** Unticked: 调休 days are worked with Monday's hours (see docs/calendar.md). */
  customAdjustedHours: checkbox,
  adjustedDayHours: dayRows,
};

type SettingsValue = { weeklyHours: WeeklyHours; customAdjustedHours: boolean; adjustedDayHours: WorkingInterval[] };

function checkHours(value: SettingsValue, ctx: z.RefinementCtx) {
  const adjustedDayHours = value.customAdjustedHours ? value.adjustedDayHours : undefined;
  // The zone is checked by its own field; holidays are not part of this form (the command
  // validates the whole definition again with them).
  for (const problem of validateCalendar({ timeZone: "UTC", weeklyHours: value.weeklyHours, adjustedDayHours })) {
    ctx.addIssue({ code: "custom", message: problemKey(problem.code), path: problem.path });
  }
  if (value.customAdjustedHours && value.adjustedDayHours.length === 0) {
    ctx.addIssue({ code: "custom", message: problemKey("EMPTY_ADJUSTED_DAY"), path: ["adjustedDayHours"] });
  }
}

function settingsOutput<T extends SettingsValue>({ customAdjustedHours, adjustedDayHours, ...rest }: T) {
  return { ...rest, adjustedDayHours: customAdjustedHours ? adjustedDayHours : undefined };
}

export const calendarCreateSchema = z.preprocess(
  settingsFromForm,
  z
    .object({
      ...settingsShape,
      /** Start with the official years shipped with the product (CN_OFFICIAL_YEARS). */
      includeOfficialHolidays: checkbox,
    })
    .superRefine(checkHours)
    .transform(settingsOutput),
);

export const calendarUpdateSchema = z.preprocess(
  settingsFromForm,
  z
    .object({ id, version, ...settingsShape })
    .superRefine(checkHours)
    .transform(settingsOutput),
);

export type CalendarCreateInput = z.output<typeof calendarCreateSchema>;
export type CalendarUpdateInput = z.output<typeof calendarUpdateSchema>;

// ---------------------------------------------------------------------------------------------
// One year's holidays and adjusted working days

export const HOLIDAY_RANGE_FIELDS = ["name", "nameEn", "from", "to"] as const;
export const ADJUSTED_DAY_FIELDS = ["date", "name"] as const;

/** What the year form holds, as text (rows of inputs). */
export type YearFormValues = {
  year: string;
  holidays: Record<(typeof HOLIDAY_RANGE_FIELDS)[number], string>[];
  adjustedWorkingDays: Record<(typeof ADJUSTED_DAY_FIELDS)[number], string>[];
};

function yearFromForm(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  return {
    ...raw,
    holidays: formRows(raw, "holidays", HOLIDAY_RANGE_FIELDS),
    adjustedWorkingDays: formRows(raw, "adjustedWorkingDays", ADJUSTED_DAY_FIELDS),
  };
}

const yearEntriesShape = {
  year: z.string({ error: "calendar.v.year" }).trim(),
  holidays: z
    .array(z.object({ name: text({ max: 100 }), nameEn: optionalText(100), from: z.string().trim(), to: z.string().trim() }))
    .max(MAX_YEAR_ROWS, { error: "calendar.v.tooManyRows" }),
  adjustedWorkingDays: z
    .array(z.object({ date: z.string().trim(), name: optionalText(100) }))
    .max(MAX_YEAR_ROWS, { error: "calendar.v.tooManyRows" }),
};

type YearEntriesValue = {
  year: string;
  holidays: { name: string; nameEn?: string; from: string; to: string }[];
  adjustedWorkingDays: { date: string; name?: string }[];
};

function parseYear(value: string): number | undefined {
  if (!/^\d{4}$/.test(value)) return undefined;
  const year = Number(value);
  return year >= MIN_YEAR && year <= MAX_YEAR ? year : undefined;
}

/** Every date is real and in the year, ranges run forwards and do not overlap, no date is both. */
function checkYearEntries(value: YearEntriesValue, ctx: z.RefinementCtx) {
  const issue = (message: string, path: (string | number)[]) => ctx.addIssue({ code: "custom", message, path });
  const year = parseYear(value.year);
  if (year === undefined) issue("calendar.v.year", ["year"]);
  const inYear = (date: string) => year === undefined || yearOfDay(civilDateToDay(date)) === year;

  const holidayDates = new Set<string>();
  value.holidays.forEach((range, index) => {
    const fromOk = isCivilDate(range.from);
    const toOk = isCivilDate(range.to);
    if (!fromOk) issue(problemKey("INVALID_DATE"), ["holidays", index, "from"]);
    else if (!inYear(range.from)) issue("calendar.v.notInYear", ["holidays", index, "from"]);
    if (!toOk) issue(problemKey("INVALID_DATE"), ["holidays", index, "to"]);
    else if (!inYear(range.to)) issue("calendar.v.notInYear", ["holidays", index, "to"]);
    if (!fromOk || !toOk) return;
    const first = civilDateToDay(range.from);
    const last = civilDateToDay(range.to);
    if (last < first) return issue("calendar.v.rangeBackwards", ["holidays", index, "to"]);
    if (last - first >= MAX_HOLIDAY_RANGE_DAYS) return issue("calendar.v.rangeTooLong", ["holidays", index, "to"]);
    let overlaps = false;
    for (let day = first; day <= last; day++) {
      const date = formatCivilDate(day);
      if (holidayDates.has(date)) overlaps = true;
      holidayDates.add(date);
    }
    if (overlaps) issue("calendar.v.rangeOverlap", ["holidays", index, "from"]);
  });

  const adjustedDates = new Set<string>();
  value.adjustedWorkingDays.forEach((day, index) => {
    const path = ["adjustedWorkingDays", index, "date"];
    if (!isCivilDate(day.date)) return issue(problemKey("INVALID_DATE"), path);
    if (!inYear(day.date)) return issue("calendar.v.notInYear", path);
    if (holidayDates.has(day.date)) return issue(problemKey("HOLIDAY_AND_WORKDAY_SAME_DATE"), path);
    if (adjustedDates.has(day.date)) return issue("calendar.v.duplicateDate", path);
    adjustedDates.add(day.date);
  });

  if (value.holidays.length === 0 && value.adjustedWorkingDays.length === 0) issue("calendar.v.yearEmpty", ["holidays"]);
}

function yearOutput<T extends YearEntriesValue>({ year, holidays, adjustedWorkingDays, ...rest }: T) {
  return {
    ...rest,
    year: Number(year),
    holidays: holidays.map((h): HolidayRange => (h.nameEn ? { name: h.name, nameEn: h.nameEn, from: h.from, to: h.to } : { name: h.name, from: h.from, to: h.to })),
    adjustedWorkingDays: adjustedWorkingDays.map((d): AdjustedWorkingDay => (d.name ? { date: d.date, name: d.name } : { date: d.date })),
  };
}

/** The year's entries alone (the form's preview runs this). */
export const yearEntriesSchema = z.preprocess(yearFromForm, z.object(yearEntriesShape).superRefine(checkYearEntries).transform(yearOutput));

/** Add a year, or replace it entirely: other years are not touched. */
export const replaceYearSchema = z.preprocess(
  yearFromForm,
  z
    .object({ calendarId: id, version, ...yearEntriesShape })
    .superRefine(checkYearEntries)
    .transform(yearOutput),
);

export const removeYearSchema = z.object({
  calendarId: id,
  version,
  year: z.coerce.number({ error: "calendar.v.year" }).int({ error: "calendar.v.year" }).min(MIN_YEAR, { error: "calendar.v.year" }).max(MAX_YEAR, { error: "calendar.v.year" }),
});

export type ReplaceYearInput = z.output<typeof replaceYearSchema>;
export type RemoveYearInput = z.output<typeof removeYearSchema>;

/** The flat form fields of year values (what the inputs of the year form are named). */
export function yearFormFields(values: YearFormValues): Record<string, string> {
  return { year: values.year, ...flattenRows("holidays", values.holidays), ...flattenRows("adjustedWorkingDays", values.adjustedWorkingDays) };
}

// ---------------------------------------------------------------------------------------------
// A pasted official notice

/**
 * The shape of an official calendar year as the State Council notice is transcribed
 * (shared/reference/cn-calendar-2026.json): holidays as from/to ranges, adjusted working days
 * with the holiday they belong to (`for`). Extra keys (timeZone, source) are ignored.
 */
export const officialNoticeSchema = z.object({
  year: z.number().int(),
  holidays: z.array(z.object({ name: z.string(), nameEn: z.string().optional(), from: z.string(), to: z.string() })).max(MAX_YEAR_ROWS),
  adjustedWorkingDays: z
    .array(z.object({ date: z.string(), for: z.string().optional(), name: z.string().optional() }))
    .max(MAX_YEAR_ROWS)
    .default([]),
});

export type NoticeParseResult = { ok: true; values: YearFormValues } | { ok: false; error: "calendar.yearForm.json.syntax" | "calendar.yearForm.json.shape"; detail: string };

/**
 * A pasted notice as rows of the year form, so that it is checked, previewed and corrected like
 * typed rows. An adjusted day's name is its own `name`, or "<for>调休" as the shipped years
 * are named (officialYearEntries).
 */
export function parseOfficialNotice(textValue: string): NoticeParseResult {
  let json: unknown;
  try {
    json = JSON.parse(textValue);
  } catch (error) {
    return { ok: false, error: "calendar.yearForm.json.syntax", detail: error instanceof Error ? error.message : String(error) };
  }
  const parsed = officialNoticeSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first.path.length ? first.path.map(String).join(".") : "(root)";
    return { ok: false, error: "calendar.yearForm.json.shape", detail: `${where}: ${first.message}` };
  }
  const notice = parsed.data;
  return {
    ok: true,
    values: {
      year: String(notice.year),
      holidays: notice.holidays.map((h) => ({ name: h.name, nameEn: h.nameEn ?? "", from: h.from, to: h.to })),
      adjustedWorkingDays: notice.adjustedWorkingDays.map((d) => ({ date: d.date, name: d.name ?? (d.for ? `${d.for}调休` : "") })),
    },
  };
}
