import type { Permission, RoleCode } from "@/lib/auth/permissions";

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

// The phone's bottom tab bar (components/shell/mobile-nav.tsx): the four sections each role opens
// most, in this order; everything else the person may see is behind 更多 (a drawer). A person with
// several roles gets the tabs of the first role in ROLE_PRECEDENCE they hold.
const TAB_PRIORITY: Record<RoleCode, readonly string[]> = {
  ADMIN: ["/", "/dashboard", "/approvals", "/settings"],
  PRIVACY_OFFICER: ["/", "/privacy", "/approvals", "/dashboard"],
  HR: ["/", "/approvals", "/offboarding", "/directory/employees"],
  AUDITOR: ["/", "/dashboard", "/audit", "/approvals"],
  MANAGER: ["/", "/dashboard", "/approvals", "/groups"],
  EMPLOYEE: ["/", "/approvals", "/training", "/groups"],
};
const ROLE_PRECEDENCE: readonly RoleCode[] = ["ADMIN", "PRIVACY_OFFICER", "HR", "AUDITOR", "MANAGER", "EMPLOYEE"];
export const TAB_COUNT = 4;

/** Splits the person's navigation into the tab bar's entries and the drawer's. */
export function tabsFor(roles: readonly RoleCode[], items: readonly NavItem[]): { tabs: NavItem[]; rest: NavItem[] } {
  const role = ROLE_PRECEDENCE.find((r) => roles.includes(r)) ?? "EMPLOYEE";
  const byHref = new Map(items.map((i) => [i.href, i]));
  const tabs = TAB_PRIORITY[role].map((href) => byHref.get(href)).filter((i): i is NavItem => Boolean(i));
  for (const item of items) if (tabs.length < TAB_COUNT && !tabs.includes(item)) tabs.push(item);
  return { tabs, rest: items.filter((i) => !tabs.includes(i)) };
}

/** Every titled section a path can belong to: the navigation and the settings pages. */
const SECTIONS: readonly { href: string; labelKey: string }[] = [...NAV_ITEMS, ...SETTINGS_PAGES];

/** The section a path belongs to (the longest matching entry), for the phone's top bar. */
export function sectionOf(pathname: string): { href: string; labelKey: string } {
  let best = SECTIONS[0];
  for (const s of SECTIONS) {
    const inside = s.href === "/" ? pathname === "/" : pathname === s.href || pathname.startsWith(`${s.href}/`);
    if (inside && s.href.length > best.href.length) best = s;
  }
  return best;
}

// Folders with no page of their own: "back" skips them.
const NO_PAGE = new Set(["/directory", "/training/courses", "/training/policies", "/training/manage/courses", "/privacy/subjects"]);

/** Where the top bar's back link goes: the nearest page above this one, or null on a page the
 * navigation lists (the tab bar and drawer lead everywhere from there). A link, not history.back(): a
 * page opened from a WeCom message has no history to go back to. */
export function parentOf(pathname: string): string | null {
  const clean = pathname.replace(/\/+$/, "") || "/";
  if (NAV_ITEMS.some((s) => s.href === clean)) return null;
  let parent = clean;
  // An address outside every section (a mistyped one, answered by app/[...missing]) has no page
  // above it but home: "/no-such/page" goes back home, not to "/no-such", another 404.
  do parent = parent.slice(0, parent.lastIndexOf("/")) || "/";
  while (NO_PAGE.has(parent) || (parent !== "/" && sectionOf(parent).href === "/"));
  return parent;
}
