import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RoleCode } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";
import { db, type Tx } from "@/lib/server/db";
import { forbidden, notFound } from "@/lib/server/errors";
import type { EmployeeFilters, EmployeeListParams, EmployeeStatus } from "./schemas";
import { escapeLike } from "@/lib/search";

// Reads of the directory. Authorization is part of every where clause: a holder of
// `directory.read:all` sees everyone; a holder of only `directory.read:department` sees the
// employees whose department path starts with their own department's path (their subtree).

type Scoped = Pick<Actor, "permissions" | "departmentPath">;

/** The employees this actor may read, as a where clause. */
export function employeeScope(actor: Scoped): Prisma.EmployeeWhereInput {
  if (actor.permissions.has("directory.read:all")) return {};
  if (actor.permissions.has("directory.read:department")) return { department: { path: { startsWith: actor.departmentPath } } };
  throw forbidden();
}

/** The departments this actor may read. */
export function departmentScope(actor: Scoped): Prisma.DepartmentWhereInput {
  if (actor.permissions.has("directory.read:all") || actor.permissions.has("departments.manage")) return {};
  if (actor.permissions.has("directory.read:department")) return { path: { startsWith: actor.departmentPath } };
  throw forbidden();
}


/** The where clause of the list and the export, or null when a filter names no visible department. */
export async function employeeWhere(actor: Scoped, filters: EmployeeFilters, client: Tx = db()): Promise<Prisma.EmployeeWhereInput | null> {
  const and: Prisma.EmployeeWhereInput[] = [employeeScope(actor)];
  if (filters.department) {
    const department = await client.department.findFirst({
      where: { AND: [departmentScope(actor), { id: filters.department }] },
      select: { path: true },
    });
    if (!department) return null;
    and.push({ department: { path: { startsWith: department.path } } });
  }
  if (filters.q) {
    const contains = escapeLike(filters.q);
    and.push({
      OR: [
        { name: { contains, mode: "insensitive" } },
        { employeeNo: { contains, mode: "insensitive" } },
        { email: { contains, mode: "insensitive" } },
      ],
    });
  }
  if (filters.role) and.push({ roles: { some: { role: filters.role } } });
  if (filters.status) and.push({ status: filters.status });
  if (filters.wecom === "flagged") and.push({ wecomUserid: { not: null }, OR: [{ wecomStatus: { in: [2, 4, 5] } }, { wecomRemovedAt: { not: null } }] });
  if (filters.wecom === "left") and.push({ wecomUserid: { not: null }, OR: [{ wecomStatus: 5 }, { wecomRemovedAt: { not: null } }] });
  return { AND: and };
}

const listSelect = {
  id: true,
  employeeNo: true,
  name: true,
  email: true,
  status: true,
  hireDate: true,
  leaveDate: true,
  department: { select: { id: true, name: true, code: true } },
  roles: { select: { role: true }, orderBy: { role: "asc" } },
  wecomUserid: true,
  wecomStatus: true,
  wecomLastSeenAt: true,
  wecomRemovedAt: true,
} satisfies Prisma.EmployeeSelect;

export type EmployeeListRow = {
  id: string;
  employeeNo: string;
  name: string;
  email: string;
  status: EmployeeStatus;
  hireDate: Date;
  leaveDate: Date | null;
  department: { id: string; name: string; code: string };
  roles: RoleCode[];
  /** WeCom's view (lib/wecom/sync/directory.ts): the linked userid, its status, when last seen, since when gone. */
  wecomUserid: string | null;
  wecomStatus: number | null;
  wecomLastSeenAt: Date | null;
  wecomRemovedAt: Date | null;
};

function toRow(e: Prisma.EmployeeGetPayload<{ select: typeof listSelect }>): EmployeeListRow {
  return { ...e, roles: e.roles.map((r) => r.role as RoleCode) };
}

function orderBy(sort: EmployeeListParams["sort"], dir: "asc" | "desc"): Prisma.EmployeeOrderByWithRelationInput[] {
  const primary: Prisma.EmployeeOrderByWithRelationInput =
    sort === "department" ? { department: { name: dir } } : { [sort]: dir };
  // A unique tie-breaker keeps offset pages stable when many rows share a value.
  return sort === "name" ? [primary, { id: "asc" }] : [primary, { name: "asc" }, { id: "asc" }];
}

export async function listEmployees(actor: Scoped, params: EmployeeListParams, client: Tx = db()) {
  const where = await employeeWhere(actor, params, client);
  if (!where) return { rows: [] as EmployeeListRow[], total: 0, page: 1, pageSize: params.pageSize };
  const total = await client.employee.count({ where });
  const lastPage = Math.max(1, Math.ceil(total / params.pageSize));
  const page = Math.min(params.page, lastPage);
  const rows = await client.employee.findMany({
    where,
    select: listSelect,
    orderBy: orderBy(params.sort, params.dir),
    skip: (page - 1) * params.pageSize,
    take: params.pageSize,
  });
  return { rows: rows.map(toRow), total, page, pageSize: params.pageSize };
}

