import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { escapeLike } from "@/lib/search";
import { ARCHIVE_STALE_DAYS, localDay, reviewDueRange } from "./policy-rules";
import { LIVE_STATUSES, type GroupExportParams, type GroupFilters, type GroupListParams, type GroupStatus } from "./schemas";
import { registryOrderSql, registrySql, registryTotalSql } from "./registry-sql";
import { groupScope, subtreeDepartmentIds } from "./scope";

// Reads of the work groups. Every query starts from groupScope (authorization in the where);
// filters are added to it. Owners and departments are read in a second query by id (the schema
// has no relations to them, see prisma/schema/groups.prisma). The registry's page is one
// statement instead: the same scope and filters as SQL (registry-sql.ts), joined to its owners and
// departments (readRegistry below).

/** WeCom's group status: 1 the owner left, awaiting inheritance; 2 inheritance in progress. */
export const WECOM_OWNERLESS_STATUSES: readonly number[] = [1, 2];

/** Ownerless (SPEC §4): a live group whose owner has left the company, or whom WeCom reports as
 * left (the group awaiting or in inheritance), until ownership is handed over. */
export function isOwnerless(g: { status: string; wecomStatus: number | null }, owner: { status: string } | null): boolean {
  return (LIVE_STATUSES as readonly string[]).includes(g.status) && (owner?.status === "DEPARTED" || WECOM_OWNERLESS_STATUSES.includes(g.wecomStatus ?? -1));
}

