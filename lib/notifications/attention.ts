import "server-only";
import type { AttentionItem } from "@/lib/home/attention";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import type { Tx } from "@/lib/server/prisma-client";

/** The person's unread notifications, newest first, for the home page. */
export async function notificationAttentionFrom(actor: Pick<Actor, "id">, client: Tx, limit = 10): Promise<AttentionItem[]> {
  const rows = await client.notification.findMany({
    where: { recipientId: actor.id, readAt: null },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, messageKey: true, params: true, href: true },
  });
  return rows.map((n) => ({
    key: `notification.${n.id}`,
    labelKey: n.messageKey,
    params: (n.params ?? undefined) as Record<string, string | number> | undefined,
    href: n.href ?? "/",
  }));
}

export async function notificationAttention(actor: Actor): Promise<AttentionItem[]> {
  return notificationAttentionFrom(actor, db());
}
