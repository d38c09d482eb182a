import "server-only";
import type { Actor } from "@/lib/server/actor";
import { db, type Tx } from "@/lib/server/db";
import { forbidden } from "@/lib/server/errors";
import { localDateOf } from "./day-info";
import { yearsWithHolidayData } from "./holiday-data";
import { calendarDefinitionShape, type CalendarDefinition } from "./schemas";
import { validateCalendar, type CalendarProblem } from "./validate-calendar";

// Reads of the calendar administration. Calendars are configuration, not personal data, but
// only ADMIN (calendars.manage) manages them; other capabilities load a calendar through
// store.ts (loadCalendar), not through these.

function requireManage(actor: Pick<Actor, "permissions">) {
  if (!actor.permissions.has("calendars.manage")) throw forbidden();
}

/** The calendar's local year now, and the next one: the years whose holidays must be entered. */
function currentYearOf(definition: CalendarDefinition, now: Date): number {
  return Number(localDateOf(definition, now).slice(0, 4));
}

export type CalendarListRow = {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  isDefault: boolean;
  timeZone: string;
  years: number[];
  /** The current or next year (in the calendar's zone) when it has no holiday data. */
  missingYears: { year: number; current: boolean }[];
  /** A stored definition that validateCalendar refuses (only possible if written outside the app). */
  problems: CalendarProblem[];
};

export async function listCalendars(actor: Pick<Actor, "permissions">, options: { client?: Tx; now?: Date } = {}): Promise<CalendarListRow[]> {
  requireManage(actor);
  const client = options.client ?? db();
  const now = options.now ?? new Date();
  const rows = await client.businessCalendar.findMany({ orderBy: [{ isDefault: "desc" }, { code: "asc" }] });
  return rows.map((row) => {
    const definition = calendarDefinitionShape.parse(row.definition);
    const problems = validateCalendar(definition);
    const years = yearsWithHolidayData(definition);
    const current = problems.length === 0 ? currentYearOf(definition, now) : now.getUTCFullYear();
    const missingYears = [current, current + 1].filter((y) => !years.includes(y)).map((year) => ({ year, current: year === current }));
    return { id: row.id, code: row.code, name: row.name, nameEn: row.nameEn, isDefault: row.isDefault, timeZone: definition.timeZone, years, missingYears, problems };
  });
}

export type CalendarDetail = {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  isDefault: boolean;
  version: number;
  definition: CalendarDefinition;
  years: number[];
  problems: CalendarProblem[];
  /** The calendar's local date today ("YYYY-MM-DD"). */
  today: string;
};

export async function getCalendar(actor: Pick<Actor, "permissions">, id: string, options: { client?: Tx; now?: Date } = {}): Promise<CalendarDetail | null> {
  requireManage(actor);
  const client = options.client ?? db();
  // A forged id is simply not found (ids are cuid-like; no need to hit the database with junk).
  if (!/^[a-z0-9]{20,40}$/i.test(id)) return null;
  const row = await client.businessCalendar.findUnique({ where: { id } });
  if (!row) return null;
  const definition = calendarDefinitionShape.parse(row.definition);
  const problems = validateCalendar(definition);
  const now = options.now ?? new Date();
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    nameEn: row.nameEn,
    isDefault: row.isDefault,
    version: row.version,
    definition,
    years: yearsWithHolidayData(definition),
    problems,
    today: problems.length === 0 ? localDateOf(definition, now) : now.toISOString().slice(0, 10),
  };
}
