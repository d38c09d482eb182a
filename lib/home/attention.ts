import "server-only";
import { approvalAttention } from "@/lib/approvals/attention";
import { calendarAttention } from "@/lib/calendar/attention";
import { contentAttention } from "@/lib/content/attention";
import { groupAttention } from "@/lib/groups/attention";
import { notificationAttention } from "@/lib/notifications/attention";
import { offboardingAttention } from "@/lib/offboarding/attention";
import { privacyAttention } from "@/lib/privacy/attention";
import type { Actor } from "@/lib/server/actor";
import { serviceAttention } from "@/lib/service/attention";
import { trainingAttention } from "@/lib/training/attention";

export type AttentionItem = { key: string; labelKey: string; params?: Record<string, string | number>; href: string };

/**
 * What needs the signed-in person's attention, gathered from each capability (approvals waiting
 * on them, overdue reviews, handovers, training due...). Each capability adds its source here.
 */
export async function attentionItemsFor(actor: Actor): Promise<AttentionItem[]> {
  // One line per capability (kept one per line so capabilities added side by side merge cleanly).
  const sources: Array<(actor: Actor) => Promise<AttentionItem[]>> = [
    (a) => approvalAttention(a),
    groupAttention,
    offboardingAttention,
    notificationAttention,
    serviceAttention,
    privacyAttention,
    trainingAttention,
    contentAttention,
    calendarAttention,
  ];
  return (await Promise.all(sources.map((source) => source(actor)))).flat();
}
