import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";

// Who sees which service cases, as a Prisma where (authorization inside the query):
// - every agent (service.work): cases assigned to them or that they created, and the unassigned
//   cases of their own team (department) — the queue they take work from;
// - MANAGER (service.read:department): also every case of a team in their department subtree;
// - ADMIN, AUDITOR (service.read:all): every case.

export type ScopeActor = Pick<Actor, "id" | "permissions" | "departmentId" | "departmentPath">;

export async function subtreeDepartmentIds(tx: Tx, path: string): Promise<string[]> {
  const rows = await tx.department.findMany({ where: { path: { startsWith: path } }, select: { id: true } });
  return rows.map((r) => r.id);
}

export function ownCases(actor: ScopeActor): Prisma.ServiceCaseWhereInput {
  return { OR: [{ assigneeId: actor.id }, { createdById: actor.id }, { teamId: actor.departmentId, assigneeId: null }] };
}

export async function caseScope(actor: ScopeActor, tx: Tx): Promise<Prisma.ServiceCaseWhereInput> {
  if (actor.permissions.has("service.read:all")) return {};
  if (actor.permissions.has("service.read:department")) {
    const ids = await subtreeDepartmentIds(tx, actor.departmentPath);
    return { OR: [ownCases(actor), { teamId: { in: ids } }] };
  }
  if (actor.permissions.has("service.work")) return ownCases(actor);
  return { id: { in: [] } };
}

/** The department ids of a subtree as SQL, for `team_id IN (…)`: what subtreeDepartmentIds reads,
 * inside the statement (the same `path LIKE path%` test Prisma's `startsWith` sends). */
export function subtreeSql(path: string): Prisma.Sql {
  return Prisma.sql`SELECT sd."id" FROM "departments" sd WHERE sd."path" LIKE ${`${path}%`}`;
}

/** caseScope as a condition over service_cases `c`, for the queue's one statement
 * (lib/service/queue-sql.ts); tests/service/queue-sql.test.ts proves the two select the same cases. */
export function caseScopeSql(actor: ScopeActor): Prisma.Sql {
  if (actor.permissions.has("service.read:all")) return Prisma.sql`TRUE`;
  const own = Prisma.sql`(c."assignee_id" = ${actor.id} OR c."created_by_id" = ${actor.id} OR (c."team_id" = ${actor.departmentId} AND c."assignee_id" IS NULL))`;
  if (actor.permissions.has("service.read:department")) return Prisma.sql`(${own} OR c."team_id" IN (${subtreeSql(actor.departmentPath)}))`;
  if (actor.permissions.has("service.work")) return own;
  return Prisma.sql`FALSE`;
}

/** May the actor assign cases of this team to others? service.manage anywhere; a manager in
 * their subtree. */
export async function mayAssignInTeam(actor: ScopeActor, tx: Tx, teamId: string): Promise<boolean> {
  if (actor.permissions.has("service.manage")) return true;
  if (!actor.permissions.has("service.read:department")) return false;
  return (await subtreeDepartmentIds(tx, actor.departmentPath)).includes(teamId);
}
