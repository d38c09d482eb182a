import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { permissionsOf, type Permission, type RoleCode } from "@/lib/auth/permissions";
import { auth } from "./auth";
import { clientIp } from "./client-ip";
import { db } from "./db";

/** The signed-in person as every query and command sees them, re-read from the database on
 * each request so a role change, a move or a departure takes effect at once. */
export type Actor = {
  id: string;
  name: string;
  email: string;
  roles: RoleCode[];
  permissions: ReadonlySet<Permission>;
  departmentId: string;
  /** Materialised path of the actor's department ("/rootId/.../deptId/"): the manager scope. */
  departmentPath: string;
  ip: string | null;
};

export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const employee = await db().employee.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      email: true,
      status: true,
      departmentId: true,
      department: { select: { path: true } },
      roles: { select: { role: true } },
    },
  });
  // A departed employee's session ends with their status, whatever the cookie says.
  if (!employee || employee.status === "DEPARTED") return null;
  const roles = employee.roles.map((r) => r.role as RoleCode);
  return {
    id: employee.id,
    name: employee.name,
    email: employee.email,
    roles,
    permissions: permissionsOf(roles),
    departmentId: employee.departmentId,
    departmentPath: employee.department.path,
    ip: clientIp(await headers()),
  };
});

/** For pages: the actor, or a redirect to sign-in. */
export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  return actor;
}

/** For pages: the actor holding at least one of the permissions, or a 403 page. */
export async function requirePagePermission(...anyOf: Permission[]): Promise<Actor> {
  const actor = await requireActor();
  if (!anyOf.some((p) => actor.permissions.has(p))) forbidden();
  return actor;
}
