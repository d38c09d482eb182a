import "server-only";
import type { RoleCode } from "@/lib/auth/permissions";
import { provisionalYear, type CalendarDefinition } from "@/lib/calendar";
import { loadCalendar } from "@/lib/calendar/store";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/db";
import { en as enMessages, zhCN as zhMessages } from "@/lib/i18n/messages";
import { canViewRequest, isStepApprover } from "./access";
import { isBatchApprovable } from "./batch-rules";
import { fallbackRolesOf, type Resolution } from "./chain-resolution";
import { overdueBy, type Overdue } from "./overdue";
import type { InboxTab } from "./schemas";
import { REQUEST_TYPES, type RequestStatus, type RequestType, type StepCondition, type StepKind, type StepStatus } from "./types";

// Reads of approvals. Who sees what is in the where clause: the inbox asks for steps whose
// approver is the actor or whose role the actor holds; a request is read only by those
// canViewRequest admits.

export const INBOX_PAGE_SIZE = 20;

type Viewer = Pick<Actor, "id" | "roles" | "permissions">;

async function isActive(client: Tx, employeeId: string): Promise<boolean> {
  const me = await client.employee.findUnique({ where: { id: employeeId }, select: { status: true } });
  return me?.status === "ACTIVE";
}

/** Pending steps the actor may decide now: theirs by name, or their role's while they are ACTIVE;
 * never a step of their own request, nor of a request they decided another step of. */
export function pendingOnWhere(actor: Pick<Actor, "id" | "roles">, active: boolean): Prisma.ApprovalRequestStepWhereInput {
  const who: Prisma.ApprovalRequestStepWhereInput[] = [{ approverId: actor.id }];
  if (active && actor.roles.length) who.push({ approverId: null, role: { in: actor.roles } });
  return { status: "PENDING", request: { status: "PENDING", requesterId: { not: actor.id }, steps: { none: { decidedById: actor.id } } }, OR: who };
}

async function namesOf(client: Tx, ids: Iterable<string | null | undefined>): Promise<Map<string, { name: string; employeeNo: string }>> {
  const unique = [...new Set([...ids].filter((x): x is string => !!x))];
  if (!unique.length) return new Map();
  const rows = await client.employee.findMany({ where: { id: { in: unique } }, select: { id: true, name: true, employeeNo: true } });
  return new Map(rows.map((r) => [r.id, { name: r.name, employeeNo: r.employeeNo }]));
}

/** Calendars by id, each loaded once per page. */
function calendarCache(client: Tx) {
  const cache = new Map<string, Promise<CalendarDefinition>>();
  return (id: string) => {
    let found = cache.get(id);
    if (!found) {
      found = loadCalendar(client, id).then((c) => c.definition);
      cache.set(id, found);
    }
    return found;
  };
}

export type InboxItem = {
  requestId: string;
  title: string;
  type: RequestType;
  status: RequestStatus;
  requesterName: string;
  submittedAt: Date;
  /** The step this row is about: the pending one (pending / mine) or the one decided (decided). */
  /** provisionalYear: the due date's year has no holiday data on the request's calendar (shown as provisional). */
  step: { id: string; position: number; status: StepStatus; dueAt: Date | null; provisionalYear: number | null; decidedAt: Date | null; role: RoleCode | null; approverName: string | null } | null;
  overdue: Overdue | null;
  /** Pending on the viewer and low-risk (lib/approvals/batch-rules.ts): offered for batch approval. */
  batchable: boolean;
};

export type InboxPage = { items: InboxItem[]; total: number; page: number; pageSize: number };

const requestSelect = { id: true, title: true, type: true, status: true, requesterId: true, createdAt: true, calendarId: true, facts: true } as const;
const stepSelect = { id: true, position: true, status: true, dueAt: true, decidedAt: true, role: true, approverId: true } as const;

/**
 * The inbox search (server-side): a request whose title contains the words, whose requester's name
 * does, or whose type's name (Chinese or English) does. Null: no search.
 */
export async function inboxSearchWhere(client: Tx, q: string | undefined): Promise<Prisma.ApprovalRequestWhereInput | null> {
  const term = q?.trim();
  if (!term) return null;
  const lower = term.toLowerCase();
  const people = await client.employee.findMany({ where: { name: { contains: term, mode: "insensitive" } }, select: { id: true }, take: 500 });
  const types = REQUEST_TYPES.filter((type) => [zhMessages.approvals.types[type], enMessages.approvals.types[type]].some((label) => label.toLowerCase().includes(lower)));
  const or: Prisma.ApprovalRequestWhereInput[] = [{ title: { contains: term, mode: "insensitive" } }];
  if (people.length) or.push({ requesterId: { in: people.map((p) => p.id) } });
  if (types.length) or.push({ type: { in: types } });
  return { OR: or };
}

