import type { Permission } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";
import { forbidden } from "@/lib/server/errors";

/** Commands check their permission themselves too (the tests and jobs call them directly). */
export function requireAny(actor: Pick<Actor, "permissions">, ...permissions: Permission[]) {
  if (!permissions.some((p) => actor.permissions.has(p))) throw forbidden();
}
