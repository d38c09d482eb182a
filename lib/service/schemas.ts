import { z } from "zod";
import { instantAtLocalTime } from "@/lib/calendar/time-zone";
import { id, listParams, optionalText, text, version } from "@/lib/validation";
import { CASE_STATUSES, CASE_TYPES, PRIORITIES, SERVICE_CHANNELS, SLA_CLOCKS } from "./sla";

// The service cases' and SLA policies' forms and list parameters (SPEC §8), shared by the browser
// and the server. Messages are i18n keys: `errors.v.*` (shared) and `service.v.*` (this domain).

/** Times typed by people are wall-clock times in the company's zone. */
export const SERVICE_TIME_ZONE = "Asia/Shanghai";

const choice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: "errors.v.invalidChoice" });
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess(blankToUndefined, choice(values).optional());
const requiredId = z.preprocess(blankToUndefined, z.string({ error: "errors.v.required" }).pipe(id));
const optionalIdField = z.preprocess(blankToUndefined, id.optional());

/** "2026-03-10T09:30" (a datetime-local field, or with seconds) in the company's zone, to an instant. */
export function parseLocalDateTime(value: string, timeZone = SERVICE_TIME_ZONE): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number);
  const dayMs = Date.UTC(y, mo - 1, d);
  const check = new Date(dayMs);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  const instant = instantAtLocalTime(timeZone, dayMs / 86_400_000, ((h * 60 + mi) * 60 + s) * 1000);
  return Number.isFinite(instant) ? new Date(instant) : null;
}