/** Export rows a page at a time, keyset-paged on id, so an export of any size holds one page. */
export async function* employeeExportPages(actor: Scoped, filters: EmployeeFilters, client: Tx = db(), pageSize = 1000) {
  const where = await employeeWhere(actor, filters, client);
  if (!where) return;
  let after: string | undefined;
  for (;;) {
    const rows = await client.employee.findMany({
      where: after ? { AND: [where, { id: { gt: after } }] } : where,
      select: { ...listSelect, manager: { select: { name: true, employeeNo: true } } },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    if (rows.length === 0) return;
    yield rows.map((r) => ({ ...toRow(r), manager: r.manager }));
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].id;
  }
}

const detailSelect = {
  ...listSelect,
  version: true,
  createdAt: true,
  updatedAt: true,
  departmentId: true,
  manager: { select: { id: true, name: true, employeeNo: true } },
} satisfies Prisma.EmployeeSelect;

export type EmployeeDetail = Omit<Prisma.EmployeeGetPayload<{ select: typeof detailSelect }>, "roles" | "status"> & {
  roles: RoleCode[];
  status: EmployeeStatus;
};

/** One employee inside the actor's scope, or null: outside the scope and nonexistent look the same. */
export async function findEmployee(actor: Scoped, id: string, client: Tx = db()): Promise<EmployeeDetail | null> {
  const e = await client.employee.findFirst({ where: { AND: [employeeScope(actor), { id }] }, select: detailSelect });
  return e ? { ...e, roles: e.roles.map((r) => r.role as RoleCode) } : null;
}

export async function getEmployee(actor: Scoped, id: string, client: Tx = db()): Promise<EmployeeDetail> {
  const e = await findEmployee(actor, id, client);
  if (!e) throw notFound();
  return e;
}

export type DepartmentOption = { id: string; name: string; code: string; depth: number; path: string };

/** Departments the actor may read, in tree order (parents before children, siblings by name). */
export async function departmentOptions(actor: Scoped, client: Tx = db()): Promise<DepartmentOption[]> {
  const rows = await client.department.findMany({
    where: departmentScope(actor),
    select: { id: true, name: true, code: true, depth: true, path: true, parentId: true },
  });
  return treeOrder(rows);
}

function treeOrder<T extends { id: string; name: string; parentId: string | null }>(rows: T[]): T[] {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, T[]>();
  for (const r of rows) {
    // A node whose parent is outside the visible set is a root of what the actor sees.
    const key = r.parentId && ids.has(r.parentId) ? r.parentId : null;
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const out: T[] = [];
  const walk = (key: string | null) => {
    for (const r of (children.get(key) ?? []).sort((a, b) => a.name.localeCompare(b.name, "zh-CN"))) {
      out.push(r);
      walk(r.id);
    }
  };
  walk(null);
  return out;
}

export type DepartmentNode = {
  id: string;
  name: string;
  code: string;
  depth: number;
  version: number;
  manager: { id: string; name: string; employeeNo: string } | null;
  /** Set when WeCom's sync no longer finds the department (kept here, with when it was last seen). */
  wecomRemovedAt: Date | null;
  wecomLastSeenAt: Date | null;
  /** ACTIVE employees whose department is this one. */
  employeeCount: number;
  /** ACTIVE employees of this department and every department below it. */
  subtreeCount: number;
  children: DepartmentNode[];
};

/** The department tree with each node's manager and head counts. Employees are counted by one
 * grouped query; the subtree totals add up those per-department counts along the tree. */
export async function departmentTree(actor: Scoped, client: Tx = db()): Promise<DepartmentNode[]> {
  const scope = departmentScope(actor);
  const [rows, counts] = await Promise.all([
    client.department.findMany({
      where: scope,
      select: { id: true, name: true, code: true, depth: true, version: true, parentId: true, wecomLastSeenAt: true, wecomRemovedAt: true, manager: { select: { id: true, name: true, employeeNo: true } } },
    }),
    client.employee.groupBy({
      by: ["departmentId"],
      where: { status: "ACTIVE", department: scope },
      _count: { _all: true },
    }),
  ]);
  const countOf = new Map(counts.map((c) => [c.departmentId, c._count._all]));
  const nodes = new Map<string, DepartmentNode>();
  for (const r of treeOrder(rows)) {
    const employeeCount = countOf.get(r.id) ?? 0;
    nodes.set(r.id, { id: r.id, name: r.name, code: r.code, depth: r.depth, version: r.version, manager: r.manager, wecomRemovedAt: r.wecomRemovedAt, wecomLastSeenAt: r.wecomLastSeenAt, employeeCount, subtreeCount: employeeCount, children: [] });
  }
  const roots: DepartmentNode[] = [];
  for (const r of treeOrder(rows)) {
    const node = nodes.get(r.id)!;
    const parent = r.parentId ? nodes.get(r.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const total = (node: DepartmentNode): number => (node.subtreeCount = node.employeeCount + node.children.reduce((sum, c) => sum + total(c), 0));
  roots.forEach(total);
  return roots;
}

export async function findDepartment(actor: Scoped, id: string, client: Tx = db()) {
  return client.department.findFirst({
    where: { AND: [departmentScope(actor), { id }] },
    select: {
      id: true,
      name: true,
      code: true,
      path: true,
      depth: true,
      version: true,
      parentId: true,
      parent: { select: { id: true, name: true } },
      manager: { select: { id: true, name: true, employeeNo: true } },
      createdAt: true,
      wecomId: true,
      wecomLastSeenAt: true,
      wecomRemovedAt: true,
    },
  });
}
