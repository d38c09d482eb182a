import "server-only";
import type { Permission, RoleCode } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/password";
import { newId } from "@/lib/ids";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/db";
import { endSessions } from "@/lib/server/session";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import { trainingAfterEmployeeChange } from "@/lib/training/hooks";
import { employeeScope } from "./queries";
import { roleChange, roleChangeRefusal } from "./role-rules";
import {
  checkEmployeeCreate,
  checkEmployeeUpdate,
  concernsTraining,
  fieldError,
  managerToLookUp,
  resolveManager,
  roleRefusal,
  uniqueViolation,
  type NamedManager,
} from "./rules";
import type {
  DepartmentCreateInput,
  DepartmentManagerInput,
  DepartmentMoveInput,
  DepartmentRenameInput,
  EmployeeCreateInput,
  EmployeeEndSessionsInput,
  EmployeeRolesInput,
  EmployeeUpdateInput,
} from "./schemas";

// Writes of the directory. Each runs inside the action's transaction and records exactly one
// audit event; known refusals are DomainErrors with `directory.errors.*` keys, attached to the
// form field they concern. The permission is checked again here so a command is safe whoever
// calls it (the action wrapper, a test, a future import job).

function requirePermission(actor: Pick<Actor, "permissions">, permission: Permission) {
  if (!actor.permissions.has(permission)) throw forbidden();
}

const isoDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

// ---------------------------------------------------------------------------------------------
// Employees
//
// The rules themselves (which refusal, in which order) are rules.ts's, shared with the bulk
// upsert (bulk.ts); these commands read the facts those rules need with a few small queries.

export const employeeAuditSelect = {
  employeeNo: true,
  name: true,
  email: true,
  departmentId: true,
  managerId: true,
  status: true,
  hireDate: true,
  leaveDate: true,
  version: true,
} as const;

type EmployeeAuditRow = { employeeNo: string; name: string; email: string; departmentId: string; managerId: string | null; status: string; hireDate: Date; leaveDate: Date | null; version: number };

/** What an audit event records of an employee: never the password hash. (bulk.ts records the same.) */
export function employeeAuditView(e: EmployeeAuditRow) {
  return {
    employeeNo: e.employeeNo,
    name: e.name,
    email: e.email,
    departmentId: e.departmentId,
    managerId: e.managerId,
    status: e.status,
    hireDate: isoDay(e.hireDate),
    leaveDate: isoDay(e.leaveDate),
    version: e.version,
  };
}

const departmentExists = async (tx: Tx, departmentId: string) => (await tx.department.findUnique({ where: { id: departmentId }, select: { id: true } })) !== null;

/** The employee in the actor's scope with this number (case-insensitive), for rules.ts's manager checks. */
async function namedEmployee(actor: Actor, tx: Tx, employeeNo: string | undefined): Promise<NamedManager> {
  if (!employeeNo) return null;
  return tx.employee.findFirst({
    where: { AND: [employeeScope(actor), { employeeNo: { equals: employeeNo, mode: "insensitive" } }] },
    select: { id: true, status: true },
  });
}

