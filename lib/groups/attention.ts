import "server-only";
import type { AttentionItem } from "@/lib/home/attention";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import type { Tx } from "@/lib/server/prisma-client";
import { reviewDueRange } from "./policy-rules";
import { ownerlessGroupIds, UNREGISTERED_WHERE, VIOLATING_WHERE } from "./queries";
import { LIVE_STATUSES } from "./schemas";
import { responsibilityScope } from "./scope";

// What needs the person's attention about work groups (the home page): groups overdue for review
// and ownerless groups among those they answer for — the owner their own, a manager their
// subtree, ADMIN all (SPEC §4). Each item links to the registry filtered to the same groups.

export async function groupAttentionFrom(actor: Actor, tx: Tx, now = new Date()): Promise<AttentionItem[]> {
  if (!actor.permissions.has("groups.request") && !actor.permissions.has("groups.read:department") && !actor.permissions.has("groups.manage")) return [];
  const { where, mineOnly } = await responsibilityScope(actor, tx);
  const mine = mineOnly ? "&mine=1" : "";
  // The WeCom tasks are the owner's (only an owner or ADMIN registers a group): a person who
  // answers for no more than their own groups counts the ones they own, and their link says so.
  const ownOnly = mineOnly || (!actor.permissions.has("groups.manage") && !actor.permissions.has("groups.read:department"));
  const wecomWhere = ownOnly ? { ownerId: actor.id } : where;
  const wecomMine = ownOnly ? "&mine=owner" : "";
  const [overdue, ownerless, unregistered, violating] = await Promise.all([
    tx.workGroup.count({ where: { AND: [where, { status: "ACTIVE", reviewDueAt: reviewDueRange("overdue", now) }] } }),
    ownerlessGroupIds(tx).then((ids) =>
      ids.length === 0 ? 0 : tx.workGroup.count({ where: { AND: [where, { id: { in: ids } }, { status: { in: [...LIVE_STATUSES] } }] } }),
    ),
    tx.workGroup.count({ where: { AND: [wecomWhere, UNREGISTERED_WHERE] } }),
    tx.workGroup.count({ where: { AND: [wecomWhere, VIOLATING_WHERE] } }),
  ]);
  const items: AttentionItem[] = [];
  if (overdue > 0) {
    items.push({ key: "groups.overdueReview", labelKey: "groups.attention.overdue", params: { count: overdue }, href: `/groups?review=overdue${mine}` });
  }
  if (ownerless > 0) {
    items.push({ key: "groups.ownerless", labelKey: "groups.attention.ownerless", params: { count: ownerless }, href: `/groups?ownerless=1${mine}` });
  }
  if (unregistered > 0) {
    items.push({ key: "groups.unregistered", labelKey: "groups.attention.unregistered", params: { count: unregistered }, href: `/groups?outside=1${wecomMine}` });
  }
  if (violating > 0) {
    items.push({ key: "groups.violations", labelKey: "groups.attention.violations", params: { count: violating }, href: `/groups?violations=1${wecomMine}` });
  }
  return items;
}

/** The home page's source of work-group items (lib/home/attention.ts). */
export async function groupAttention(actor: Actor): Promise<AttentionItem[]> {
  return groupAttentionFrom(actor, db());
}
