import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";

// Who sees which work groups, as a Prisma where (authorization inside the query):
// - everyone (groups.request): the groups they own, administer or requested;
// - MANAGER (groups.read:department): also every group of a department in their subtree;
// - ADMIN, AUDITOR, PRIVACY_OFFICER (groups.read:all): every group.
// Groups reference departments by id (no relation, see prisma/schema/groups.prisma), so the
// subtree is read first: its department ids, found by the indexed path prefix.

export type ScopeActor = Pick<Actor, "id" | "permissions" | "departmentPath">;

export function ownGroups(actorId: string): Prisma.WorkGroupWhereInput {
  return { OR: [{ ownerId: actorId }, { requesterId: actorId }, { administrators: { some: { employeeId: actorId } } }] };
}

/** The ids of a department and every department below it (by materialised path). */
export async function subtreeDepartmentIds(tx: Tx, path: string): Promise<string[]> {
  const rows = await tx.department.findMany({ where: { path: { startsWith: path } }, select: { id: true } });
  return rows.map((r) => r.id);
}

/**
 * The groups an actor may read. `mineOnly` narrows it to their own groups whatever else they may
 * read (the registry's "mine" filter, the owner's attention items).
 */
export async function groupScope(actor: ScopeActor, tx: Tx, options: { mineOnly?: boolean } = {}): Promise<Prisma.WorkGroupWhereInput> {
  if (options.mineOnly) return ownGroups(actor.id);
  if (actor.permissions.has("groups.read:all")) return {};
  if (actor.permissions.has("groups.read:department")) {
    const ids = await subtreeDepartmentIds(tx, actor.departmentPath);
    return { OR: [ownGroups(actor.id), { departmentId: { in: ids } }] };
  }
  if (actor.permissions.has("groups.request")) return ownGroups(actor.id);
  return { id: { in: [] } };
}

/**
 * The groups an actor answers for (the attention items): ADMIN all of them (groups.manage), a
 * manager their subtree, everyone their own. AUDITOR and PRIVACY_OFFICER read everything but
 * answer only for their own.
 */
export async function responsibilityScope(actor: ScopeActor, tx: Tx): Promise<{ where: Prisma.WorkGroupWhereInput; mineOnly: boolean }> {
  if (actor.permissions.has("groups.manage")) return { where: {}, mineOnly: false };
  if (actor.permissions.has("groups.read:department")) {
    const ids = await subtreeDepartmentIds(tx, actor.departmentPath);
    // The registry's default view for a manager is this same list (unless they also read
    // everything, as an AUDITOR who manages would: then the link shows more than the count).
    return { where: { OR: [ownGroups(actor.id), { departmentId: { in: ids } }] }, mineOnly: false };
  }
  return { where: ownGroups(actor.id), mineOnly: actor.permissions.has("groups.read:all") };
}
