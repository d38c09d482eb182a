import "server-only";
import type { AttentionItem } from "@/lib/home/attention";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import type { Tx } from "@/lib/server/prisma-client";
import { expiringPublishedMedia } from "./licence-warnings";

/** For the home page: the person's content sent back for changes, and media used in published
 * content whose licence ends within 30 days (their own publications; every one for media.manage). */
export async function contentAttentionFrom(actor: Actor, client: Tx, now = new Date()): Promise<AttentionItem[]> {
  const items: AttentionItem[] = [];
  if (actor.permissions.has("content.submit")) {
    const sentBack = await client.contentSubmission.count({ where: { authorId: actor.id, status: "CHANGES_REQUESTED" } });
    if (sentBack > 0) items.push({ key: "content.sentBack", labelKey: "content.attention.sentBack", params: { count: sentBack }, href: "/content?status=CHANGES_REQUESTED" });
  }
  const expiring = await expiringPublishedMedia(client, now, actor.permissions.has("media.manage") ? undefined : actor.id);
  const assets = new Set(expiring.map((e) => e.asset.id)).size;
  if (assets > 0) items.push({ key: "content.licenceExpiring", labelKey: "content.attention.licenceExpiring", params: { count: assets }, href: "/content/media?licence=expiring" });
  return items;
}

export async function contentAttention(actor: Actor): Promise<AttentionItem[]> {
  return contentAttentionFrom(actor, db());
}
