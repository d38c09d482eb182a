import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AttentionItem } from "@/lib/home/attention";
import { runAttentionQuery, type AttentionQuery } from "@/lib/home/attention-query";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";

type Row = { id: string; messageKey: string; params: Record<string, string | number> | null; href: string | null };

/** The person's unread notifications, newest first, for the home page: one row holding them as a
 * JSON array (the home page runs it in its one statement: lib/home/attention-query.ts). */
export function notificationAttentionQuery(actor: Pick<Actor, "id">, limit = 10): AttentionQuery<{ rows: Row[] }> {
  return {
    sql: Prisma.sql`
      SELECT coalesce(json_agg(json_build_object('id', n.id, 'messageKey', n.message_key, 'params', n.params, 'href', n.href) ORDER BY n.created_at DESC), '[]'::json) AS rows
        FROM (SELECT id, message_key, params, href, created_at FROM notifications
               WHERE recipient_id = ${actor.id} AND read_at IS NULL ORDER BY created_at DESC LIMIT ${limit}) n`,
    items: ({ rows }) =>
      rows.map((n) => ({
        key: `notification.${n.id}`,
        labelKey: n.messageKey,
        params: n.params ?? undefined,
        href: n.href ?? "/",
      })),
  };
}

export async function notificationAttentionFrom(actor: Pick<Actor, "id">, client: Tx, limit = 10): Promise<AttentionItem[]> {
  return runAttentionQuery(client, notificationAttentionQuery(actor, limit));
}
