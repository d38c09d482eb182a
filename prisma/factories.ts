import { newId } from "../lib/ids";
import type { RoleCode } from "../lib/auth/permissions";
import type { Tx } from "../lib/server/prisma-client";

// Factories for departments and employees, shared by the demo seed and the tests (one place, so
// a new required column is added once). They write directly, without actor or audit: callers
// are the seed script and test set-up, never a request.

export async function makeDepartment(
  tx: Tx,
  data: { name: string; code: string; parentId?: string | null; managerId?: string | null },
) {
  const id = newId();
  const parent = data.parentId
    ? await tx.department.findUniqueOrThrow({ where: { id: data.parentId }, select: { path: true, depth: true } })
    : null;
  return tx.department.create({
    data: {
      id,
      name: data.name,
      code: data.code,
      parentId: data.parentId ?? null,
      managerId: data.managerId ?? null,
      path: `${parent?.path ?? "/"}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
    },
  });
}

let sequence = 0;

export async function makeEmployee(
  tx: Tx,
  data: {
    departmentId: string;
    name?: string;
    email?: string;
    employeeNo?: string;
    roles?: RoleCode[];
    status?: "ACTIVE" | "OFFBOARDING" | "DEPARTED";
    passwordHash?: string | null;
    managerId?: string | null;
    hireDate?: Date;
    leaveDate?: Date | null;
  },
) {
  sequence++;
  const suffix = `${Date.now().toString(36)}${sequence}`;
  const roles = data.roles ?? ["EMPLOYEE"];
  return tx.employee.create({
    data: {
      id: newId(),
      departmentId: data.departmentId,
      name: data.name ?? `测试员工${sequence}`,
      email: (data.email ?? `user-${suffix}@example.test`).toLowerCase(),
      employeeNo: data.employeeNo ?? `T${suffix}`.toUpperCase(),
      status: data.status ?? "ACTIVE",
      passwordHash: data.passwordHash ?? null,
      managerId: data.managerId ?? null,
      hireDate: data.hireDate ?? new Date("2024-03-01T00:00:00Z"),
      leaveDate: data.leaveDate ?? null,
      roles: { create: roles.map((role) => ({ role })) },
    },
  });
}
