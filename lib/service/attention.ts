import "server-only";
import type { AttentionItem } from "@/lib/home/attention";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import type { Tx } from "@/lib/server/prisma-client";
import { subtreeDepartmentIds } from "./scope";

// What needs a person's attention about service cases (the home page): their own open cases
// past a due time; for managers, escalated complaints of their teams still open. The escalation
// itself also arrives as a notification (lib/service/escalation.ts).

export async function serviceAttentionFrom(actor: Pick<Actor, "id" | "permissions" | "departmentPath">, tx: Tx, now = new Date()): Promise<AttentionItem[]> {
  if (!actor.permissions.has("service.work") && !actor.permissions.has("service.read:department")) return [];
  const items: AttentionItem[] = [];
  const [mine, myBreached] = await Promise.all([
    tx.serviceCase.count({ where: { assigneeId: actor.id, status: { in: ["OPEN", "WAITING_CUSTOMER", "RESOLVED"] } } }),
    tx.serviceCase.count({ where: { assigneeId: actor.id, status: "OPEN", nextDueAt: { lt: now } } }),
  ]);
  if (myBreached > 0) items.push({ key: "service.myBreached", labelKey: "service.attention.myBreached", params: { count: myBreached }, href: "/service?view=breached" });
  else if (mine > 0) items.push({ key: "service.mine", labelKey: "service.attention.mine", params: { count: mine }, href: "/service?view=mine" });
  if (actor.permissions.has("service.read:department")) {
    const teams = await subtreeDepartmentIds(tx, actor.departmentPath);
    const escalated = await tx.serviceCase.count({ where: { teamId: { in: teams }, status: { in: ["OPEN", "WAITING_CUSTOMER"] }, escalations: { some: {} } } });
    if (escalated > 0) items.push({ key: "service.escalated", labelKey: "service.attention.escalatedOpen", params: { count: escalated }, href: "/service?view=breached" });
  }
  return items;
}

/** The home page's source of service items (listed in lib/home/attention.ts). */
export async function serviceAttention(actor: Actor): Promise<AttentionItem[]> {
  return serviceAttentionFrom(actor, db());
}
