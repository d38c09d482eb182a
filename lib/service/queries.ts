import "server-only";
import type { CalendarDefinition } from "@/lib/calendar";
import { loadCalendar } from "@/lib/calendar/store";
import type { Prisma } from "@/lib/generated/prisma/client";
import { departmentsById, peopleById, type DepartmentRef, type PersonRef } from "@/lib/groups/queries";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { escapeLike } from "@/lib/search";
import { CASE_ENTITY } from "./escalation";
import type { CaseExportParams, CaseListParams } from "./schemas";
import { caseScope, mayAssignInTeam, subtreeDepartmentIds } from "./scope";
import { caseSla, type CaseSla } from "./sla";

// Reads of the service cases. Every query starts from caseScope (authorization in the where).
// Each row's SLA state is computed with its own calendar (lib/service/sla → lib/calendar).

export async function queueWhere(actor: Actor, tx: Tx, params: Omit<CaseListParams, "page" | "pageSize">, now: Date): Promise<Prisma.ServiceCaseWhereInput> {
  const and: Prisma.ServiceCaseWhereInput[] = [await caseScope(actor, tx)];
  switch (params.view) {
    case "open":
      and.push({ status: { not: "CLOSED" } });
      break;
    case "mine":
      and.push({ assigneeId: actor.id, status: { not: "CLOSED" } });
      break;
    case "team": {
      const teams = actor.permissions.has("service.read:department") ? await subtreeDepartmentIds(tx, actor.departmentPath) : [actor.departmentId];
      and.push({ teamId: { in: teams }, status: { not: "CLOSED" } });
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

function orderBy(params: Pick<CaseListParams, "sort" | "dir">): Prisma.ServiceCaseOrderByWithRelationInput[] {
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

const rowSelect = {
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

/**
 * One page of the queue; a page past the end shows the last one. The count and the page are read at
 * once (two pooled connections; inside a transaction they queue on its one), and the page is read
 * again only when the one asked for is past the end (as lib/groups/queries.ts listGroups).
 */
export async function listCases(actor: Actor, tx: Tx, params: CaseListParams, now = new Date()): Promise<CaseList> {
  const where = await queueWhere(actor, tx, params, now);
  const pageOf = (page: number) => tx.serviceCase.findMany({ where, select: rowSelect, orderBy: orderBy(params), skip: (page - 1) * params.pageSize, take: params.pageSize });
  const [total, asked] = await Promise.all([tx.serviceCase.count({ where }), pageOf(params.page)]);
  const page = Math.min(params.page, Math.max(1, Math.ceil(total / params.pageSize)));
  const rows = page === params.page ? asked : await pageOf(page);
  return { rows: await withSla(tx, rows, now), total, page, pageSize: params.pageSize };
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
