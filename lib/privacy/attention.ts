import "server-only";
import type { AttentionItem } from "@/lib/home/attention";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import type { Tx } from "@/lib/server/prisma-client";
import { unreportedWhere } from "./queries";

// The privacy officer's home page: data-subject requests past their due date, and serious
// incidents not reported to the regulator 4 hours after detection (PIPL Art. 57; CAC measures).

export async function privacyAttentionFrom(actor: Actor, tx: Tx, now = new Date()): Promise<AttentionItem[]> {
  if (!actor.permissions.has("privacy.manage")) return [];
  const [overdue, unreported] = await Promise.all([
    tx.privacyRequest.count({ where: { status: { in: ["RECEIVED", "VERIFIED"] }, dueAt: { lt: now } } }),
    tx.privacyIncident.count({ where: { ...unreportedWhere(now), status: "OPEN" } }),
  ]);
  const items: AttentionItem[] = [];
  if (overdue > 0) items.push({ key: "privacy.overdueRequests", labelKey: "privacy.attention.overdueRequests", params: { count: overdue }, href: "/privacy/requests?overdue=1" });
  if (unreported > 0) items.push({ key: "privacy.unreportedIncidents", labelKey: "privacy.attention.unreportedIncidents", params: { count: unreported }, href: "/privacy/incidents" });
  return items;
}

/** The home page's source of privacy items (lib/home/attention.ts). */
export async function privacyAttention(actor: Actor): Promise<AttentionItem[]> {
  return privacyAttentionFrom(actor, db());
}
