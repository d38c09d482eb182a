import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AttentionItem } from "@/lib/home/attention";
import { runAttentionQuery, type AttentionQuery } from "@/lib/home/attention-query";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { expiringWindow } from "./licence-warnings";

/** For the home page: the person's content sent back for changes, and media used in published
 * content whose licence ends within 30 days (their own publications; every one for media.manage).
 * One statement for both (the media as `expiringPublishedMedia` in ./licence-warnings.ts finds
 * them, counted by asset, without reading every publication first); a test compares them. */
export function contentAttentionQuery(actor: Pick<Actor, "id" | "permissions">, now = new Date()): AttentionQuery<{ sent_back: number; assets: number }> {
  const { from, to } = expiringWindow(now);
  const submit = actor.permissions.has("content.submit");
  const mine = actor.permissions.has("media.manage") ? Prisma.sql`TRUE` : Prisma.sql`p.author_id = ${actor.id}`;
  const sql = Prisma.sql`
    SELECT ${submit ? Prisma.sql`(SELECT count(*)::int FROM content_submissions WHERE author_id = ${actor.id} AND status = 'CHANGES_REQUESTED')` : Prisma.sql`0`} AS sent_back,
           (SELECT count(DISTINCT a.id)::int
              FROM content_publications p JOIN content_revision_media u ON u.revision_id = p.revision_id JOIN media_assets a ON a.id = u.asset_id
             WHERE ${mine} AND a.licence_type <> 'NONE'
               AND a.licence_expires_on >= ${from.toISOString().slice(0, 10)}::date AND a.licence_expires_on <= ${to.toISOString().slice(0, 10)}::date) AS assets`;
  return { sql, items: contentItems };
}

function contentItems(n: { sent_back: number; assets: number }): AttentionItem[] {
  const items: AttentionItem[] = [];
  if (n.sent_back > 0) items.push({ key: "content.sentBack", labelKey: "content.attention.sentBack", params: { count: n.sent_back }, href: "/content?status=CHANGES_REQUESTED" });
  if (n.assets > 0) items.push({ key: "content.licenceExpiring", labelKey: "content.attention.licenceExpiring", params: { count: n.assets }, href: "/content/media?licence=expiring" });
  return items;
}

export async function contentAttentionFrom(actor: Pick<Actor, "id" | "permissions">, client: Tx, now = new Date()): Promise<AttentionItem[]> {
  return runAttentionQuery(client, contentAttentionQuery(actor, now));
}
