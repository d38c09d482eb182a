import "server-only";
import type { AttentionItem } from "@/lib/home/attention";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import type { Tx } from "@/lib/server/prisma-client";
import { shanghaiToday } from "./time";

// What needs a person's attention about offboarding (the home page): for HR (offboarding.manage)
// open cases, cases past the last working day and customer contacts still at risk; for anyone,
// the handover items assigned to them as successor that are not finished.

export async function offboardingAttentionFrom(actor: Pick<Actor, "id" | "permissions">, tx: Tx, now = new Date()): Promise<AttentionItem[]> {
  const items: AttentionItem[] = [];
  if (actor.permissions.has("offboarding.manage")) {
    const [open, pastDue, atRisk] = await Promise.all([
      tx.offboardingCase.count({ where: { status: "OPEN" } }),
      tx.offboardingCase.count({ where: { status: "OPEN", lastWorkingDay: { lt: shanghaiToday(now) } } }),
      tx.handoverItem.count({ where: { kind: "CONTACT", status: { in: ["PENDING", "TRANSFERRING", "REFUSED", "FAILED"] }, case: { status: "OPEN" } } }),
    ]);
    if (open > 0) items.push({ key: "offboarding.openCases", labelKey: "offboarding.attention.open", params: { count: open }, href: "/offboarding" });
    if (pastDue > 0) items.push({ key: "offboarding.pastDue", labelKey: "offboarding.attention.pastDue", params: { count: pastDue }, href: "/offboarding?view=pastDue" });
    if (atRisk > 0) items.push({ key: "offboarding.contactsAtRisk", labelKey: "offboarding.attention.atRisk", params: { count: atRisk }, href: "/offboarding" });
  }
  const mine = await tx.handoverItem.count({ where: { successorId: actor.id, status: { in: ["PENDING", "TRANSFERRING", "REFUSED", "FAILED"] }, case: { status: "OPEN" } } });
  if (mine > 0) items.push({ key: "offboarding.mine", labelKey: "offboarding.attention.mine", params: { count: mine }, href: "/offboarding/mine" });
  return items;
}

/** The home page's source of offboarding items (to be added to lib/home/attention.ts). */
export async function offboardingAttention(actor: Actor): Promise<AttentionItem[]> {
  return offboardingAttentionFrom(actor, db());
}
