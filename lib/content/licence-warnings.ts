import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";
import { sendNotifications } from "@/lib/notifications/store";
import { dayKey } from "./media-check";

// Warnings before a licence ends, for media used in published content (SPEC §11): the author of
// each publication using the asset, and whoever registered the asset, get one notification per
// asset and licence end date (the date is in the dedupe key: a renewed licence that again nears
// its end warns again; a second run the same day sends nothing).

export const WARNING_DAYS = 30;
const DAY = 86_400_000;

/** Assets used in published content whose licence ends within WARNING_DAYS of `now` (not yet ended). */
export function expiringWindow(now: Date): { from: Date; to: Date } {
  const from = new Date(`${dayKey(now)}T00:00:00.000Z`);
  return { from, to: new Date(from.getTime() + WARNING_DAYS * DAY) };
}

export async function expiringPublishedMedia(tx: Tx, now: Date, authorId?: string) {
  const { from, to } = expiringWindow(now);
  const publications = await tx.contentPublication.findMany({ where: authorId ? { authorId } : {}, select: { revisionId: true, authorId: true, title: true, submissionId: true } });
  if (publications.length === 0) return [];
  const usages = await tx.contentRevisionMedia.findMany({
    where: { revisionId: { in: publications.map((p) => p.revisionId) }, asset: { licenceType: { not: "NONE" }, licenceExpiresOn: { gte: from, lte: to } } },
    include: { asset: { select: { id: true, name: true, licenceExpiresOn: true, registeredById: true } } },
  });
  const byRevision = new Map(publications.map((p) => [p.revisionId, p]));
  return usages.map((u) => ({ asset: u.asset, publication: byRevision.get(u.revisionId)! }));
}

export async function warnExpiringLicences(tx: Tx, audit: (event: AuditInput) => Promise<void>, now: Date): Promise<{ assets: number; sent: number }> {
  const rows = await expiringPublishedMedia(tx, now);
  const notes = rows.flatMap(({ asset, publication }) => {
    const date = asset.licenceExpiresOn!.toISOString().slice(0, 10);
    return [...new Set([publication.authorId, asset.registeredById])].map((recipientId) => ({
      recipientId,
      kind: "content.licenceExpiring",
      messageKey: "content.notify.licenceExpiring",
      params: { name: asset.name, date, title: publication.title },
      href: `/content/media/${asset.id}`,
      dedupeKey: `content.licence:${asset.id}:${date}:${recipientId}`,
    }));
  });
  // One note per asset, date and person, even when the asset is in several publications.
  const unique = [...new Map(notes.map((n) => [n.dedupeKey, n])).values()];
  const sent = await sendNotifications(tx, unique);
  if (sent > 0) await audit({ action: "notification.send", entityType: "Notification", entityId: "content.licenceExpiring", after: { sent, day: dayKey(now) } });
  return { assets: new Set(rows.map((r) => r.asset.id)).size, sent };
}
