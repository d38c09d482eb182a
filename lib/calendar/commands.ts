import "server-only";
import type { Permission } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/db";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import type { CalendarCreateInput, CalendarUpdateInput, RemoveYearInput, ReplaceYearInput } from "./admin-schemas";
import { buildDefaultChinaCalendar, expandHolidayRanges } from "./default-china-calendar";
import { isCalendarError } from "./errors";
import { hasHolidayData, replaceHolidayYear } from "./holiday-data";
import { calendarDefinitionShape, type CalendarDefinition } from "./schemas";
import { validateCalendar } from "./validate-calendar";
import { yearData } from "./year-entries";

// Writes of the calendar administration (SPEC §8, ADMIN only). Each runs inside the action's
// transaction, re-checks the permission, validates the whole definition it is about to store
// (validateCalendar, so the arithmetic can always use it), updates under optimistic concurrency
// (`version`) and records an audit event with before and after.

const ENTITY = "BusinessCalendar";
const PERMISSION: Permission = "calendars.manage";
/** Serialises every change of the default flag, so two ADMINs making two calendars the default
 * at once still leave exactly one (pg advisory lock, released when the transaction ends). */
const DEFAULT_FLAG_LOCK = 4_200_301;

type CalendarRow = { id: string; code: string; name: string; nameEn: string; isDefault: boolean; definition: unknown; version: number };

function requirePermission(actor: Pick<Actor, "permissions">) {
  if (!actor.permissions.has(PERMISSION)) throw forbidden();
}

/** What an audit event records of a calendar. */
function auditView(row: CalendarRow) {
  return { code: row.code, name: row.name, nameEn: row.nameEn, isDefault: row.isDefault, definition: row.definition, version: row.version };
}

/** The stored definition, format-checked only: a calendar whose rules are broken must still be
 * editable, and the edit is validated as a whole before it is stored. */
function storedDefinition(row: CalendarRow): CalendarDefinition {
  return calendarDefinitionShape.parse(row.definition);
}

const asJson = (definition: CalendarDefinition) => definition as unknown as Prisma.InputJsonValue;

// Fields of the settings form a definition problem can be shown beside.
const FORM_FIELDS = new Set(["timeZone", "weeklyHours", "adjustedDayHours"]);

/** Refuses a definition the arithmetic would refuse; the first problem is shown to the person. */
function assertValid(definition: CalendarDefinition) {
  const [problem] = validateCalendar(definition);
  if (!problem) return;
  const field = FORM_FIELDS.has(String(problem.path[0])) ? problem.path.join(".") : undefined;
  throw new DomainError("VALIDATION", `calendar.problems.${problem.code}`, field ? { field } : {});
}

const codeTaken = () => new DomainError("CONFLICT", "calendar.errors.codeTaken", { field: "code" });

