import "server-only";
import type { CalendarDefinition } from "@/lib/calendar";
import { loadCalendar } from "@/lib/calendar/store";
import { calendarDefinitionSchema } from "@/lib/calendar/schemas";
import { Prisma } from "@/lib/generated/prisma/client";
import { departmentsById, peopleById, type DepartmentRef, type PersonRef } from "@/lib/groups/queries";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { escapeLike } from "@/lib/search";
import { CASE_ENTITY } from "./escalation";
import type { CaseExportParams, CaseListParams } from "./schemas";
import { NOT_CLOSED, orderSql, queueSql } from "./queue-sql";
import { caseScope, mayAssignInTeam, subtreeDepartmentIds } from "./scope";
import { caseSla, type CaseSla } from "./sla";

// Reads of the service cases. Every query starts from caseScope (authorization in the where).
// Each row's SLA state is computed with its own calendar (lib/service/sla → lib/calendar).

export async function queueWhere(actor: Actor, tx: Tx, params: Omit<CaseListParams, "page" | "pageSize">, now: Date): Promise<Prisma.ServiceCaseWhereInput> {
  const and: Prisma.ServiceCaseWhereInput[] = [await caseScope(actor, tx)];
  switch (params.view) {
    case "open":
      and.push({ status: { in: NOT_CLOSED } });
      break;
    case "mine":
      and.push({ assigneeId: actor.id, status: { in: NOT_CLOSED } });
      break;
    case "team": {
      const teams = actor.permissions.has("service.read:department") ? await subtreeDepartmentIds(tx, actor.departmentPath) : [actor.departmentId];
      and.push({ teamId: { in: teams }, status: { in: NOT_CLOSED } });
      break;
    }
    case "breached":
      and.push({ status: "OPEN", nextDueAt: { lt: now } });
      break;
    case "closed":
      and.push({ status: "CLOSED" });
      break;
    case "all":
      break;
  }
  if (params.channel) and.push({ channel: params.channel });
  if (params.caseType) and.push({ caseType: params.caseType });
  if (params.priority) and.push({ priority: params.priority });
  if (params.status) and.push({ status: params.status });
  if (params.department) {
    const dept = await tx.department.findUnique({ where: { id: params.department }, select: { path: true } });
    and.push({ teamId: { in: dept ? await subtreeDepartmentIds(tx, dept.path) : [] } });
  }
  if (params.q) {
    const term = escapeLike(params.q);
    and.push({ OR: [{ title: { contains: term, mode: "insensitive" } }, { customerName: { contains: term, mode: "insensitive" } }, { customerRef: { equals: params.q } }] });
  }
  return { AND: and };
}

export function orderBy(params: Pick<CaseListParams, "sort" | "dir">): Prisma.ServiceCaseOrderByWithRelationInput[] {
  switch (params.sort) {
    case "nextDueAt":
      // Urgency: open work first (status order), then the earliest due; done cases last.
      return [{ status: "asc" }, { nextDueAt: { sort: params.dir, nulls: "last" } }, { priority: "desc" }, { id: "asc" }];
    case "priority":
      return [{ priority: params.dir }, { nextDueAt: { sort: "asc", nulls: "last" } }, { id: "asc" }];
    default:
      return [{ [params.sort]: params.dir }, { id: params.dir }];
  }
}

export const rowSelect = {
  id: true,
  title: true,
  customerName: true,
  customerRef: true,
  channel: true,
  caseType: true,
  priority: true,
  status: true,
  teamId: true,
  assigneeId: true,
  policyName: true,
  clock: true,
  calendarId: true,
  firstResponseMinutes: true,
  resolutionMinutes: true,
  receivedAt: true,
  firstResponseDueAt: true,
  resolutionDueAt: true,
  firstResponseAt: true,
  resolvedAt: true,
  closedAt: true,
  pausedAt: true,
  nextDueAt: true,
  nextTarget: true,
  closure: true,
  version: true,
} as const;
type RawRow = Prisma.ServiceCaseGetPayload<{ select: typeof rowSelect }>;
export type CaseRow = RawRow & { sla: CaseSla; team: DepartmentRef | null; assignee: PersonRef | null };

/** Calendars by id, loaded once per request. */
export class CalendarCache {
  private readonly map = new Map<string, Promise<CalendarDefinition>>();
  constructor(private readonly tx: Tx) {}
  get(id: string): Promise<CalendarDefinition> {
    let hit = this.map.get(id);
    if (!hit) {
      hit = loadCalendar(this.tx, id).then((c) => c.definition);
      this.map.set(id, hit);
    }
    return hit;
  }
}

