import "server-only";
import type { Actor } from "@/lib/server/actor";

export type AttentionItem = { key: string; labelKey: string; params?: Record<string, string | number>; href: string };

/**
 * What needs the signed-in person's attention, gathered from each capability (approvals waiting
 * on them, overdue reviews, handovers, training due...). Each later capability adds its source
 * here; the foundation has none yet, so the list is honestly empty.
 */
export async function attentionItemsFor(actor: Actor): Promise<AttentionItem[]> {
  const sources: Array<(actor: Actor) => Promise<AttentionItem[]>> = [];
  return (await Promise.all(sources.map((source) => source(actor)))).flat();
}