/** An instant as a datetime-local value in the company's zone. */
export function toLocalDateTimeValue(date: Date, timeZone = SERVICE_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

export const localDateTime = z.string({ error: "service.v.dateTime" }).transform((v, ctx) => {
  const parsed = parseLocalDateTime(v);
  if (!parsed) {
    ctx.addIssue({ code: "custom", message: "service.v.dateTime" });
    return z.NEVER;
  }
  return parsed;
});
/** Empty: now. */
export const optionalLocalDateTime = z.preprocess(blankToUndefined, localDateTime.optional());

// ---------------------------------------------------------------------------------------------
// Cases

export const createCaseSchema = z.object({
  title: text({ max: 200 }),
  description: z.preprocess(blankToUndefined, text({ max: 2000, multiline: true }).optional()),
  customerName: text({ max: 100 }),
  customerRef: optionalText(100),
  channel: choice(SERVICE_CHANNELS),
  caseType: choice(CASE_TYPES),
  priority: choice(PRIORITIES),
  /** The team (a department); empty: the creator's department. */
  teamId: optionalIdField,
  /** Empty: unassigned in the team's queue; "me" is the creator's own id. */
  assigneeId: optionalIdField,
  receivedAt: optionalLocalDateTime,
});
export type CreateCaseInput = z.output<typeof createCaseSchema>;

export const caseRefSchema = z.object({ id, version });
export type CaseRefInput = z.output<typeof caseRefSchema>;

export const firstResponseSchema = caseRefSchema.extend({ at: optionalLocalDateTime });
export type FirstResponseInput = z.output<typeof firstResponseSchema>;

export const pauseSchema = caseRefSchema.extend({ note: optionalText(500) });
export type PauseInput = z.output<typeof pauseSchema>;

export const resolveSchema = caseRefSchema.extend({ resolution: text({ max: 2000, multiline: true }), at: optionalLocalDateTime });
export type ResolveInput = z.output<typeof resolveSchema>;

export const CLOSURES = ["CONFIRMED", "NO_ANSWER"] as const;
export type Closure = (typeof CLOSURES)[number];
export const closeSchema = caseRefSchema.extend({
  /** Complaints: required (闭环). Others may close without one. */
  closure: optionalChoice(CLOSURES),
  note: z.preprocess(blankToUndefined, text({ max: 1000, multiline: true }).optional()),
});
export type CloseInput = z.output<typeof closeSchema>;

export const assignSchema = caseRefSchema.extend({ assigneeId: requiredId });
export type AssignInput = z.output<typeof assignSchema>;

// ---------------------------------------------------------------------------------------------
// Policies

const minutesField = z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(1, { error: "service.v.minutesRange" }).max(525_600, { error: "service.v.minutesRange" });

export const policySchema = z
  .object({
    id: optionalIdField,
    version: z.preprocess(blankToUndefined, version.optional()),
    name: text({ max: 100 }),
    nameEn: text({ max: 100 }),
    position: z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(0, { error: "service.v.positionRange" }).max(100_000, { error: "service.v.positionRange" }),
    channel: optionalChoice(SERVICE_CHANNELS),
    caseType: optionalChoice(CASE_TYPES),
    priority: optionalChoice(PRIORITIES),
    firstResponseMinutes: minutesField,
    resolutionMinutes: minutesField,
    clock: choice(SLA_CLOCKS),
    calendarId: optionalIdField,
    active: z.preprocess((v) => v === true || v === "on" || v === "1" || v === "true", z.boolean()),
  })
  .refine((p) => p.firstResponseMinutes <= p.resolutionMinutes, { path: ["resolutionMinutes"], error: "service.v.resolutionBeforeFirstResponse" });
export type PolicyInput = z.output<typeof policySchema>;

export const policyRefSchema = z.object({ id, version });

// ---------------------------------------------------------------------------------------------
// The queue's URL

export const VIEWS = ["open", "mine", "team", "breached", "closed", "all"] as const;
export type QueueView = (typeof VIEWS)[number];
const listChoice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

export const caseListSchema = listParams(["nextDueAt", "receivedAt", "priority", "title"] as const, "nextDueAt").extend({
  view: z.enum(VIEWS).catch("open"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  channel: listChoice(SERVICE_CHANNELS),
  caseType: listChoice(CASE_TYPES),
  priority: listChoice(PRIORITIES),
  status: listChoice(CASE_STATUSES),
  /** Cases of this team (department) and the teams below it (the dashboard's links). */
  department: z.string().regex(/^[a-z0-9]{8,40}$/i).optional().catch(undefined),
});
export type CaseListParams = z.output<typeof caseListSchema>;
export const CASE_FILTER_KEYS = ["view", "channel", "caseType", "priority", "status", "department"] as const;

export const caseExportSchema = caseListSchema.omit({ page: true, pageSize: true });
export type CaseExportParams = z.output<typeof caseExportSchema>;

export const REPORT_DIMENSIONS = ["team", "agent", "channel", "type", "week"] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** Rolling windows the report offers instead of dates: cases received in the last N days up to now
 * (the dashboard's service figures count the last 28). */
export const REPORT_WINDOWS = [7, 28, 90] as const;
export const reportParamsSchema = z.object({
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
  /** The last N days up to now (one of REPORT_WINDOWS); when given, from and to are ignored. */
  days: z.coerce
    .number()
    .int()
    .refine((n) => (REPORT_WINDOWS as readonly number[]).includes(n))
    .optional()
    .catch(undefined),
  /** Cases of this team (department) and the teams below it, within the reader's own scope. */
  department: z.string().trim().regex(/^[a-z0-9]{8,40}$/i).optional().catch(undefined),
});
export type ReportParams = z.output<typeof reportParamsSchema>;
export const reportExportSchema = reportParamsSchema.extend({ table: z.enum([...REPORT_DIMENSIONS, "breaches"]).catch("team") });
export type ReportExportParams = z.output<typeof reportExportSchema>;

export const importTextSchema = z.object({
  fileName: z.preprocess((v) => (typeof v === "string" && v.trim() ? v : "cases.csv"), text({ max: 255 })),
  csv: z.string({ error: "errors.v.required" }).min(1, { error: "service.import.empty" }).max(1_500_000, { error: "service.import.tooLarge" }),
});
export const importRefSchema = z.object({ importId: id });