async function withSla(tx: Tx, rows: RawRow[], now: Date, calendars = new CalendarCache(tx)): Promise<CaseRow[]> {
  const [teams, people] = await Promise.all([departmentsById(tx, rows.map((r) => r.teamId)), peopleById(tx, rows.flatMap((r) => (r.assigneeId ? [r.assigneeId] : [])))]);
  return Promise.all(
    rows.map(async (r) => ({
      ...r,
      sla: caseSla(await calendars.get(r.calendarId), r, now),
      team: teams.get(r.teamId) ?? null,
      assignee: r.assigneeId ? (people.get(r.assigneeId) ?? null) : null,
    })),
  );
}

export type CaseList = { rows: CaseRow[]; total: number; page: number; pageSize: number };

/** A page row as the queue's statement returns it: the case, its team and assignee (each looked up
 * by its primary key, a subquery per row: a join let the planner scan every employee), and (first
 * row only) the calendars of the page. With no case matching, one row of the total alone. */
type QueueRow = {
  total: number;
  ord: bigint | null;
  calendars: Array<{ id: string; hash: string; definition: unknown }> | null;
  id: string | null;
  title: string | null;
  customer_name: string | null;
  customer_ref: string | null;
  channel: RawRow["channel"] | null;
  case_type: RawRow["caseType"] | null;
  priority: RawRow["priority"] | null;
  status: RawRow["status"] | null;
  team_id: string | null;
  assignee_id: string | null;
  policy_name: string | null;
  clock: RawRow["clock"] | null;
  calendar_id: string | null;
  first_response_minutes: number | null;
  resolution_minutes: number | null;
  received_at: Date | null;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  first_response_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  paused_at: Date | null;
  next_due_at: Date | null;
  next_target: RawRow["nextTarget"];
  closure: RawRow["closure"];
  version: number | null;
  team: DepartmentRef | null;
  assignee: PersonRef | null;
};

/**
 * Calendars by the hash of their definition (md5 of its text, computed by the statement). A
 * calendar's definition is sent only when this process has not parsed that exact text: an edit
 * changes the hash, so the queue shows the new calendar at once. Parsed definitions keep their
 * identity between requests, so lib/calendar's compiled calendar (memoised by identity) is reused.
 */
const calendarsByHash = new Map<string, CalendarDefinition>();
const CALENDAR_CACHE_LIMIT = 64;

function rememberCalendar(hash: string, definition: unknown): CalendarDefinition {
  const parsed = calendarDefinitionSchema.parse(definition);
  if (calendarsByHash.size >= CALENDAR_CACHE_LIMIT) calendarsByHash.delete(calendarsByHash.keys().next().value!);
  calendarsByHash.set(hash, parsed);
  return parsed;
}

/** Test hook: forget the parsed calendars (as a fresh process). */
export function forgetQueueCalendars(): void {
  calendarsByHash.clear();
}

/** The statement's page and total: the count, the page of rows with their team and assignee, and
 * the page's calendars, in one round trip. */
function queuePageSql(actor: Actor, params: CaseListParams, now: Date, page: number): Prisma.Sql {
  const where = queueSql(actor, params, now);
  const known = [...calendarsByHash.keys()].join(",");
  const offset = (page - 1) * params.pageSize;
  return Prisma.sql`
    WITH page AS (
      SELECT c."id", c."title", c."customer_name", c."customer_ref", c."channel"::text AS "channel", c."case_type"::text AS "case_type",
             c."priority"::text AS "priority", c."status"::text AS "status", c."team_id", c."assignee_id", c."policy_name", c."clock"::text AS "clock",
             c."calendar_id", c."first_response_minutes", c."resolution_minutes", c."received_at", c."first_response_due_at", c."resolution_due_at",
             c."first_response_at", c."resolved_at", c."closed_at", c."paused_at", c."next_due_at", c."next_target"::text AS "next_target",
             c."closure"::text AS "closure", c."version",
             -- The row's place in the queue's order (the page's own order, below, is by it: an
             -- order a window over the page's rows would only keep by chance).
             row_number() OVER (ORDER BY ${orderSql(params)}) AS ord
        FROM "service_cases" c
       WHERE ${where}
       ORDER BY ${orderSql(params)}
       LIMIT ${params.pageSize} OFFSET ${offset}
    ), numbered AS (
      SELECT p.* FROM page p
    )
    SELECT t.total, n.*,
           (SELECT json_build_object('id', d."id", 'name', d."name", 'code', d."code") FROM "departments" d WHERE d."id" = n."team_id") AS team,
           (SELECT json_build_object('id', e."id", 'name', e."name", 'employeeNo', e."employee_no", 'status', e."status", 'departmentId', e."department_id")
              FROM "employees" e WHERE e."id" = n."assignee_id") AS assignee,
           CASE WHEN n.ord = ${offset + 1} THEN (
             SELECT json_agg(json_build_object('id', b."id", 'hash', b.hash, 'definition', CASE WHEN b.hash = ANY (string_to_array(${known}, ',')) THEN NULL ELSE b."definition" END))
               FROM (SELECT b."id", b."definition", md5(b."definition"::text) AS hash FROM "business_calendars" b WHERE b."id" IN (SELECT "calendar_id" FROM page)) b
           ) END AS calendars
      FROM (SELECT count(*)::int AS total FROM "service_cases" c WHERE ${where}) t
      LEFT JOIN numbered n ON TRUE
     ORDER BY n.ord`;
}