async function assertCodeFree(tx: Tx, code: string, exceptId?: string) {
  const clash = await tx.businessCalendar.findFirst({
    where: { code: { equals: code, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw codeTaken();
}

/** A unique-index race lost to a concurrent insert (P2002) gives the same message as the pre-check. */
function uniqueViolation(error: unknown): DomainError | null {
  return (error as { code?: unknown })?.code === "P2002" ? codeTaken() : null;
}

async function lockDefaultFlag(tx: Tx) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEFAULT_FLAG_LOCK})`;
}

/** Every other default calendar stops being one (their version moves on: a form still showing
 * them as the default is out of date). */
async function clearOtherDefaults(tx: Tx, audit: (event: AuditInput) => Promise<void>, keepId: string) {
  const others = await tx.businessCalendar.findMany({ where: { isDefault: true, id: { not: keepId } }, select: { id: true, version: true } });
  for (const other of others) {
    await tx.businessCalendar.update({ where: { id: other.id }, data: { isDefault: false, version: { increment: 1 } } });
    await audit({
      action: "calendar.default.clear",
      entityType: ENTITY,
      entityId: other.id,
      before: { isDefault: true, version: other.version },
      after: { isDefault: false, version: other.version + 1 },
    });
  }
}

function withHours(definition: CalendarDefinition, input: Pick<CalendarUpdateInput, "timeZone" | "weeklyHours" | "adjustedDayHours">): CalendarDefinition {
  const { adjustedDayHours: _dropped, ...rest } = definition;
  void _dropped;
  return {
    ...rest,
    timeZone: input.timeZone,
    weeklyHours: input.weeklyHours,
    ...(input.adjustedDayHours ? { adjustedDayHours: input.adjustedDayHours } : {}),
  };
}

// ---------------------------------------------------------------------------------------------

export async function createCalendar({ actor, input, tx, audit }: ActionContext<CalendarCreateInput>): Promise<{ id: string }> {
  requirePermission(actor);
  await assertCodeFree(tx, input.code);
  const official = input.includeOfficialHolidays ? buildDefaultChinaCalendar() : undefined;
  const definition = withHours(
    { timeZone: input.timeZone, weeklyHours: input.weeklyHours, holidays: official?.holidays ?? [], adjustedWorkingDays: official?.adjustedWorkingDays ?? [] },
    input,
  );
  assertValid(definition);

  await lockDefaultFlag(tx);
  const id = newId();
  // There is always a default; should none exist, the first calendar created becomes it.
  const isDefault = input.isDefault || (await tx.businessCalendar.count({ where: { isDefault: true } })) === 0;
  if (isDefault) await clearOtherDefaults(tx, audit, id);
  let row: CalendarRow;
  try {
    row = await tx.businessCalendar.create({
      data: { id, code: input.code, name: input.name, nameEn: input.nameEn, isDefault, definition: asJson(definition) },
    });
  } catch (error) {
    throw uniqueViolation(error) ?? error;
  }
  await audit({ action: "calendar.create", entityType: ENTITY, entityId: id, after: auditView(row) });
  return { id };
}

export async function updateCalendar({ actor, input, tx, audit }: ActionContext<CalendarUpdateInput>): Promise<{ id: string }> {
  requirePermission(actor);
  const before = await tx.businessCalendar.findUnique({ where: { id: input.id } });
  if (!before) throw notFound();
  if (before.version !== input.version) throw stale();
  await assertCodeFree(tx, input.code, input.id);
  const definition = withHours(storedDefinition(before), input);
  assertValid(definition);

  await lockDefaultFlag(tx);
  if (before.isDefault && !input.isDefault) {
    const others = await tx.businessCalendar.count({ where: { isDefault: true, id: { not: input.id } } });
    if (others === 0) throw new DomainError("INVALID_STATE", "calendar.errors.lastDefault", { field: "isDefault" });
  }
  if (input.isDefault && !before.isDefault) await clearOtherDefaults(tx, audit, input.id);

  try {
    const { count } = await tx.businessCalendar.updateMany({
      where: { id: input.id, version: input.version },
      data: { name: input.name, nameEn: input.nameEn, code: input.code, isDefault: input.isDefault, definition: asJson(definition), version: { increment: 1 } },
    });
    if (count === 0) throw stale();
  } catch (error) {
    throw uniqueViolation(error) ?? error;
  }
  const after = await tx.businessCalendar.findUniqueOrThrow({ where: { id: input.id } });
  await audit({ action: "calendar.update", entityType: ENTITY, entityId: input.id, before: auditView(before), after: auditView(after) });
  return { id: input.id };
}

// ---------------------------------------------------------------------------------------------
// One year's holidays and adjusted working days

async function readForChange(tx: Tx, id: string, version: number): Promise<CalendarRow> {
  const row = await tx.businessCalendar.findUnique({ where: { id } });
  if (!row) throw notFound();
  if (row.version !== version) throw stale();
  return row;
}

/** A year's entries as the audit trail shows them. */
function yearAuditView(definition: CalendarDefinition, year: number, version: number) {
  const { holidays, adjustedWorkingDays } = yearData(definition, year);
  return { year, holidays, adjustedWorkingDays, version };
}

async function storeYearChange(
  tx: Tx,
  audit: (event: AuditInput) => Promise<void>,
  row: CalendarRow,
  action: "calendar.year.replace" | "calendar.year.remove",
  year: number,
  next: CalendarDefinition,
) {
  assertValid(next);
  const { count } = await tx.businessCalendar.updateMany({
    where: { id: row.id, version: row.version },
    data: { definition: asJson(next), version: { increment: 1 } },
  });
  if (count === 0) throw stale();
  await audit({
    action,
    entityType: ENTITY,
    entityId: row.id,
    before: yearAuditView(storedDefinition(row), year, row.version),
    after: yearAuditView(next, year, row.version + 1),
  });
}

/** Adds a year's holidays and adjusted working days, or replaces that year entirely. */
export async function replaceCalendarYear({ actor, input, tx, audit }: ActionContext<ReplaceYearInput>): Promise<{ id: string; year: number }> {
  requirePermission(actor);
  const row = await readForChange(tx, input.calendarId, input.version);
  let next: CalendarDefinition;
  try {
    next = replaceHolidayYear(storedDefinition(row), input.year, {
      holidays: expandHolidayRanges(input.holidays),
      adjustedWorkingDays: input.adjustedWorkingDays,
    });
  } catch (error) {
    // The form's schema refuses these first (a date outside the year, a backwards range).
    if (isCalendarError(error)) throw new DomainError("VALIDATION", "errors.formInvalid");
    throw error;
  }
  await storeYearChange(tx, audit, row, "calendar.year.replace", input.year, next);
  return { id: row.id, year: input.year };
}

/** Removes every holiday and adjusted working day of a year. */
export async function removeCalendarYear({ actor, input, tx, audit }: ActionContext<RemoveYearInput>): Promise<{ id: string; year: number }> {
  requirePermission(actor);
  const row = await readForChange(tx, input.calendarId, input.version);
  const current = storedDefinition(row);
  if (!hasHolidayData(current, input.year)) throw new DomainError("INVALID_STATE", "calendar.errors.yearHasNoData", { params: { year: input.year } });
  const next = replaceHolidayYear(current, input.year, { holidays: [], adjustedWorkingDays: [] });
  await storeYearChange(tx, audit, row, "calendar.year.remove", input.year, next);
  return { id: row.id, year: input.year };
}
