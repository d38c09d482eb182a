import "server-only";
import { approvalAttention } from "@/lib/approvals/attention";
import { contentAttention } from "@/lib/content/attention";
import { groupAttention } from "@/lib/groups/attention";
import { notificationAttention } from "@/lib/notifications/attention";
import { offboardingAttention } from "@/lib/offboarding/attention";
import type { Actor } from "@/lib/server/actor";

export type AttentionItem = { key: string; labelKey: string; params?: Record<string, string | number>; href: string };

/**
 * What needs the signed-in person's attention, gathered from each capability (approvals waiting
 * on them, overdue reviews, handovers, training due...). Each capability adds its source here.
 */
export async function attentionItemsFor(actor: Actor): Promise<AttentionItem[]> {
  const sources: Array<(actor: Actor) => Promise<AttentionItem[]>> = [(a) => approvalAttention(a), groupAttention, offboardingAttention, notificationAttention, contentAttention];
  return (await Promise.all(sources.map((source) => source(actor)))).flat();
}
