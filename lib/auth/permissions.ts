// One typed list of permissions and one map from role to permissions. The server enforces
// them (lib/server/action.ts, lib/server/route.ts, the queries' where clauses); the UI uses the
// same map only to hide what a person cannot do. Kept free of server imports so client
// components can read it.

export const ROLES = ["ADMIN", "HR", "MANAGER", "PRIVACY_OFFICER", "AUDITOR", "EMPLOYEE"] as const;
export type RoleCode = (typeof ROLES)[number];

export const PERMISSIONS = [
  "directory.read:all", // every employee and department
  "directory.read:department", // the actor's department subtree only
  "directory.manage", // create and edit employees
  "roles.assign", // grant and revoke roles (limits in lib/directory/role-rules.ts)
  "roles.assign:privileged", // grant ADMIN and AUDITOR
  "sessions.end", // end every session a person holds (their cookies stop working at once)
  "departments.manage", // create, rename, move departments and set managers
  "audit.read", // browse, export and verify the audit trail
  "dashboard.read:department",
  "dashboard.read:all",
  "dashboard.configure", // set the dashboard's targets, refresh its snapshots
  "calendars.manage", // edit business calendars, add a year's holidays
  "approvals.configure", // edit approval chains
  "approvals.read:all", // see every approval request (deciding is decided by the step, not a permission)
  "groups.request", // request a work group, see one's own groups
  "groups.read:all", // the whole work-group registry
  "groups.read:department", // the registry of the actor's department subtree
  "groups.manage", // transfer any group, record archives, act for any owner
  "naming.configure", // edit the work-group naming rule
  "accounts.request", // request a company account, see the accounts one holds
  "accounts.read:all", // the whole account registry and contacts
  "accounts.read:department", // accounts whose custodian department is in the actor's subtree
  "accounts.manage", // register, edit, suspend accounts; import customer contacts
  "accounts.reveal", // see platform identifiers and phone numbers whole (every reveal audited)
  "offboarding.manage", // open cases, assign successors, record refusals, sign waivers as HR
  "offboarding.read", // read every case
  "jobs.read", // the job queue: failed and retried jobs
  // Personal information (SPEC §7)
  "consents.record", // record a data subject's consent or withdrawal; look up one subject; read current notices
  "privacy.manage", // draft, publish and retire notices; import consents; handle data-subject requests and incidents
  "privacy.read:all", // every consent record, request and incident (read and export)
  "privacy.reveal", // see a subject's contact identifiers whole (every reveal audited)
  "apiTokens.manage", // issue and revoke personal access tokens for /api/v1
  "wecom.configure", // the WeCom connection: corp id, secrets, callback; its API call record
  "signIn.configure", // the sign-in methods offered, the break-glass ADMIN, a person's WeCom sign-in link
  // Service cases and SLA (SPEC §8)
  "service.work", // create cases, work one's own queue
  "service.read:department", // cases of the actor's department subtree (teams they manage)
  "service.read:all", // every case and report
  "service.manage", // assign any case, import cases
  "sla.configure", // edit SLA policies
  // Training and policy acknowledgement (SPEC §9)
  "training.take", // take assigned courses, acknowledge policies
  "training.manage", // courses and policy documents
  "training.assign", // assign by hand, record completions done outside the portal
  "training.read:department", // completion of the actor's department subtree
  "training.read:all", // completion of everyone
  // Content compliance (SPEC §11)
  "content.submit", // submit content for review, register media
  "content.read:all", // every submission and the publication record
  "content.configure", // term lists, category rules, sensitive words
  "media.manage", // edit any media asset and its licence
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<RoleCode, readonly Permission[]> = {
  ADMIN: [
    "directory.read:all",
    "directory.manage",
    "roles.assign",
    "roles.assign:privileged",
    "sessions.end",
    "departments.manage",
    "audit.read",
    "dashboard.read:all",
    "dashboard.configure",
    "calendars.manage",
    "approvals.configure",
    "approvals.read:all",
    "groups.request",
    "groups.read:all",
    "groups.manage",
    "naming.configure",
    "accounts.request",
    "accounts.read:all",
    "accounts.manage",
    "accounts.reveal",
    "offboarding.manage",
    "offboarding.read",
    "jobs.read",
    "consents.record",
    "apiTokens.manage",
    "wecom.configure",
    "signIn.configure",
    "service.work",
    "service.read:all",
    "service.manage",
    "sla.configure",
    "training.take",
    "training.manage",
    "training.assign",
    "training.read:all",
    "content.submit",
    "content.read:all",
    "content.configure",
    "media.manage",
  ],
  HR: [
    "directory.read:all",
    "directory.manage",
    "roles.assign",
    "departments.manage",
    "groups.request",
    "accounts.request",
    "accounts.read:all",
    "accounts.manage",
    "accounts.reveal",
    "offboarding.manage",
    "offboarding.read",
    "consents.record",
    "service.work",
    "training.take",
    "training.assign",
    "training.read:all",
    "content.submit",
  ],
  MANAGER: ["directory.read:department", "dashboard.read:department", "groups.request", "groups.read:department", "accounts.request", "accounts.read:department", "consents.record", "service.work", "service.read:department", "training.take", "training.read:department", "content.submit"],
  PRIVACY_OFFICER: ["dashboard.read:all", "groups.request", "groups.read:all", "accounts.request", "consents.record", "privacy.manage", "privacy.read:all", "privacy.reveal", "service.work", "training.take", "content.submit"],
  AUDITOR: ["directory.read:all", "audit.read", "dashboard.read:all", "approvals.read:all", "groups.read:all", "accounts.read:all", "offboarding.read", "jobs.read", "privacy.read:all", "service.read:all", "training.read:all", "content.read:all", "training.take"],
  EMPLOYEE: ["groups.request", "accounts.request", "consents.record", "service.work", "training.take", "content.submit"],
};

/** Roles that only a holder of `roles.assign:privileged` may grant or revoke. */
export const PRIVILEGED_ROLES: readonly RoleCode[] = ["ADMIN", "AUDITOR"];

export function permissionsOf(roles: readonly RoleCode[]): Set<Permission> {
  return new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role] ?? []));
}

export function hasPermission(subject: { permissions: ReadonlySet<Permission> }, permission: Permission): boolean {
  return subject.permissions.has(permission);
}

export function hasAny(subject: { permissions: ReadonlySet<Permission> }, permissions: readonly Permission[]): boolean {
  return permissions.some((p) => subject.permissions.has(p));
}
