import type { Permission } from "@/lib/auth/permissions";

// What the navigation offers, and who sees each entry. Hiding is a courtesy: each page and
// action checks the same permission on the server.
/** The settings pages, each behind its own permission (app/(portal)/settings/page.tsx). */
export const SETTINGS_PAGES: readonly { href: string; labelKey: string; descriptionKey: string; permission: Permission }[] = [
  { href: "/settings/calendars", labelKey: "nav.settingsCalendars", descriptionKey: "nav.settingsCalendarsHint", permission: "calendars.manage" },
  { href: "/settings/approval-chains", labelKey: "nav.settingsChains", descriptionKey: "nav.settingsChainsHint", permission: "approvals.configure" },
  { href: "/settings/naming-rule", labelKey: "nav.settingsNaming", descriptionKey: "nav.settingsNamingHint", permission: "naming.configure" },
  { href: "/settings/jobs", labelKey: "nav.settingsJobs", descriptionKey: "nav.settingsJobsHint", permission: "jobs.read" },
  { href: "/settings/sla", labelKey: "nav.settingsSla", descriptionKey: "nav.settingsSlaHint", permission: "sla.configure" },
  { href: "/settings/content-rules", labelKey: "nav.settingsContentRules", descriptionKey: "nav.settingsContentRulesHint", permission: "content.configure" },
  { href: "/settings/dashboard-targets", labelKey: "nav.settingsDashboard", descriptionKey: "nav.settingsDashboardHint", permission: "dashboard.configure" },
  { href: "/settings/api-tokens", labelKey: "nav.settingsApiTokens", descriptionKey: "nav.settingsApiTokensHint", permission: "apiTokens.manage" },
  { href: "/settings/wecom", labelKey: "nav.settingsWecom", descriptionKey: "nav.settingsWecomHint", permission: "wecom.configure" },
  { href: "/settings/sign-in", labelKey: "nav.settingsSignIn", descriptionKey: "nav.settingsSignInHint", permission: "signIn.configure" },
  { href: "/settings/notifications", labelKey: "nav.settingsNotifications", descriptionKey: "nav.settingsNotificationsHint", permission: "wecom.configure" },
];
const SETTINGS_PERMISSIONS = SETTINGS_PAGES.map((p) => p.permission);

export type NavItem = { href: string; labelKey: string; anyOf: readonly Permission[] | "everyone" };

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", labelKey: "nav.home", anyOf: "everyone" },
  // Anyone may be an approver: the inbox shows what is pending on the person.
  { href: "/dashboard", labelKey: "nav.dashboard", anyOf: ["dashboard.read:all", "dashboard.read:department"] },
  { href: "/approvals", labelKey: "nav.approvals", anyOf: "everyone" },
  { href: "/groups", labelKey: "nav.groups", anyOf: ["groups.request", "groups.read:all", "groups.read:department"] },
  { href: "/accounts", labelKey: "nav.accounts", anyOf: ["accounts.request", "accounts.read:all", "accounts.read:department"] },
  { href: "/privacy", labelKey: "nav.privacy", anyOf: ["consents.record", "privacy.manage", "privacy.read:all"] },
  { href: "/service", labelKey: "nav.service", anyOf: ["service.work", "service.read:department", "service.read:all"] },
  { href: "/training", labelKey: "nav.training", anyOf: ["training.take", "training.read:department", "training.read:all", "training.manage"] },
  { href: "/content", labelKey: "nav.content", anyOf: ["content.submit", "content.read:all", "content.configure"] },
  { href: "/offboarding", labelKey: "nav.offboarding", anyOf: ["offboarding.manage", "offboarding.read"] },
  { href: "/directory/employees", labelKey: "nav.employees", anyOf: ["directory.read:all", "directory.read:department"] },
  { href: "/directory/departments", labelKey: "nav.departments", anyOf: ["directory.read:all", "departments.manage"] },
  { href: "/audit", labelKey: "nav.audit", anyOf: ["audit.read"] },
  { href: "/notifications/settings", labelKey: "nav.notificationSettings", anyOf: "everyone" },
  { href: "/settings", labelKey: "nav.settings", anyOf: SETTINGS_PERMISSIONS },
];

export function navFor(permissions: ReadonlySet<Permission>): NavItem[] {
  return NAV_ITEMS.filter((item) => item.anyOf === "everyone" || item.anyOf.some((p) => permissions.has(p)));
}