async function emailTaken(tx: Tx, email: string, exceptId?: string) {
  const taken = await tx.employee.findFirst({
    where: { email: { equals: email, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  return taken !== null;
}

export async function createEmployee({ actor, input, tx, audit }: ActionContext<EmployeeCreateInput>): Promise<{ id: string }> {
  requirePermission(actor, "directory.manage");
  const id = newId();
  const employeeNoTaken = (await tx.employee.findFirst({ where: { employeeNo: { equals: input.employeeNo, mode: "insensitive" } }, select: { id: true } })) !== null;
  const verdict = checkEmployeeCreate(actor, id, input, {
    employeeNoTaken,
    emailTaken: await emailTaken(tx, input.email),
    departmentExists: await departmentExists(tx, input.departmentId),
    manager: await namedEmployee(actor, tx, input.managerNo),
  });
  if (verdict instanceof DomainError) throw verdict;
  const { managerId } = verdict;
  const passwordHash = input.password ? await hashPassword(input.password) : null;

  let created: EmployeeAuditRow;
  try {
    created = await tx.employee.create({
      data: {
        id,
        employeeNo: input.employeeNo,
        name: input.name,
        email: input.email,
        passwordHash,
        departmentId: input.departmentId,
        managerId,
        hireDate: input.hireDate,
        status: "ACTIVE",
        roles: { create: input.roles.map((role) => ({ role })) },
      },
      select: employeeAuditSelect,
    });
  } catch (error) {
    throw uniqueViolation(error) ?? error;
  }
  await audit({
    action: "employee.create",
    entityType: "Employee",
    entityId: id,
    before: null,
    after: { ...employeeAuditView(created), roles: input.roles, initialPassword: passwordHash !== null },
  });
  // Training (SPEC §9): the new hire's courses and policy requests, at once.
  await trainingAfterEmployeeChange(tx, audit, id);
  return { id };
}

export async function updateEmployee({ actor, input, tx, audit }: ActionContext<EmployeeUpdateInput>): Promise<{ id: string }> {
  requirePermission(actor, "directory.manage");
  const current = await tx.employee.findFirst({
    where: { AND: [employeeScope(actor), { id: input.id }] },
    select: { ...employeeAuditSelect, manager: { select: { employeeNo: true } }, roles: { select: { role: true } } },
  });
  if (!current) throw notFound();
  if (current.version !== input.version) throw stale();
  const subject = { id: input.id, employeeNo: current.employeeNo, managerId: current.managerId, managerNo: current.manager?.employeeNo, roles: current.roles.map((r) => r.role) };
  const verdict = checkEmployeeUpdate(actor, subject, input, {
    emailTaken: await emailTaken(tx, input.email, input.id),
    departmentExists: await departmentExists(tx, input.departmentId),
    manager: await namedEmployee(actor, tx, managerToLookUp(subject, input.managerNo)),
  });
  if (verdict instanceof DomainError) throw verdict;
  const { managerId } = verdict;

  let count: number;
  try {
    ({ count } = await tx.employee.updateMany({
      where: { id: input.id, version: input.version },
      data: {
        name: input.name,
        email: input.email,
        departmentId: input.departmentId,
        managerId,
        status: input.status,
        hireDate: input.hireDate,
        leaveDate: input.leaveDate ?? null,
        version: { increment: 1 },
      },
    }));
  } catch (error) {
    throw uniqueViolation(error) ?? error;
  }
  if (count === 0) throw stale();

  const after = await tx.employee.findUniqueOrThrow({ where: { id: input.id }, select: employeeAuditSelect });
  await audit({ action: "employee.update", entityType: "Employee", entityId: input.id, before: employeeAuditView(current), after: employeeAuditView(after) });
  // Training (SPEC §9): a move (or a return to ACTIVE, or a new hire date) may put them in a course's audience.
  if (concernsTraining(current, after)) await trainingAfterEmployeeChange(tx, audit, input.id);
  return { id: input.id };
}

export async function setEmployeeRoles({ actor, input, tx, audit }: ActionContext<EmployeeRolesInput>): Promise<{ id: string; roles: RoleCode[] }> {
  requirePermission(actor, "roles.assign");
  if (actor.id === input.id) throw roleRefusal("ownRoles");
  const current = await tx.employee.findFirst({
    where: { AND: [employeeScope(actor), { id: input.id }] },
    select: { id: true, roles: { select: { role: true } } },
  });
  if (!current) throw notFound();
  const before = current.roles.map((r) => r.role as RoleCode).sort();
  const change = roleChange(before, input.roles);
  const refusal = roleChangeRefusal(actor, input.id, change);
  if (refusal) throw roleRefusal(refusal);

  if (change.revoked.length) await tx.employeeRole.deleteMany({ where: { employeeId: input.id, role: { in: change.revoked } } });
  if (change.granted.length) await tx.employeeRole.createMany({ data: change.granted.map((role) => ({ employeeId: input.id, role })), skipDuplicates: true });

  await audit({
    action: "employee.roles",
    entityType: "Employee",
    entityId: input.id,
    before: { roles: before },
    after: { roles: input.roles, granted: change.granted, revoked: change.revoked },
  });
  return { id: input.id, roles: input.roles };
}

/** An ADMIN ends every session a person holds (a lost laptop, a suspected break-in): their
 * cookies stop working on the next request, everywhere. Their record is otherwise untouched. */
export async function endEmployeeSessions({ actor, input, tx, audit }: ActionContext<EmployeeEndSessionsInput>): Promise<{ id: string }> {
  requirePermission(actor, "sessions.end");
  const current = await tx.employee.findFirst({ where: { AND: [employeeScope(actor), { id: input.id }] }, select: { id: true } });
  if (!current) throw notFound();
  const versions = await endSessions(tx, input.id, actor.id);
  if (!versions) throw notFound();
  await audit({
    action: "employee.endSessions",
    entityType: "Employee",
    entityId: input.id,
    before: { sessionVersion: versions.before },
    after: { sessionVersion: versions.after, sessionsEnded: versions.ended },
  });
  return { id: input.id };
}

// ---------------------------------------------------------------------------------------------
// Departments

// Creating and moving departments read a parent's path and write paths derived from it; one
// transaction-scoped lock makes them take turns so no path is computed from a stale parent.
const DEPARTMENT_TREE_LOCK = 4_200_101;
const lockTree = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEPARTMENT_TREE_LOCK})`;

const departmentAuditSelect = { name: true, code: true, parentId: true, path: true, depth: true, managerId: true, version: true } as const;

async function currentDepartment(tx: Tx, id: string, version: number) {
  const current = await tx.department.findUnique({ where: { id }, select: departmentAuditSelect });
  if (!current) throw notFound();
  if (current.version !== version) throw stale();
  return current;
}

export async function createDepartment({ actor, input, tx, audit }: ActionContext<DepartmentCreateInput>): Promise<{ id: string }> {
  requirePermission(actor, "departments.manage");
  await lockTree(tx);
  const codeTaken = await tx.department.findFirst({ where: { code: { equals: input.code, mode: "insensitive" } }, select: { id: true } });
  if (codeTaken) throw fieldError("CONFLICT", "codeTaken", "code");
  const parent = input.parentId ? await tx.department.findUnique({ where: { id: input.parentId }, select: { path: true, depth: true } }) : null;
  if (input.parentId && !parent) throw fieldError("VALIDATION", "parentNotFound", "parentId");

  const id = newId();
  let created;
  try {
    created = await tx.department.create({
      data: { id, name: input.name, code: input.code, parentId: input.parentId ?? null, path: `${parent?.path ?? "/"}${id}/`, depth: parent ? parent.depth + 1 : 0 },
      select: departmentAuditSelect,
    });
  } catch (error) {
    throw uniqueViolation(error) ?? error;
  }
  await audit({ action: "department.create", entityType: "Department", entityId: id, before: null, after: created });
  return { id };
}

export async function renameDepartment({ actor, input, tx, audit }: ActionContext<DepartmentRenameInput>): Promise<{ id: string }> {
  requirePermission(actor, "departments.manage");
  const current = await currentDepartment(tx, input.id, input.version);
  const { count } = await tx.department.updateMany({ where: { id: input.id, version: input.version }, data: { name: input.name, version: { increment: 1 } } });
  if (count === 0) throw stale();
  await audit({
    action: "department.rename",
    entityType: "Department",
    entityId: input.id,
    before: { name: current.name, version: current.version },
    after: { name: input.name, version: current.version + 1 },
  });
  return { id: input.id };
}

export async function moveDepartment({ actor, input, tx, audit }: ActionContext<DepartmentMoveInput>): Promise<{ id: string; moved: number }> {
  requirePermission(actor, "departments.manage");
  await lockTree(tx);
  const current = await currentDepartment(tx, input.id, input.version);
  const parent = input.parentId ? await tx.department.findUnique({ where: { id: input.parentId }, select: { path: true, depth: true } }) : null;
  if (input.parentId && !parent) throw fieldError("VALIDATION", "parentNotFound", "parentId");
  // Under itself or anything below it would make a cycle: the new parent's path would contain
  // the department's own path.
  if (parent && parent.path.startsWith(current.path)) throw fieldError("VALIDATION", "moveIntoSubtree", "parentId");

  const newPath = `${parent?.path ?? "/"}${input.id}/`;
  const newDepth = parent ? parent.depth + 1 : 0;
  const { count } = await tx.department.updateMany({
    where: { id: input.id, version: input.version },
    data: { parentId: input.parentId ?? null, version: { increment: 1 } },
  });
  if (count === 0) throw stale();
  // The whole subtree (the department included) in one statement: replace the old path prefix
  // and shift the depth.
  const oldPath = current.path;
  const moved = await tx.$executeRaw`
    UPDATE "departments"
       SET "path" = ${newPath}::text || substr("path", ${oldPath.length + 1}::int),
           "depth" = "depth" + ${newDepth - current.depth}::int,
           "updated_at" = CURRENT_TIMESTAMP
     WHERE left("path", ${oldPath.length}::int) = ${oldPath}::text`;

  await audit({
    action: "department.move",
    entityType: "Department",
    entityId: input.id,
    before: { parentId: current.parentId, path: oldPath, depth: current.depth, version: current.version },
    after: { parentId: input.parentId ?? null, path: newPath, depth: newDepth, version: current.version + 1, subtreeSize: moved },
  });
  return { id: input.id, moved };
}

export async function setDepartmentManager({ actor, input, tx, audit }: ActionContext<DepartmentManagerInput>): Promise<{ id: string }> {
  requirePermission(actor, "departments.manage");
  const current = await currentDepartment(tx, input.id, input.version);
  const managerId = resolveManager(input.managerNo, await namedEmployee(actor, tx, input.managerNo));
  if (managerId instanceof DomainError) throw managerId;
  const { count } = await tx.department.updateMany({ where: { id: input.id, version: input.version }, data: { managerId, version: { increment: 1 } } });
  if (count === 0) throw stale();
  await audit({
    action: "department.setManager",
    entityType: "Department",
    entityId: input.id,
    before: { managerId: current.managerId, version: current.version },
    after: { managerId, version: current.version + 1 },
  });
  return { id: input.id };
}
