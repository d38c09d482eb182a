import { addCalendarMonths, addWorkingDays, type CalendarDefinition } from "@/lib/calendar";
import { loadCalendar } from "@/lib/calendar/store";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/server/prisma-client";
import { audience as audienceShape, type Audience, type AudienceKind } from "./schemas";

// Who must take what, made set-based: one INSERT … SELECT … ON CONFLICT DO NOTHING per course (or
// policy version) over the whole directory, so 20,000 people × a new course is one statement
// (scripts/bench/training.ts). The unique (course, employee, cycle) key makes every call
// idempotent: the job, the employee hook and the course's creation may all run it again.
//
// Due dates are business-calendar arithmetic (lib/calendar): N working days after the assignment,
// or after the hire date for someone not yet started, ending at the close of business of that day.

const HOUR = 3_600_000;
const CHINA_OFFSET = 8 * HOUR;

/** Today's date in China as the UTC-midnight Date a Postgres DATE maps to. */
export function chinaToday(now: Date): Date {
  const local = new Date(now.getTime() + CHINA_OFFSET);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
}

/** Close of business of the Nth working day after `from` (the day of `from` never counts). */
export function dueAfter(calendar: CalendarDefinition, from: Date, workingDays: number): Date {
  return addWorkingDays(calendar, from, workingDays, { at: "end-of-day" });
}

/** A hire date (DATE) as an instant on that day in China (noon), for counting working days after it. */
export function hireInstant(hireDate: Date): Date {
  return new Date(hireDate.getTime() + 12 * HOUR - CHINA_OFFSET);
}

/**
 * When a completion of a recurring course is due again: the same local time N months later on
 * the calendar's civil date (China time), never the UTC date (lib/calendar addCalendarMonths).
 */
export function renewalAfter(calendar: CalendarDefinition, completedAt: Date, months: number): Date {
  return addCalendarMonths(calendar, completedAt, months);
}

export function recurrenceMonthsOf(course: { recurrence: string; recurrenceMonths: number | null }): number | null {
  if (course.recurrence === "YEARLY") return 12;
  if (course.recurrence === "MONTHS") return course.recurrenceMonths;
  return null;
}

type CourseForAssign = { id: string; contentVersion: number; audienceKind: AudienceKind | string; audience: unknown; dueWorkingDays: number };

const NEW_ID = Prisma.sql`replace(gen_random_uuid()::text, '-', '')`;

/** The SQL condition (over employees e joined to departments d) for a course's audience. */
export async function audienceCondition(tx: Tx, kind: string, raw: unknown): Promise<Prisma.Sql> {
  if (kind === "EVERYONE") return Prisma.sql`TRUE`;
  const aud: Audience = audienceShape.parse(raw);
  if (kind === "ROLES") {
    if (aud.roles.length === 0) return Prisma.sql`FALSE`;
    return Prisma.sql`EXISTS (SELECT 1 FROM "employee_roles" r WHERE r."employee_id" = e."id" AND r."role"::text = ANY(${aud.roles}::text[]))`;
  }
  const depts = aud.departmentIds.length ? await tx.department.findMany({ where: { id: { in: aud.departmentIds } }, select: { path: true } }) : [];
  if (depts.length === 0) return Prisma.sql`FALSE`;
  // A department includes its sub-departments: a path prefix match.
  return Prisma.sql`d."path" LIKE ANY(${depts.map((x) => `${x.path}%`)}::text[])`;
}

/** How many active employees an audience names now (an empty audience is refused). */
export async function audienceSize(tx: Tx, kind: string, raw: unknown): Promise<number> {
  const cond = await audienceCondition(tx, kind, raw);
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`
    SELECT count(*)::bigint AS n FROM "employees" e JOIN "departments" d ON d."id" = e."department_id" WHERE e."status" = 'ACTIVE' AND ${cond}`;
  return Number(row.n);
}

function onlyEmployees(ids?: readonly string[]): Prisma.Sql {
  return ids ? Prisma.sql`AND e."id" = ANY(${[...ids]}::text[])` : Prisma.empty;
}

/** Due dates of people hired after today (their period runs from the hire date): a few distinct dates. */
async function hireDues(tx: Tx, calendar: CalendarDefinition, now: Date, days: number, ids?: readonly string[]): Promise<{ dates: string[]; dues: Date[] }> {
  const rows = await tx.$queryRaw<{ hire_date: Date }[]>`
    SELECT DISTINCT e."hire_date" FROM "employees" e WHERE e."status" = 'ACTIVE' AND e."hire_date" > ${chinaToday(now)}::date ${onlyEmployees(ids)}`;
  return {
    dates: rows.map((r) => r.hire_date.toISOString().slice(0, 10)),
    dues: rows.map((r) => dueAfter(calendar, hireInstant(r.hire_date), days)),
  };
}

/**
 * Assigns a course to everyone in its audience who has no assignment of it yet (cycle 1),
 * optionally only among `employeeIds`. Returns how many were created.
 */
export async function assignAudience(tx: Tx, course: CourseForAssign, now: Date, options: { calendar?: CalendarDefinition; employeeIds?: readonly string[] } = {}): Promise<number> {
  const calendar = options.calendar ?? (await loadCalendar(tx)).definition;
  const cond = await audienceCondition(tx, course.audienceKind, course.audience);
  const due = dueAfter(calendar, now, course.dueWorkingDays);
  const hires = await hireDues(tx, calendar, now, course.dueWorkingDays, options.employeeIds);
  return tx.$executeRaw`
    INSERT INTO "training_assignments" ("id", "course_id", "employee_id", "cycle", "current", "status", "source", "course_version", "assigned_at", "due_at", "attempts", "version", "created_at", "updated_at")
    SELECT ${NEW_ID}, ${course.id}, e."id", 1, true, 'ASSIGNED', 'AUDIENCE', ${course.contentVersion}, ${now}, COALESCE(h."due_at", ${due}), 0, 1, ${now}, ${now}
      FROM "employees" e
      JOIN "departments" d ON d."id" = e."department_id"
      LEFT JOIN unnest(${hires.dates}::date[], ${hires.dues}::timestamptz[]) AS h("hire_date", "due_at") ON h."hire_date" = e."hire_date"
     WHERE e."status" = 'ACTIVE' AND ${cond} ${onlyEmployees(options.employeeIds)}
    ON CONFLICT DO NOTHING`;
}

