import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";

// Who sees which accounts, as a Prisma where (authorization inside the query):
// - everyone (accounts.request): the accounts they hold or requested;
// - MANAGER (accounts.read:department): also every account kept by a department in their subtree;
// - ADMIN, HR, AUDITOR (accounts.read:all): every account.
// Accounts reference departments by id (no relation), so the subtree's ids are read first by the
// indexed path prefix and put in the where.

export type ScopeActor = Pick<Actor, "id" | "permissions" | "departmentPath">;

export function ownAccounts(actorId: string): Prisma.AccountWhereInput {
  return { OR: [{ holderId: actorId }, { requestedById: actorId }] };
}

export async function subtreeDepartmentIds(tx: Tx, path: string): Promise<string[]> {
  const rows = await tx.department.findMany({ where: { path: { startsWith: path } }, select: { id: true } });
  return rows.map((r) => r.id);
}

export async function accountScope(actor: ScopeActor, tx: Tx, options: { mineOnly?: boolean } = {}): Promise<Prisma.AccountWhereInput> {
  if (options.mineOnly) return ownAccounts(actor.id);
  if (actor.permissions.has("accounts.read:all")) return {};
  if (actor.permissions.has("accounts.read:department")) {
    const ids = await subtreeDepartmentIds(tx, actor.departmentPath);
    return { OR: [ownAccounts(actor.id), { custodianDepartmentId: { in: ids } }] };
  }
  if (actor.permissions.has("accounts.request")) return ownAccounts(actor.id);
  return { id: { in: [] } };
}
