import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/server/actor";

// Whose training a person may read: everyone (training.read:all: ADMIN, AUDITOR, HR), their
// department subtree (training.read:department: MANAGER), or nobody else's.

export type TrainingScope = { kind: "all" } | { kind: "department"; path: string } | null;

export function trainingScope(actor: Pick<Actor, "permissions" | "departmentPath">): TrainingScope {
  if (actor.permissions.has("training.read:all")) return { kind: "all" };
  if (actor.permissions.has("training.read:department")) return { kind: "department", path: actor.departmentPath };
  return null;
}

/** The scope as a condition over departments d. */
export function scopeSql(scope: NonNullable<TrainingScope>): Prisma.Sql {
  return scope.kind === "all" ? Prisma.sql`TRUE` : Prisma.sql`d."path" LIKE ${`${scope.path}%`}`;
}