/**
 * Recurring courses: every current, completed assignment whose renewal date has passed gets the
 * next cycle (a new assignment due N working days from now); the old one stops being current.
 * Conditional and keyed on (course, employee, cycle): a second run changes nothing.
 */
export async function renewDueAssignments(tx: Tx, now: Date, calendar?: CalendarDefinition): Promise<number> {
  const courses = await tx.trainingCourse.findMany({ where: { active: true, recurrence: { not: "NONE" } }, select: { id: true, contentVersion: true, dueWorkingDays: true } });
  if (courses.length === 0) return 0;
  const cal = calendar ?? (await loadCalendar(tx)).definition;
  let renewed = 0;
  for (const c of courses) {
    const due = dueAfter(cal, now, c.dueWorkingDays);
    const rows = await tx.$queryRaw<{ id: string }[]>`
      WITH due AS (
        SELECT a."employee_id", a."cycle" FROM "training_assignments" a JOIN "employees" e ON e."id" = a."employee_id"
         WHERE a."course_id" = ${c.id} AND a."current" AND a."status" = 'COMPLETED' AND a."renew_at" <= ${now} AND e."status" = 'ACTIVE'
      ), ins AS (
        INSERT INTO "training_assignments" ("id", "course_id", "employee_id", "cycle", "current", "status", "source", "course_version", "assigned_at", "due_at", "attempts", "version", "created_at", "updated_at")
        SELECT ${NEW_ID}, ${c.id}, due."employee_id", due."cycle" + 1, true, 'ASSIGNED', 'AUDIENCE', ${c.contentVersion}, ${now}, ${due}, 0, 1, ${now}, ${now} FROM due
        ON CONFLICT DO NOTHING RETURNING "employee_id", "cycle"
      )
      UPDATE "training_assignments" a SET "current" = false, "version" = a."version" + 1, "updated_at" = ${now}
        FROM ins WHERE a."course_id" = ${c.id} AND a."employee_id" = ins."employee_id" AND a."cycle" = ins."cycle" - 1 AND a."current"
      RETURNING a."id"`;
    renewed += rows.length;
  }
  return renewed;
}

type VersionForAsk = { id: string; documentId: string; dueWorkingDays: number };

/** Asks everyone active (or only `employeeIds`) to acknowledge a policy version; returns how many were asked. */
export async function askPolicy(tx: Tx, version: VersionForAsk, now: Date, options: { calendar?: CalendarDefinition; employeeIds?: readonly string[] } = {}): Promise<number> {
  const calendar = options.calendar ?? (await loadCalendar(tx)).definition;
  const due = dueAfter(calendar, now, version.dueWorkingDays);
  const hires = await hireDues(tx, calendar, now, version.dueWorkingDays, options.employeeIds);
  return tx.$executeRaw`
    INSERT INTO "policy_acknowledgements" ("id", "version_id", "document_id", "employee_id", "current", "asked_at", "due_at", "created_at", "updated_at")
    SELECT ${NEW_ID}, ${version.id}, ${version.documentId}, e."id", true, ${now}, COALESCE(h."due_at", ${due}), ${now}, ${now}
      FROM "employees" e
      LEFT JOIN unnest(${hires.dates}::date[], ${hires.dues}::timestamptz[]) AS h("hire_date", "due_at") ON h."hire_date" = e."hire_date"
     WHERE e."status" = 'ACTIVE' ${onlyEmployees(options.employeeIds)}
    ON CONFLICT DO NOTHING`;
}

async function currentPolicyVersions(tx: Tx): Promise<VersionForAsk[]> {
  return tx.$queryRaw<VersionForAsk[]>`
    SELECT v."id", v."document_id" AS "documentId", v."due_working_days" AS "dueWorkingDays"
      FROM "policy_versions" v JOIN "policy_documents" p ON p."id" = v."document_id" AND p."current_version_no" = v."version_no"`;
}

/**
 * Everything the directory's state asks for, for everyone (the job) or some people (the hook when
 * HR creates or moves an employee): audience assignments of every active course, renewals of
 * recurring ones (everyone only), and the current version of every policy.
 */
export async function syncTraining(tx: Tx, now: Date, employeeIds?: readonly string[]): Promise<{ assigned: number; renewed: number; asked: number }> {
  const courses = await tx.trainingCourse.findMany({ where: { active: true }, select: { id: true, contentVersion: true, audienceKind: true, audience: true, dueWorkingDays: true } });
  const versions = await currentPolicyVersions(tx);
  if (courses.length === 0 && versions.length === 0) return { assigned: 0, renewed: 0, asked: 0 };
  const calendar = (await loadCalendar(tx)).definition;
  let assigned = 0;
  for (const c of courses) assigned += await assignAudience(tx, c, now, { calendar, employeeIds });
  const renewed = employeeIds ? 0 : await renewDueAssignments(tx, now, calendar);
  let asked = 0;
  for (const v of versions) asked += await askPolicy(tx, v, now, { calendar, employeeIds });
  return { assigned, renewed, asked };
}
