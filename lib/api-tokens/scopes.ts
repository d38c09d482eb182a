import type { Permission } from "@/lib/auth/permissions";

// What a token may do through /api/v1. A scope never adds to what its owner may do: the token
// acts as its owner, with the owner's permissions, and each endpoint also needs its scope.

export const API_SCOPES = [
  "employees:read",
  "employees:write",
  "groups:read",
  "accounts:read",
  "offboarding:read",
  "service:read",
  "service:write",
  "consents:read",
  "consents:write",
  "privacy:read",
  "privacy:write",
  "training:read",
  "dashboard:read",
  "audit:read",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Read permissions an all-company holder has that a department-scoped token narrows to the
 * department variant; the queries then limit it to the token's department subtree. */
const NARROWED: Partial<Record<Permission, Permission>> = {
  "directory.read:all": "directory.read:department",
  "dashboard.read:all": "dashboard.read:department",
  "groups.read:all": "groups.read:department",
  "accounts.read:all": "accounts.read:department",
  "service.read:all": "service.read:department",
  "training.read:all": "training.read:department",
};

/** Permissions with no department variant: a department-scoped token does without them. */
const COMPANY_WIDE: readonly Permission[] = [
  "audit.read",
  "departments.manage",
  "offboarding.read",
  "offboarding.manage",
  "privacy.read:all",
  "privacy.manage",
  "approvals.read:all",
  "content.read:all",
  "jobs.read",
  "service.manage",
  "roles.assign",
  "roles.assign:privileged",
  "apiTokens.manage",
  "wecom.configure",
  "signIn.configure",
];

export function narrowPermissions(permissions: ReadonlySet<Permission>): Set<Permission> {
  const out = new Set<Permission>();
  for (const p of permissions) {
    if (COMPANY_WIDE.includes(p)) continue;
    out.add(NARROWED[p] ?? p);
  }
  return out;
}
