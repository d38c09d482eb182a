import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AttentionItem } from "@/lib/home/attention";
import { runAttentionQuery, type AttentionQuery } from "@/lib/home/attention-query";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { ownerlessCountSql, ownGroupsSql, UNREGISTERED_SQL, VIOLATING_SQL } from "./registry-sql";

// What needs the person's attention about work groups (the home page): groups overdue for review
// and ownerless groups among those they answer for — the owner their own, a manager their
// subtree, ADMIN all (SPEC §4). Each item links to the registry filtered to the same groups.
//
// The four counts are one statement (the home page's round trips add up: docs/performance.md),
// each with the conditions of the registry's filter it links to: `responsibilityScope`
// (lib/groups/scope.ts) for whose groups, `reviewDueRange("overdue")`, `ownerlessGroupIds`,
// `UNREGISTERED_WHERE` and `VIOLATING_WHERE` (lib/groups/queries.ts). A test compares them with
// those Prisma counts for every kind of person.

type Counts = { overdue: number; ownerless: number; unregistered: number; violating: number };

/** The statement and its items (the home page runs it in its one statement: lib/home/attention-query.ts); null when the person answers for no groups. */
export function groupAttentionQuery(actor: Pick<Actor, "id" | "permissions" | "departmentPath">, now = new Date()): AttentionQuery<Counts> | null {
  const manage = actor.permissions.has("groups.manage");
  const department = !manage && actor.permissions.has("groups.read:department");
  if (!actor.permissions.has("groups.request") && !department && !manage) return null;
  // Whose groups (responsibilityScope): all; a manager's own and their subtree's; their own
  // (owned, administered or requested) — "mine" in the links when they could read all.
  const own = ownGroupsSql(actor.id);
  const scope = manage
    ? Prisma.sql`TRUE`
    : department
      ? Prisma.sql`(${own} OR g.department_id IN (SELECT id FROM departments WHERE starts_with(path, ${actor.departmentPath})))`
      : own;
  const mineOnly = !manage && !department && actor.permissions.has("groups.read:all");
  const mine = mineOnly ? "&mine=1" : "";
  // The WeCom tasks are the owner's (only an owner or ADMIN registers a group): a person who
  // answers for no more than their own groups counts the ones they own, and their link says so.
  const ownOnly = !manage && !department;
  const wecomScope = ownOnly ? Prisma.sql`g.owner_id = ${actor.id}` : scope;
  const wecomMine = ownOnly ? "&mine=owner" : "";
  const sql = Prisma.sql`
    SELECT (SELECT count(*)::int FROM work_groups g WHERE ${scope} AND g.status = 'ACTIVE' AND g.review_due_at < ${now}) AS overdue,
           ${ownerlessCountSql(scope)} AS ownerless,
           (SELECT count(*)::int FROM work_groups g WHERE ${wecomScope} AND ${UNREGISTERED_SQL}) AS unregistered,
           (SELECT count(*)::int FROM work_groups g WHERE ${wecomScope} AND ${VIOLATING_SQL}) AS violating`;
  return { sql, items: (n) => groupItems(n, mine, wecomMine) };
}

function groupItems(n: Counts, mine: string, wecomMine: string) {
  const items: AttentionItem[] = [];
  if (n.overdue > 0) {
    items.push({ key: "groups.overdueReview", labelKey: "groups.attention.overdue", params: { count: n.overdue }, href: `/groups?review=overdue${mine}` });
  }
  if (n.ownerless > 0) {
    items.push({ key: "groups.ownerless", labelKey: "groups.attention.ownerless", params: { count: n.ownerless }, href: `/groups?ownerless=1${mine}` });
  }
  if (n.unregistered > 0) {
    items.push({ key: "groups.unregistered", labelKey: "groups.attention.unregistered", params: { count: n.unregistered }, href: `/groups?outside=1${wecomMine}` });
  }
  if (n.violating > 0) {
    items.push({ key: "groups.violations", labelKey: "groups.attention.violations", params: { count: n.violating }, href: `/groups?violations=1${wecomMine}` });
  }
  return items;
}

export async function groupAttentionFrom(actor: Pick<Actor, "id" | "permissions" | "departmentPath">, tx: Tx, now = new Date()) {
  return runAttentionQuery(tx, groupAttentionQuery(actor, now));
}
