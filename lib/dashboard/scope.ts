import "server-only";
import type { Actor } from "@/lib/server/actor";
import { forbidden, notFound } from "@/lib/server/errors";
import type { DbClient, Tx } from "@/lib/server/prisma-client";

// Whose figures a person may read (SPEC §10): ADMIN, AUDITOR and PRIVACY_OFFICER
// (dashboard.read:all) the whole company or any department; a MANAGER (dashboard.read:department)
// their own department's subtree, or any department inside it. Anything else is refused here,
// on the server, before a query runs.

export type DashboardScope = {
  /** null: the whole company. */
  departmentId: string | null;
  /** Materialised path of the department; null for the whole company. */
  path: string | null;
  name: string | null;
  /** The top of what this person may see (null: the company). */
  rootDepartmentId: string | null;
  rootPath: string | null;
};

type ScopeActor = Pick<Actor, "permissions" | "departmentId" | "departmentPath">;

export async function resolveDashboardScope(actor: ScopeActor, client: DbClient | Tx, requested?: string | null): Promise<DashboardScope> {
  const all = actor.permissions.has("dashboard.read:all");
  if (!all && !actor.permissions.has("dashboard.read:department")) throw forbidden();
  const root = all ? null : await client.department.findUnique({ where: { id: actor.departmentId }, select: { id: true, path: true, name: true } });
  if (!all && !root) throw forbidden();
  if (!requested) {
    return root
      ? { departmentId: root.id, path: root.path, name: root.name, rootDepartmentId: root.id, rootPath: root.path }
      : { departmentId: null, path: null, name: null, rootDepartmentId: null, rootPath: null };
  }
  const dept = await client.department.findUnique({ where: { id: requested }, select: { id: true, path: true, name: true } });
  if (!dept) throw notFound("dashboard.errors.noDepartment");
  if (root && !dept.path.startsWith(root.path)) throw forbidden("dashboard.errors.outsideScope");
  return { departmentId: dept.id, path: dept.path, name: dept.name, rootDepartmentId: root?.id ?? null, rootPath: root?.path ?? null };
}
