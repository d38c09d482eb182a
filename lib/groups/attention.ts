import "server-only";
import type { AttentionItem } from "@/lib/home/attention";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import type { Tx } from "@/lib/server/prisma-client";
import { reviewDueRange } from "./policy-rules";
import { ownerlessGroupIds } from "./queries";
import { LIVE_STATUSES } from "./schemas";
import { responsibilityScope } from "./scope";

// What needs the person's attention about work groups (the home page): groups overdue for review
// and ownerless groups among those they answer for — the owner their own, a manager their
// subtree, ADMIN all (SPEC §4). Each item links to the registry filtered to the same groups.

export async function groupAttentionFrom(actor: Actor, tx: Tx, now = new Date()): Promise<AttentionItem[]> {
  if (!actor.permissions.has("groups.request") && !actor.permissions.has("groups.read:department") && !actor.permissions.has("groups.manage")) return [];
  const { where, mineOnly } = await responsibilityScope(actor, tx);
  const mine = mineOnly ? "&mine=1" : "";
  const [overdue, ownerless] = await Promise.all([
    tx.workGroup.count({ where: { AND: [where, { status: "ACTIVE", reviewDueAt: reviewDueRange("overdue", now) }] } }),
    ownerlessGroupIds(tx).then((ids) =>
      ids.length === 0 ? 0 : tx.workGroup.count({ where: { AND: [where, { id: { in: ids } }, { status: { in: [...LIVE_STATUSES] } }] } }),
    ),
  ]);
  const items: AttentionItem[] = [];
  if (overdue > 0) {
    items.push({ key: "groups.overdueReview", labelKey: "groups.attention.overdue", params: { count: overdue }, href: `/groups?review=overdue${mine}` });
  }
  if (ownerless > 0) {
    items.push({ key: "groups.ownerless", labelKey: "groups.attention.ownerless", params: { count: ownerless }, href: `/groups?ownerless=1${mine}` });
  }
  return items;
}

/** The home page's source of work-group items (lib/home/attention.ts). */
export async function groupAttention(actor: Actor): Promise<AttentionItem[]> {
  return groupAttentionFrom(actor, db());
}
