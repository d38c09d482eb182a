import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/server/actor";
import { forbidden, notFound } from "@/lib/server/errors";
import type { Tx } from "@/lib/server/prisma-client";
import { matchingItemIds, type ResolvedFilter } from "./filter";
import { transferLimits } from "./commands";
import type { ItemKind, ItemStatus } from "./schemas";
import { OPEN_ITEM_STATUSES } from "./schemas";
import { shanghaiToday } from "./time";

// Reads of offboarding. Every case is visible to offboarding.read (HR, ADMIN, AUDITOR); nobody else.

function requireRead(actor: Pick<Actor, "permissions">) {
  if (!actor.permissions.has("offboarding.read")) throw forbidden();
}

export type CaseView = "open" | "pastDue" | "closed";

export async function listCases(actor: Actor, tx: Tx, params: { view: CaseView; page: number; pageSize: number; q?: string; department?: string }, now = new Date()) {
  requireRead(actor);
  const today = shanghaiToday(now);
  const where: Prisma.OffboardingCaseWhereInput =
    params.view === "closed" ? { status: { in: ["CLOSED", "CANCELLED"] } } : params.view === "pastDue" ? { status: "OPEN", lastWorkingDay: { lt: today } } : { status: "OPEN" };
  if (params.q) {
    const people = await tx.employee.findMany({ where: { name: { contains: params.q, mode: "insensitive" } }, select: { id: true }, take: 500 });
    where.employeeId = { in: people.map((p) => p.id) };
  }
  if (params.department) {
    const dept = await tx.department.findUnique({ where: { id: params.department }, select: { path: true } });
    const people = dept ? await tx.employee.findMany({ where: { department: { path: { startsWith: dept.path } } }, select: { id: true } }) : [];
    const inDept = people.map((p) => p.id);
    where.AND = [{ employeeId: { in: inDept } }];
  }
  const total = await tx.offboardingCase.count({ where });
  const pages = Math.max(1, Math.ceil(total / params.pageSize));
  const page = Math.min(params.page, pages);
  const rows = await tx.offboardingCase.findMany({ where, orderBy: [{ lastWorkingDay: "asc" }, { id: "asc" }], skip: (page - 1) * params.pageSize, take: params.pageSize });
  const ids = rows.map((r) => r.id);
  const [people, open, atRisk, summary] = await Promise.all([
    tx.employee.findMany({ where: { id: { in: rows.map((r) => r.employeeId) } }, select: { id: true, name: true, employeeNo: true, status: true } }),
    tx.handoverItem.groupBy({ by: ["caseId"], where: { caseId: { in: ids }, status: { in: [...OPEN_ITEM_STATUSES] } }, _count: { _all: true } }),
    tx.handoverItem.groupBy({ by: ["caseId"], where: { caseId: { in: ids }, kind: "CONTACT", status: { in: [...OPEN_ITEM_STATUSES] } }, _count: { _all: true } }),
    dashboard(tx, now),
  ]);
  const person = new Map(people.map((p) => [p.id, p]));
  const openBy = new Map(open.map((o) => [o.caseId, o._count._all]));
  const riskBy = new Map(atRisk.map((o) => [o.caseId, o._count._all]));
  return {
    total,
    page,
    pageSize: params.pageSize,
    summary,
    rows: rows.map((r) => ({ ...r, employee: person.get(r.employeeId) ?? null, openItems: openBy.get(r.id) ?? 0, contactsAtRisk: riskBy.get(r.id) ?? 0, pastDue: r.status === "OPEN" && r.lastWorkingDay < today })),
  };
}

/** The dashboard figures (SPEC §6): open cases, cases past the last working day, contacts at risk. */
export async function dashboard(tx: Tx, now = new Date()) {
  const [open, pastDue, contactsAtRisk] = await Promise.all([
    tx.offboardingCase.count({ where: { status: "OPEN" } }),
    tx.offboardingCase.count({ where: { status: "OPEN", lastWorkingDay: { lt: shanghaiToday(now) } } }),
    tx.handoverItem.count({ where: { kind: "CONTACT", status: { in: [...OPEN_ITEM_STATUSES] }, case: { status: "OPEN" } } }),
  ]);
  return { open, pastDue, contactsAtRisk };
}

