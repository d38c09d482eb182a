import { PRIVILEGED_ROLES, ROLES, type Permission, type RoleCode } from "@/lib/auth/permissions";

// Who may grant or revoke which role. One function for the server (the command refuses) and the
// roles form (it disables what would be refused). Free of server imports for that reason.

type Subject = { id: string; permissions: ReadonlySet<Permission> };

/** Roles this actor may not switch on or off for this employee. */
export function lockedRoles(actor: Subject, employeeId: string): RoleCode[] {
  if (!actor.permissions.has("roles.assign") || actor.id === employeeId) return [...ROLES];
  if (actor.permissions.has("roles.assign:privileged")) return [];
  return [...PRIVILEGED_ROLES];
}

export type RoleChange = { granted: RoleCode[]; revoked: RoleCode[] };

export function roleChange(current: readonly RoleCode[], desired: readonly RoleCode[]): RoleChange {
  return {
    granted: desired.filter((r) => !current.includes(r)),
    revoked: current.filter((r) => !desired.includes(r)),
  };
}

/** Why this change is refused, as a `directory.errors.*` key, or null when it is allowed. */
export function roleChangeRefusal(actor: Subject, employeeId: string, change: RoleChange): "forbidden" | "ownRoles" | "privilegedRole" | null {
  if (!actor.permissions.has("roles.assign")) return "forbidden";
  if (actor.id === employeeId) return "ownRoles";
  const touched = [...change.granted, ...change.revoked];
  if (!actor.permissions.has("roles.assign:privileged") && touched.some((r) => PRIVILEGED_ROLES.includes(r))) return "privilegedRole";
  return null;
}
