import { permissionsOf, type RoleCode } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";
import type { DbClient } from "@/lib/server/prisma-client";

/** The Actor a request by this employee would carry, read from the test database. */
export async function actorFor(prisma: DbClient, employeeId: string): Promise<Actor> {
  const e = await prisma.employee.findUniqueOrThrow({
    where: { id: employeeId },
    select: { id: true, name: true, email: true, departmentId: true, department: { select: { path: true } }, roles: { select: { role: true } } },
  });
  const roles = e.roles.map((r) => r.role as RoleCode);
  return { id: e.id, name: e.name, email: e.email, roles, permissions: permissionsOf(roles), departmentId: e.departmentId, departmentPath: e.department.path, ip: "127.0.0.1" };
}