export async function caseDetail(actor: Actor, tx: Tx, caseId: string) {
  requireRead(actor);
  const c = await tx.offboardingCase.findUnique({ where: { id: caseId } });
  if (!c) throw notFound();
  const [employee, counts, accounts, openedBy] = await Promise.all([
    tx.employee.findUnique({ where: { id: c.employeeId }, select: { id: true, name: true, employeeNo: true, status: true } }),
    tx.handoverItem.groupBy({ by: ["kind", "status"], where: { caseId }, _count: { _all: true } }),
    tx.handoverItem.findMany({ where: { caseId, kind: "ACCOUNT" }, select: { accountId: true, label: true }, orderBy: { label: "asc" } }),
    tx.employee.findUnique({ where: { id: c.openedById }, select: { name: true } }),
  ]);
  const byKind: Record<ItemKind, Partial<Record<ItemStatus, number>>> = { ACCOUNT: {}, CONTACT: {}, GROUP: {} };
  for (const g of counts) byKind[g.kind][g.status] = g._count._all;
  return { case: c, employee, openedBy, counts: byKind, accounts: accounts.filter((a) => a.accountId).map((a) => ({ id: a.accountId!, label: a.label })) };
}

export type ItemRow = {
  id: string;
  kind: ItemKind;
  label: string;
  status: ItemStatus;
  version: number;
  successorId: string | null;
  successorName: string | null;
  transferDueAt: Date | null;
  completedAt: Date | null;
  failureReason: string | null;
  /** WeCom's errcode for this contact's transfer call (0: started) and transfer_result's status. */
  wecomErrcode: number | null;
  wecomTransferStatus: number | null;
  waiverReason: string | null;
  waivedByHrId: string | null;
  waivedByAdminId: string | null;
  outcome: string | null;
  /** The day this contact may be transferred again (90-day limit), when it is at the limit now. */
  limitedUntil: Date | null;
};

export async function caseItems(actor: Actor, tx: Tx, caseId: string, filter: ResolvedFilter, page: number, pageSize: number, now = new Date()) {
  requireRead(actor);
  const ids = matchingItemIds(caseId, filter);
  const [{ n }] = await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*)::bigint AS n FROM (${ids}) m`;
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const p = Math.min(page, pages);
  const rows = await tx.$queryRaw<(Omit<ItemRow, "limitedUntil"> & { externalIdHash: string | null })[]>`
    SELECT h."id", h."kind"::text AS kind, h."label", h."status"::text AS status, h."version", h."successor_id" AS "successorId", e."name" AS "successorName",
           h."transfer_due_at" AS "transferDueAt", h."completed_at" AS "completedAt", h."failure_reason" AS "failureReason", h."waiver_reason" AS "waiverReason",
           h."wecom_errcode" AS "wecomErrcode", h."wecom_transfer_status" AS "wecomTransferStatus",
           h."waived_by_hr_id" AS "waivedByHrId", h."waived_by_admin_id" AS "waivedByAdminId", h."outcome", c."external_id_hash" AS "externalIdHash"
    FROM "handover_items" h
    LEFT JOIN "employees" e ON e."id" = h."successor_id"
    LEFT JOIN "customer_contacts" c ON c."id" = h."contact_id"
    WHERE h."id" IN (${ids})
    ORDER BY h."kind", h."label", h."id"
    LIMIT ${pageSize} OFFSET ${(p - 1) * pageSize}`;
  const limits = await transferLimits(tx, rows.filter((r) => r.externalIdHash && r.status !== "DONE" && r.status !== "WAIVED").map((r) => r.externalIdHash!), now);
  return { total, page: p, pageSize, rows: rows.map(({ externalIdHash, ...r }) => ({ ...r, limitedUntil: externalIdHash ? (limits.get(externalIdHash) ?? null) : null })) };
}

/** Group transfers waiting for a later day (WeCom's 300-a-day cap): how many, and the last day
 * they are scheduled for (a China-day start). */
export async function groupTransferBacklog(actor: Actor, tx: Tx, caseId: string, now = new Date()): Promise<{ waiting: number; lastDay: Date | null }> {
  requireRead(actor);
  const [r] = await tx.$queryRaw<{ n: bigint; last: Date | null }[]>`
    SELECT count(*)::bigint AS n, max(o."not_before") AS last FROM "wecom_outbox" o JOIN "handover_items" h ON h."id" = o."handover_item_id"
    WHERE h."case_id" = ${caseId} AND o."kind" = 'GROUP_TRANSFER' AND o."state" = 'PENDING' AND o."not_before" > ${now}`;
  return { waiting: Number(r.n), lastDay: r.last };
}

/** ACTIVE employees for the pickers (leaver, successor), by name. */
export async function activeEmployees(tx: Tx, exceptId?: string) {
  return tx.employee.findMany({
    where: { status: "ACTIVE", ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true, name: true, employeeNo: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 2000,
  });
}
