import "server-only";
import type { AttentionItem } from "@/lib/home/attention";
import type { Actor } from "@/lib/server/actor";
import { db, type Tx } from "@/lib/server/db";
import { countPendingOn } from "./queries";

/** "N approvals wait for you (M overdue)" for the home page; nothing when none wait. */
export async function approvalAttention(actor: Actor, client: Tx = db(), now = new Date()): Promise<AttentionItem[]> {
  const { count, overdue } = await countPendingOn(client, actor, now);
  if (count === 0) return [];
  return [
    {
      key: "approvals.pending",
      labelKey: overdue > 0 ? "approvals.attention.waitingOverdue" : "approvals.attention.waiting",
      params: { count, overdue },
      href: "/approvals",
    },
  ];
}