function caseRowOf(r: QueueRow, calendars: Map<string, CalendarDefinition>, now: Date): CaseRow {
  const raw: RawRow = {
    id: r.id!,
    title: r.title!,
    customerName: r.customer_name!,
    customerRef: r.customer_ref,
    channel: r.channel!,
    caseType: r.case_type!,
    priority: r.priority!,
    status: r.status!,
    teamId: r.team_id!,
    assigneeId: r.assignee_id,
    policyName: r.policy_name!,
    clock: r.clock!,
    calendarId: r.calendar_id!,
    firstResponseMinutes: r.first_response_minutes!,
    resolutionMinutes: r.resolution_minutes!,
    receivedAt: r.received_at!,
    firstResponseDueAt: r.first_response_due_at!,
    resolutionDueAt: r.resolution_due_at!,
    firstResponseAt: r.first_response_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    pausedAt: r.paused_at,
    nextDueAt: r.next_due_at,
    nextTarget: r.next_target,
    closure: r.closure,
    version: r.version!,
  };
  const calendar = calendars.get(raw.calendarId);
  if (!calendar) throw new Error(`Business calendar ${raw.calendarId} does not exist`);
  return {
    ...raw,
    sla: caseSla(calendar, raw, now),
    team: r.team,
    assignee: r.assignee,
  };
}

/**
 * One page of the queue; a page past the end shows the last one. One statement (queuePageSql): the
 * reader's scope and the filters in its WHERE (lib/service/queue-sql.ts, the same cases as
 * queueWhere), the count, the page, its teams, assignees and calendars; read again only when the
 * page asked for is past the end.
 */
export async function listCases(actor: Actor, tx: Tx, params: CaseListParams, now = new Date()): Promise<CaseList> {
  let page = params.page;
  let result = await tx.$queryRaw<QueueRow[]>(queuePageSql(actor, params, now, page));
  const total = result[0]?.total ?? 0;
  const last = Math.max(1, Math.ceil(total / params.pageSize));
  if (page > last) {
    page = last;
    result = await tx.$queryRaw<QueueRow[]>(queuePageSql(actor, params, now, page));
  }
  const rows = result.filter((r) => r.ord !== null);
  const calendars = new Map<string, CalendarDefinition>();
  for (const c of rows[0]?.calendars ?? []) {
    calendars.set(c.id, c.definition !== null ? rememberCalendar(c.hash, c.definition) : (calendarsByHash.get(c.hash) ?? (await loadCalendar(tx, c.id)).definition));
  }
  return { rows: rows.map((r) => caseRowOf(r, calendars, now)), total: result[0]?.total ?? 0, page, pageSize: params.pageSize };
}

export const EXPORT_PAGE_SIZE = 1_000;

/** Every case the queue shows for these filters, a page at a time in id order. */
export async function* caseExportPages(actor: Actor, tx: Tx, params: CaseExportParams, now = new Date()): AsyncGenerator<CaseRow[]> {
  const where = await queueWhere(actor, tx, params, now);
  const calendars = new CalendarCache(tx);
  let cursor: string | undefined;
  for (;;) {
    const rows = await tx.serviceCase.findMany({ where: cursor ? { AND: [where, { id: { gt: cursor } }] } : where, select: rowSelect, orderBy: { id: "asc" }, take: EXPORT_PAGE_SIZE });
    if (rows.length === 0) return;
    yield await withSla(tx, rows, now, calendars);
    if (rows.length < EXPORT_PAGE_SIZE) return;
    cursor = rows[rows.length - 1].id;
  }
}

// ---------------------------------------------------------------------------------------------
// One case

export type CaseDetail = NonNullable<Awaited<ReturnType<typeof getCase>>>;