/** The ids of live ownerless groups (by the owner index and WeCom's partial index). */
export async function ownerlessGroupIds(tx: Tx): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT g.id FROM work_groups g
     WHERE (g.owner_id = ANY (ARRAY(SELECT id FROM employees WHERE status = 'DEPARTED')) OR g.wecom_status IN (1, 2))
       AND g.status::text = ANY(${[...LIVE_STATUSES]}::text[])`;
  return rows.map((r) => r.id);
}

/** Unregistered (found in WeCom without a request here, still live and in WeCom): the registry's
 * "created outside the portal" filter, the owners' task (lib/groups/tasks.ts UNREGISTERED_GROUP_SQL). */
export const UNREGISTERED_WHERE: Prisma.WorkGroupWhereInput = { outsidePortal: true, wecomGoneAt: null, status: { in: [...LIVE_STATUSES] } };

/** Has open membership violations (the registry's filter and the dashboard figure,
 * lib/groups/violations.ts VIOLATING_GROUP_SQL). */
export const VIOLATING_WHERE: Prisma.WorkGroupWhereInput = { status: { in: [...LIVE_STATUSES] }, wecomGoneAt: null, violations: { some: { resolvedAt: null } } };

export async function registryWhere(actor: Actor, tx: Tx, filters: GroupFilters & { q?: string }, now: Date): Promise<Prisma.WorkGroupWhereInput> {
  const and: Prisma.WorkGroupWhereInput[] = [await groupScope(actor, tx, { mineOnly: filters.mine !== undefined })];
  if (filters.mine === "owner") and.push({ ownerId: actor.id });
  if (filters.status) and.push({ status: filters.status });
  if (filters.classification) and.push({ classification: filters.classification });
  if (filters.kind) and.push({ kind: filters.kind });
  if (filters.platform) and.push({ platform: filters.platform });
  if (filters.review) and.push({ status: "ACTIVE", reviewDueAt: reviewDueRange(filters.review, now) });
  if (filters.department) {
    const dept = await tx.department.findUnique({ where: { id: filters.department }, select: { path: true } });
    and.push({ departmentId: { in: dept ? await subtreeDepartmentIds(tx, dept.path) : [] } });
  }
  if (filters.owner) {
    const term = escapeLike(filters.owner);
    const owners = await tx.employee.findMany({
      where: {
        OR: [
          { name: { contains: term, mode: "insensitive" } },
          { email: { contains: term, mode: "insensitive" } },
          // Prisma compares an insensitive `equals` with ILIKE: escaped, or "%" would match every number.
          { employeeNo: { equals: term, mode: "insensitive" } },
        ],
      },
      select: { id: true },
      take: 500,
    });
    and.push({ ownerId: { in: owners.map((o) => o.id) } });
  }
  if (filters.ownerless) and.push({ id: { in: await ownerlessGroupIds(tx) } });
  if (filters.outside) and.push(UNREGISTERED_WHERE);
  if (filters.violations) and.push(VIOLATING_WHERE);
  if (filters.archive === "stale") {
    const cutoff = new Date(localDay(now).getTime() - ARCHIVE_STALE_DAYS * 86_400_000);
    and.push({ status: "ACTIVE", OR: [{ lastArchivedOn: null }, { lastArchivedOn: { lt: cutoff } }] });
  }
  if (filters.q) and.push({ name: { contains: escapeLike(filters.q), mode: "insensitive" } });
  return { AND: and };
}

export type PersonRef = { id: string; name: string; employeeNo: string; status: string; departmentId: string };
export type DepartmentRef = { id: string; name: string; code: string };

export async function peopleById(tx: Tx, ids: Iterable<string>): Promise<Map<string, PersonRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx.employee.findMany({
    where: { id: { in: unique } },
    select: { id: true, name: true, employeeNo: true, status: true, departmentId: true },
  });
  return new Map(rows.map((r) => [r.id, r]));
}

export async function departmentsById(tx: Tx, ids: Iterable<string>): Promise<Map<string, DepartmentRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx.department.findMany({ where: { id: { in: unique } }, select: { id: true, name: true, code: true } });
  return new Map(rows.map((r) => [r.id, r]));
}

const listSelect = {
  id: true,
  name: true,
  status: true,
  platform: true,
  kind: true,
  classification: true,
  expectedSize: true,
  departmentId: true,
  ownerId: true,
  wecomStatus: true,
  wecomOwnerUserid: true,
  outsidePortal: true,
  wecomGoneAt: true,
  wecomGoneReason: true,
  reviewDueAt: true,
  lastReviewedAt: true,
  createdAt: true,
} as const;

export type GroupRow = Prisma.WorkGroupGetPayload<{ select: typeof listSelect }> & {
  department: DepartmentRef | null;
  owner: PersonRef | null;
  /** The owner has left (DEPARTED, or as WeCom reports) while the group is live. */
  ownerless: boolean;
};

async function withPeople(tx: Tx, groups: Prisma.WorkGroupGetPayload<{ select: typeof listSelect }>[]): Promise<GroupRow[]> {
  const [people, departments] = await Promise.all([peopleById(tx, groups.flatMap((g) => (g.ownerId ? [g.ownerId] : []))), departmentsById(tx, groups.map((g) => g.departmentId))]);
  return groups.map((g) => {
    const owner = g.ownerId ? (people.get(g.ownerId) ?? null) : null;
    return { ...g, owner, department: departments.get(g.departmentId) ?? null, ownerless: isOwnerless(g, owner) };
  });
}

export type GroupList = { rows: GroupRow[]; total: number; page: number; pageSize: number };

/** A group of the page as the statement gives it (JSON: instants as ISO text). */
type JsonGroupRow = Omit<GroupRow, "ownerless" | "wecomGoneAt" | "reviewDueAt" | "lastReviewedAt" | "createdAt"> & {
  wecomGoneAt: string | null;
  reviewDueAt: string | null;
  lastReviewedAt: string | null;
  createdAt: string;
};
type DepartmentNode = DepartmentOption & { parentId: string | null };

const at = (value: string | null) => (value === null ? null : new Date(value));

/**
 * One page of the registry in one statement: the total, the page's groups with their owners and
 * departments, and (for the page's filter) every department. Scope and filters are the SQL of
 * lib/groups/registry-sql.ts (the same conditions as registryWhere; tests/groups/registry-sql.test.ts).
 */
async function readRegistry(actor: Actor, tx: Tx, params: GroupListParams, now: Date, page: number, withDepartments: boolean) {
  const where = registrySql(actor, params, now);
  const order = registryOrderSql(params);
  const departments = withDepartments
    ? Prisma.sql`(SELECT json_agg(json_build_object('id', d.id, 'name', d.name, 'code', d.code, 'depth', d.depth, 'parentId', d.parent_id)) FROM departments d)`
    : Prisma.sql`NULL::json`;
  const [row] = await tx.$queryRaw<{ total: number; rows: JsonGroupRow[]; departments: DepartmentNode[] | null }[]>`
    SELECT ${registryTotalSql(actor, params, now)} AS total,
           (SELECT coalesce(json_agg(json_build_object(
                     'id', g.id, 'name', g.name, 'status', g.status, 'platform', g.platform, 'kind', g.kind, 'classification', g.classification,
                     'expectedSize', g.expected_size, 'departmentId', g.department_id, 'ownerId', g.owner_id, 'wecomStatus', g.wecom_status,
                     'wecomOwnerUserid', g.wecom_owner_userid, 'outsidePortal', g.outside_portal, 'wecomGoneAt', g.wecom_gone_at,
                     'wecomGoneReason', g.wecom_gone_reason, 'reviewDueAt', g.review_due_at, 'lastReviewedAt', g.last_reviewed_at, 'createdAt', g.created_at,
                     'owner', CASE WHEN e.id IS NULL THEN NULL ELSE json_build_object('id', e.id, 'name', e.name, 'employeeNo', e.employee_no, 'status', e.status, 'departmentId', e.department_id) END,
                     'department', CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('id', d.id, 'name', d.name, 'code', d.code) END
                   ) ORDER BY ${order}), '[]'::json)
              FROM (SELECT g.id, g.name, g.status, g.platform, g.kind, g.classification, g.expected_size, g.department_id, g.owner_id, g.wecom_status,
                           g.wecom_owner_userid, g.outside_portal, g.wecom_gone_at, g.wecom_gone_reason, g.review_due_at, g.last_reviewed_at, g.created_at
                      FROM work_groups g WHERE ${where} ORDER BY ${order} LIMIT ${params.pageSize} OFFSET ${(page - 1) * params.pageSize}) g
              LEFT JOIN employees e ON e.id = g.owner_id
              LEFT JOIN departments d ON d.id = g.department_id) AS rows,
           ${departments} AS departments`;
  const rows: GroupRow[] = row.rows.map((g) => ({
    ...g,
    wecomGoneAt: at(g.wecomGoneAt),
    reviewDueAt: at(g.reviewDueAt),
    lastReviewedAt: at(g.lastReviewedAt),
    createdAt: new Date(g.createdAt),
    ownerless: isOwnerless(g, g.owner),
  }));
  return { total: row.total, rows, departments: row.departments };
}

/**
 * One page of the registry; a page past the end shows the last one (read again, only then). With
 * `departments`, also every department in tree order (the page's filter), in the same statement.
 */
async function registryPage(actor: Actor, tx: Tx, params: GroupListParams, now: Date, withDepartments: boolean) {
  const asked = await readRegistry(actor, tx, params, now, params.page, withDepartments);
  const page = Math.min(params.page, Math.max(1, Math.ceil(asked.total / params.pageSize)));
  const read = page === params.page ? asked : { ...(await readRegistry(actor, tx, params, now, page, false)), departments: asked.departments };
  return { rows: read.rows, total: read.total, page, pageSize: params.pageSize, departments: read.departments };
}

export async function listGroups(actor: Actor, tx: Tx, params: GroupListParams, now = new Date()): Promise<GroupList> {
  const { rows, total, page, pageSize } = await registryPage(actor, tx, params, now, false);
  return { rows, total, page, pageSize };
}

/** The registry's page: its list and the department select, in one statement. */
export async function registryView(actor: Actor, tx: Tx, params: GroupListParams, now = new Date()): Promise<GroupList & { departments: DepartmentOption[] }> {
  const view = await registryPage(actor, tx, params, now, true);
  return { ...view, departments: departmentTree(view.departments ?? []) };
}

export const EXPORT_PAGE_SIZE = 1_000;

export type ExportRow = GroupRow & { administrators: PersonRef[]; newestArchiveOn: Date | null; purpose: string; externalId: string | null };

/**
 * Every group the registry would show for these filters, a page at a time in id order (the CSV
 * export): memory holds one page however many there are.
 */
export async function* groupExportPages(actor: Actor, tx: Tx, params: GroupExportParams, now = new Date()): AsyncGenerator<ExportRow[]> {
  const where = await registryWhere(actor, tx, params, now);
  let cursor: string | undefined;
  for (;;) {
    const groups = await tx.workGroup.findMany({
      where: cursor ? { AND: [where, { id: { gt: cursor } }] } : where,
      select: { ...listSelect, purpose: true, externalId: true, administrators: { select: { employeeId: true } }, archives: { select: { exportedOn: true }, orderBy: { exportedOn: "desc" }, take: 1 } },
      orderBy: { id: "asc" },
      take: EXPORT_PAGE_SIZE,
    });
    if (groups.length === 0) return;
    const rows = await withPeople(tx, groups);
    const admins = await peopleById(tx, groups.flatMap((g) => g.administrators.map((a) => a.employeeId)));
    yield rows.map((row, i) => ({
      ...row,
      purpose: groups[i].purpose,
      externalId: groups[i].externalId,
      administrators: groups[i].administrators.map((a) => admins.get(a.employeeId)).filter((p): p is PersonRef => p !== undefined),
      newestArchiveOn: groups[i].archives[0]?.exportedOn ?? null,
    }));
    if (groups.length < EXPORT_PAGE_SIZE) return;
    cursor = groups[groups.length - 1].id;
  }
}

// ---------------------------------------------------------------------------------------------
// One group

export type GroupDetail = NonNullable<Awaited<ReturnType<typeof getGroup>>>;

/** A group the actor may read, with everything its page shows; null when it does not exist or is
 * outside their scope (the page says "not found" either way). */
export async function getGroup(actor: Actor, tx: Tx, id: string) {
  const group = await tx.workGroup.findFirst({
    where: { AND: [await groupScope(actor, tx), { id }] },
    include: {
      administrators: { select: { employeeId: true }, orderBy: { createdAt: "asc" } },
      archives: { orderBy: [{ exportedOn: "desc" }, { createdAt: "desc" }] },
      violations: { orderBy: [{ resolvedAt: { sort: "desc", nulls: "first" } }, { openedAt: "desc" }], take: 50 },
    },
  });
  if (!group) return null;
  const [history, requests] = await Promise.all([
    tx.auditEvent.findMany({
      where: { entityType: "WorkGroup", entityId: id },
      orderBy: { id: "asc" },
      select: { id: true, action: true, actorId: true, actorLabel: true, createdAt: true, after: true },
      take: 500,
    }),
    tx.approvalRequest.findMany({
      where: { subjectType: "WorkGroup", subjectId: id },
      orderBy: { createdAt: "desc" },
      select: { id: true, type: true, status: true, createdAt: true, closedAt: true, requesterId: true },
    }),
  ]);
  const personIds = [
    ...(group.ownerId ? [group.ownerId] : []),
    ...(group.requesterId ? [group.requesterId] : []),
    ...group.administrators.map((a) => a.employeeId),
    ...group.archives.map((a) => a.recordedById),
    ...requests.map((r) => r.requesterId),
    ...history.flatMap((h) => (h.actorId ? [h.actorId] : [])),
  ];
  // The internal members WeCom reports, as the directory knows them (userid → employee).
  const memberUserids = [...new Set([...group.internalMemberUserids, ...group.violations.flatMap((v) => departedUseridsOf(v.details))])];
  const [people, departments, members] = await Promise.all([
    peopleById(tx, personIds),
    departmentsById(tx, [group.departmentId]),
    memberUserids.length
      ? tx.employee.findMany({ where: { wecomUserid: { in: memberUserids } }, select: { id: true, name: true, employeeNo: true, status: true, departmentId: true, wecomUserid: true } })
      : Promise.resolve([]),
  ]);
  const byUserid = new Map(members.map((m) => [m.wecomUserid!, m]));
  const owner = group.ownerId ? (people.get(group.ownerId) ?? null) : null;
  return {
    ...group,
    owner,
    ownerless: isOwnerless(group, owner),
    requester: group.requesterId ? (people.get(group.requesterId) ?? null) : null,
    internalMembers: group.internalMemberUserids.map((userid) => ({ userid, employee: byUserid.get(userid) ?? null })),
    violationRecords: group.violations.map((v) => ({ ...v, departed: departedUseridsOf(v.details).map((userid) => ({ userid, employee: byUserid.get(userid) ?? null })) })),
    department: departments.get(group.departmentId) ?? null,
    administratorPeople: group.administrators.map((a) => people.get(a.employeeId)).filter((p): p is PersonRef => p !== undefined),
    archiveRecords: group.archives.map((a) => ({ ...a, recordedBy: people.get(a.recordedById) ?? null })),
    history: history.map((h) => ({ ...h, id: h.id.toString(), actorName: h.actorId ? (people.get(h.actorId)?.name ?? null) : null })),
    requests: requests.map((r) => ({ ...r, requester: people.get(r.requesterId) ?? null })),
  };
}

function departedUseridsOf(details: unknown): string[] {
  const userids = (details as { userids?: unknown } | null)?.userids;
  return Array.isArray(userids) ? userids.filter((u): u is string => typeof u === "string") : [];
}

/** What the actor may do to a group they can read (the page hides the rest; the commands decide). */
export function groupAbilities(actor: Pick<Actor, "id" | "permissions">, group: { ownerId: string | null; status: string; outsidePortal?: boolean; wecomGoneAt?: Date | null; administrators: { employeeId: string }[] }) {
  const manage = actor.permissions.has("groups.manage");
  const owner = group.ownerId === actor.id;
  const administrator = group.administrators.some((a) => a.employeeId === actor.id);
  const status = group.status as GroupStatus;
  const live = status === "ACTIVE" || status === "DISSOLUTION_PENDING";
  return {
    confirmReview: (owner || manage) && status === "ACTIVE",
    transfer: (owner || manage) && (live || status === "PENDING_APPROVAL"),
    recordArchive: (owner || administrator || manage) && live,
    requestDissolution: (owner || manage) && status === "ACTIVE",
    /** Register a group found in WeCom: its owner or ADMIN (lib/groups/register.ts). */
    register: (owner || manage) && group.outsidePortal === true && (LIVE_STATUSES as readonly string[]).includes(status),
  };
}

// ---------------------------------------------------------------------------------------------
// Choices for forms

export type DepartmentOption = { id: string; name: string; code: string; depth: number };

/** Every department in tree order (parents before children, siblings by name). */
export async function departmentOptions(tx: Tx): Promise<DepartmentOption[]> {
  return departmentTree(await tx.department.findMany({ select: { id: true, name: true, code: true, depth: true, parentId: true } }));
}

function departmentTree(rows: DepartmentNode[]): DepartmentOption[] {
  const children = new Map<string | null, DepartmentNode[]>();
  for (const r of rows) {
    const siblings = children.get(r.parentId);
    if (siblings) siblings.push(r);
    else children.set(r.parentId, [r]);
  }
  const out: DepartmentOption[] = [];
  const walk = (parent: string | null) => {
    for (const r of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, "zh-CN"))) {
      out.push({ id: r.id, name: r.name, code: r.code, depth: r.depth });
      walk(r.id);
    }
  };
  walk(null);
  return out;
}

export type PersonOption = { id: string; label: string };

export function personLabel(p: { name: string; employeeNo: string }, departmentName?: string | null): string {
  return departmentName ? `${p.name}（${p.employeeNo}·${departmentName}）` : `${p.name}（${p.employeeNo}）`;
}

/**
 * ACTIVE employees matching a search (name, e-mail or employee number), for choosing an owner or
 * administrators: their name, number and department, nothing more.
 */
export async function searchActivePeople(tx: Tx, q: string, take = 20): Promise<PersonOption[]> {
  if (!q) return [];
  const term = escapeLike(q);
  const rows = await tx.employee.findMany({
    where: {
      status: "ACTIVE",
      OR: [
        { name: { contains: term, mode: "insensitive" } },
        { email: { startsWith: term, mode: "insensitive" } },
        { employeeNo: { startsWith: term, mode: "insensitive" } },
      ],
    },
    select: { id: true, name: true, employeeNo: true, departmentId: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take,
  });
  const departments = await departmentsById(tx, rows.map((r) => r.departmentId));
  return rows.map((r) => ({ id: r.id, label: personLabel(r, departments.get(r.departmentId)?.name) }));
}

export async function personOptions(tx: Tx, ids: string[]): Promise<PersonOption[]> {
  const people = await peopleById(tx, ids);
  const departments = await departmentsById(tx, [...people.values()].map((p) => p.departmentId));
  return ids.flatMap((id) => {
    const p = people.get(id);
    return p ? [{ id, label: personLabel(p, departments.get(p.departmentId)?.name) }] : [];
  });
}

export async function policyHistory(tx: Tx, take = 20) {
  const rows = await tx.workGroupPolicy.findMany({ orderBy: { version: "desc" }, take });
  const people = await peopleById(tx, rows.flatMap((r) => (r.createdById ? [r.createdById] : [])));
  return rows.map((r) => ({ ...r, createdBy: r.createdById ? (people.get(r.createdById) ?? null) : null }));
}