export async function listInbox(client: Tx, actor: Viewer, tab: InboxTab, page: number, now = new Date(), pageSize = INBOX_PAGE_SIZE, q?: string): Promise<InboxPage> {
  const skip = (page - 1) * pageSize;
  const calendar = calendarCache(client);
  const search = await inboxSearchWhere(client, q);
  type Row = { request: { id: string; title: string; type: RequestType; status: RequestStatus; requesterId: string; createdAt: Date; calendarId: string; facts: unknown }; step: (Prisma.ApprovalRequestStepGetPayload<{ select: typeof stepSelect }>) | null };
  let rows: Row[];
  let total: number;

  if (tab === "mine") {
    const where: Prisma.ApprovalRequestWhereInput = search ? { AND: [{ requesterId: actor.id }, search] } : { requesterId: actor.id };
    const found = await client.approvalRequest.findMany({
      where,
      select: { ...requestSelect, steps: { where: { status: "PENDING" }, select: stepSelect, take: 1 } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip,
      take: pageSize,
    });
    total = await client.approvalRequest.count({ where });
    rows = found.map(({ steps, ...request }) => ({ request, step: steps[0] ?? null }));
  } else {
    const base: Prisma.ApprovalRequestStepWhereInput =
      tab === "pending" ? pendingOnWhere(actor, await isActive(client, actor.id)) : { decidedById: actor.id, status: { in: ["APPROVED", "REJECTED"] } };
    const where: Prisma.ApprovalRequestStepWhereInput = search ? { AND: [base, { request: search }] } : base;
    const found = await client.approvalRequestStep.findMany({
      where,
      select: { ...stepSelect, request: { select: requestSelect } },
      orderBy: tab === "pending" ? [{ dueAt: "asc" }, { id: "asc" }] : [{ decidedAt: "desc" }, { id: "desc" }],
      skip,
      take: pageSize,
    });
    total = await client.approvalRequestStep.count({ where });
    rows = found.map(({ request, ...step }) => ({ request, step }));
  }

  const names = await namesOf(client, rows.flatMap((r) => [r.request.requesterId, r.step?.approverId]));
  const items: InboxItem[] = [];
  for (const { request, step } of rows) {
    const pendingStep = step?.status === "PENDING" && request.status === "PENDING" ? step : null;
    items.push({
      requestId: request.id,
      title: request.title,
      type: request.type,
      status: request.status,
      requesterName: names.get(request.requesterId)?.name ?? "",
      submittedAt: request.createdAt,
      step: step
        ? { id: step.id, position: step.position, status: step.status, dueAt: step.dueAt, provisionalYear: step.dueAt ? provisionalYear(await calendar(request.calendarId), step.dueAt) : null, decidedAt: step.decidedAt, role: step.role, approverName: step.approverId ? (names.get(step.approverId)?.name ?? null) : null }
        : null,
      overdue: pendingStep ? overdueBy(await calendar(request.calendarId), pendingStep.dueAt, now) : null,
      batchable: tab === "pending" && pendingStep !== null && isBatchApprovable(request),
    });
  }
  return { items, total, page, pageSize };
}

/** The first request waiting on the actor in the inbox's order (due first), other than `except`. */
export async function nextPendingRequestId(client: Tx, actor: Pick<Actor, "id" | "roles">, except?: string): Promise<string | null> {
  const where = pendingOnWhere(actor, await isActive(client, actor.id));
  const found = await client.approvalRequestStep.findFirst({
    where: except ? { AND: [where, { requestId: { not: except } }] } : where,
    select: { requestId: true },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
  });
  return found?.requestId ?? null;
}

/** How many steps wait on the actor, and how many of them are overdue (home page). */
export async function countPendingOn(client: Tx, actor: Pick<Actor, "id" | "roles">, now = new Date()): Promise<{ count: number; overdue: number }> {
  const where = pendingOnWhere(actor, await isActive(client, actor.id));
  const [count, overdue] = await Promise.all([
    client.approvalRequestStep.count({ where }),
    client.approvalRequestStep.count({ where: { AND: [where, { dueAt: { lt: now } }] } }),
  ]);
  return { count, overdue };
}

export type TimelineStep = {
  id: string;
  position: number;
  kind: StepKind;
  status: StepStatus;
  role: RoleCode | null;
  approver: { id: string; name: string; employeeNo: string } | null;
  person: { id: string; name: string } | null;
  condition: StepCondition | null;
  resolution: Resolution | null;
  decidedBy: { id: string; name: string } | null;
  decidedAt: Date | null;
  comment: string | null;
  activatedAt: Date | null;
  dueAt: Date | null;
  /** The due date's year has no holiday data on the request's calendar: the due date is provisional. */
  provisionalYear: number | null;
  overdue: Overdue | null;
  /** The viewer may approve or reject this step now. */
  canDecide: boolean;
};

export type RequestDetail = {
  id: string;
  type: RequestType;
  status: RequestStatus;
  title: string;
  subjectType: string;
  subjectId: string;
  requester: { id: string; name: string; employeeNo: string };
  payload: unknown;
  submittedAt: Date;
  closedAt: Date | null;
  version: number;
  overdueWorkingDays: number;
  timeZone: string;
  steps: TimelineStep[];
  canWithdraw: boolean;
};

/** A request as the viewer may see it, or null (it does not exist, or they may not see it). */
export async function getRequestDetail(client: Tx, actor: Viewer, id: string, now = new Date()): Promise<RequestDetail | null> {
  if (!/^[a-z0-9]{20,40}$/i.test(id)) return null;
  const request = await client.approvalRequest.findUnique({ where: { id }, include: { steps: { orderBy: { position: "asc" } } } });
  if (!request || !canViewRequest(actor, request)) return null;
  const calendar = await loadCalendar(client, request.calendarId);
  const names = await namesOf(client, [request.requesterId, ...request.steps.flatMap((s) => [s.approverId, s.decidedById, s.personId])]);
  const active = await isActive(client, actor.id);
  const person = (pid: string | null) => (pid && names.get(pid) ? { id: pid, ...names.get(pid)! } : null);
  const open = request.status === "PENDING";
  return {
    id: request.id,
    type: request.type,
    status: request.status,
    title: request.title,
    subjectType: request.subjectType,
    subjectId: request.subjectId,
    requester: { id: request.requesterId, name: names.get(request.requesterId)?.name ?? "", employeeNo: names.get(request.requesterId)?.employeeNo ?? "" },
    payload: request.payload,
    submittedAt: request.createdAt,
    closedAt: request.closedAt,
    version: request.version,
    overdueWorkingDays: request.overdueWorkingDays,
    timeZone: calendar.definition.timeZone,
    canWithdraw: open && request.requesterId === actor.id,
    steps: request.steps.map((s) => ({
      id: s.id,
      position: s.position,
      kind: s.kind,
      status: s.status,
      role: s.role,
      approver: person(s.approverId),
      person: person(s.personId),
      condition: (s.condition as StepCondition | null) ?? null,
      resolution: (s.resolution as Resolution | null) ?? null,
      decidedBy: person(s.decidedById),
      decidedAt: s.decidedAt,
      comment: s.comment,
      activatedAt: s.activatedAt,
      dueAt: s.dueAt,
      provisionalYear: s.dueAt ? provisionalYear(calendar.definition, s.dueAt) : null,
      overdue: open && s.status === "PENDING" ? overdueBy(calendar.definition, s.dueAt, now) : null,
      canDecide:
        open &&
        s.status === "PENDING" &&
        request.requesterId !== actor.id &&
        !request.steps.some((o) => o.decidedById === actor.id) &&
        isStepApprover(actor, s) &&
        (s.approverId !== null || active),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Chains (the settings page)

export type ChainView = {
  id: string;
  requestType: RequestType;
  overdueWorkingDays: number;
  calendarId: string | null;
  /** Who takes a step nobody else can decide, in order. */
  fallbackRoles: RoleCode[];
  version: number;
  updatedAt: Date;
  steps: { position: number; kind: StepKind; role: RoleCode | null; person: { id: string; name: string; employeeNo: string; email: string; active: boolean } | null; classifications: string[] }[];
};

export async function listChains(client: Tx): Promise<ChainView[]> {
  const chains = await client.approvalChain.findMany({ include: { steps: { orderBy: { position: "asc" } } }, orderBy: { requestType: "asc" } });
  const personIds = chains.flatMap((c) => c.steps.flatMap((s) => (s.personId ? [s.personId] : [])));
  const people = personIds.length
    ? await client.employee.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true, employeeNo: true, email: true, status: true } })
    : [];
  const byId = new Map(people.map((p) => [p.id, { id: p.id, name: p.name, employeeNo: p.employeeNo, email: p.email, active: p.status === "ACTIVE" }]));
  return chains.map((c) => ({
    id: c.id,
    requestType: c.requestType,
    overdueWorkingDays: c.overdueWorkingDays,
    calendarId: c.calendarId,
    fallbackRoles: fallbackRolesOf(c.fallbackRoles),
    version: c.version,
    updatedAt: c.updatedAt,
    steps: c.steps.map((s) => ({
      position: s.position,
      kind: s.kind,
      role: s.role,
      person: s.personId ? (byId.get(s.personId) ?? null) : null,
      classifications: (s.condition as StepCondition | null)?.classifications ?? [],
    })),
  }));
}

export async function listCalendarChoices(client: Tx): Promise<{ id: string; name: string; nameEn: string; isDefault: boolean }[]> {
  return client.businessCalendar.findMany({ select: { id: true, name: true, nameEn: true, isDefault: true }, orderBy: [{ isDefault: "desc" }, { name: "asc" }] });
}
