import type { Permission } from "@/lib/auth/permissions";

// What the navigation offers, and who sees each entry. Hiding is a courtesy: each page and
// action checks the same permission on the server.
export type NavItem = { href: string; labelKey: string; anyOf: readonly Permission[] | "everyone" };

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", labelKey: "nav.home", anyOf: "everyone" },
  { href: "/directory/employees", labelKey: "nav.employees", anyOf: ["directory.read:all", "directory.read:department"] },
  { href: "/directory/departments", labelKey: "nav.departments", anyOf: ["directory.read:all", "departments.manage"] },
  { href: "/audit", labelKey: "nav.audit", anyOf: ["audit.read"] },
];

export function navFor(permissions: ReadonlySet<Permission>): NavItem[] {
  return NAV_ITEMS.filter((item) => item.anyOf === "everyone" || item.anyOf.some((p) => permissions.has(p)));
}