export async function getCase(actor: Actor, tx: Tx, id: string, now = new Date()) {
  const c = await tx.serviceCase.findFirst({
    where: { AND: [await caseScope(actor, tx), { id }] },
    include: { pauses: { orderBy: { pausedAt: "asc" } }, escalations: { orderBy: { escalatedAt: "asc" } } },
  });
  if (!c) return null;
  const [row] = await withSla(tx, [c], now);
  const history = await tx.auditEvent.findMany({
    where: { entityType: CASE_ENTITY, entityId: id },
    orderBy: { id: "asc" },
    select: { id: true, action: true, actorId: true, actorLabel: true, createdAt: true },
    take: 200,
  });
  const recipientIds = c.escalations.flatMap((e) => (Array.isArray(e.recipientIds) ? (e.recipientIds as string[]) : []));
  const people = await peopleById(tx, [c.createdById, ...recipientIds, ...history.flatMap((h) => (h.actorId ? [h.actorId] : []))]);
  const canAssign = await mayAssignInTeam(actor, tx, c.teamId);
  const worker = c.assigneeId === actor.id || canAssign;
  const mayWork = actor.permissions.has("service.work") || actor.permissions.has("service.manage");
  const live = c.status === "OPEN" || c.status === "WAITING_CUSTOMER";
  return {
    ...row,
    description: c.description,
    resolution: c.resolution,
    confirmedAt: c.confirmedAt,
    confirmationNote: c.confirmationNote,
    followUpAt: c.followUpAt,
    followUpNote: c.followUpNote,
    createdBy: people.get(c.createdById) ?? null,
    pauses: c.pauses,
    escalations: c.escalations.map((e) => ({ ...e, recipients: (Array.isArray(e.recipientIds) ? (e.recipientIds as string[]) : []).map((r) => people.get(r)?.name ?? r) })),
    history: history.map((h) => ({ ...h, id: h.id.toString(), actorName: h.actorId ? (people.get(h.actorId)?.name ?? null) : null })),
    abilities: {
      take: mayWork && live && c.assigneeId === null,
      assign: mayWork && live && canAssign,
      respond: mayWork && worker && c.status === "OPEN" && !c.firstResponseAt,
      pause: mayWork && worker && c.status === "OPEN" && !!c.firstResponseAt,
      resume: mayWork && worker && c.status === "WAITING_CUSTOMER",
      resolve: mayWork && worker && c.status === "OPEN",
      close: mayWork && worker && c.status === "RESOLVED",
    },
  };
}

/** People an assigner may pick: ACTIVE employees of the team's subtree. */
export async function assigneeOptions(tx: Tx, teamId: string) {
  const team = await tx.department.findUnique({ where: { id: teamId }, select: { path: true } });
  if (!team) return [];
  const ids = await subtreeDepartmentIds(tx, team.path);
  const rows = await tx.employee.findMany({ where: { status: "ACTIVE", departmentId: { in: ids } }, select: { id: true, name: true, employeeNo: true }, orderBy: [{ name: "asc" }, { id: "asc" }], take: 500 });
  return rows.map((r) => ({ value: r.id, label: `${r.name}（${r.employeeNo}）` }));
}

/** Teams the actor may file a case under: their own department, and for assigners the ones they
 * may assign in. */
export async function teamOptions(actor: Actor, tx: Tx) {
  if (actor.permissions.has("service.manage")) {
    const rows = await tx.department.findMany({ select: { id: true, name: true, depth: true, path: true }, orderBy: [{ path: "asc" }] });
    return rows.map((r) => ({ value: r.id, label: `${"　".repeat(r.depth)}${r.name}` }));
  }
  const ids = actor.permissions.has("service.read:department") ? await subtreeDepartmentIds(tx, actor.departmentPath) : [actor.departmentId];
  const rows = await tx.department.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, depth: true, path: true }, orderBy: [{ path: "asc" }] });
  return rows.map((r) => ({ value: r.id, label: `${"　".repeat(r.depth)}${r.name}` }));
}

// ---------------------------------------------------------------------------------------------
// Imports (service.manage)

export async function recentCaseImports(tx: Tx, take = 20) {
  return tx.serviceCaseImport.findMany({ orderBy: { createdAt: "desc" }, take, select: { id: true, fileName: true, status: true, totalRows: true, validCount: true, invalidCount: true, createdAt: true } });
}

export async function getCaseImport(tx: Tx, id: string) {
  const imp = await tx.serviceCaseImport.findUnique({ where: { id } });
  if (!imp) return null;
  const created = imp.status === "CONFIRMED" ? await tx.serviceCase.count({ where: { importId: id } }) : 0;
  return { ...imp, rows: imp.rows as unknown as import("./import-parse").StagedRow[], created };
}
