import type { ActionContext } from "@/lib/server/action";
import { DomainError, notFound, stale } from "@/lib/server/errors";
import type { Tx } from "@/lib/server/prisma-client";
import { requireAny } from "./access";
import type { NoticeDraftInput, NoticeRefInput, NoticeUpdateInput, SeparateConsent } from "./schemas";

// Privacy-notice versions (PIPL Art. 17). PRIVACY_OFFICER drafts (fields may be missing), publishes
// (every Art. 17 field required; the previous published version of the same notice retires at the
// same moment, so one version per notice is current) and retires. A published version never
// changes: the database refuses it (trigger), and so do these commands.

export const NOTICE_ENTITY = "PrivacyNotice";
const NOTICE_LOCK = 4_200_501;

export type NoticePurpose = { code: string; description: string };
export type NoticeCategory = { code: string; name: string; sensitive: boolean };

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) => new DomainError(code, `privacy.errors.${key}`, options);

function content(input: NoticeDraftInput) {
  const sensitive = new Set(input.sensitiveCategories);
  const categories: NoticeCategory[] = input.categories.map((c) => ({ code: c.code, name: c.description, sensitive: sensitive.has(c.code) }));
  return {
    title: input.title,
    processorName: input.processorName ?? null,
    processorContact: input.processorContact ?? null,
    purposes: input.purposes,
    purposeCodes: input.purposes.map((p) => p.code),
    methods: input.methods ?? null,
    categories,
    retentionDays: input.retentionDays ?? null,
    rightsText: input.rightsText ?? null,
    separateConsents: [...new Set(input.separateConsents)],
  };
}

const view = (n: { noticeKey: string; noticeVersion: number; status: string; title: string; retentionDays: number | null; purposeCodes: unknown; version: number }) => ({
  noticeKey: n.noticeKey,
  noticeVersion: n.noticeVersion,
  status: n.status,
  title: n.title,
  retentionDays: n.retentionDays,
  purposeCodes: n.purposeCodes,
  version: n.version,
});

/** A new draft: the next version number of its notice key. */
export async function draftNotice({ actor, input, tx, audit }: ActionContext<NoticeDraftInput>): Promise<{ id: string }> {
  requireAny(actor, "privacy.manage");
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${NOTICE_LOCK}::int, hashtext(${input.noticeKey}))`;
  const last = await tx.privacyNotice.findFirst({ where: { noticeKey: input.noticeKey }, orderBy: { noticeVersion: "desc" }, select: { noticeVersion: true } });
  const notice = await tx.privacyNotice.create({ data: { noticeKey: input.noticeKey, noticeVersion: (last?.noticeVersion ?? 0) + 1, createdById: actor.id, ...content(input) } });
  await audit({ action: "privacyNotice.draft", entityType: NOTICE_ENTITY, entityId: notice.id, before: null, after: view(notice) });
  return { id: notice.id };
}

async function lockedNotice(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT "id" FROM "privacy_notices" WHERE "id" = ${id} FOR UPDATE`;
  const notice = await tx.privacyNotice.findUnique({ where: { id } });
  if (!notice) throw notFound();
  return notice;
}

/** Edits a draft; a published or retired version is refused (publish a new version instead). */
export async function updateNoticeDraft({ actor, input, tx, audit }: ActionContext<NoticeUpdateInput>): Promise<{ id: string }> {
  requireAny(actor, "privacy.manage");
  const notice = await lockedNotice(tx, input.id);
  if (notice.status !== "DRAFT") throw err("INVALID_STATE", "noticeNotDraft");
  if (notice.version !== input.version) throw stale();
  if (notice.noticeKey !== input.noticeKey) throw err("VALIDATION", "noticeKeyFixed", { field: "noticeKey" });
  const updated = await tx.privacyNotice.update({ where: { id: notice.id }, data: { ...content(input), version: { increment: 1 } } });
  await audit({ action: "privacyNotice.update", entityType: NOTICE_ENTITY, entityId: notice.id, before: view(notice), after: view(updated) });
  return { id: notice.id };
}

/** Publishes a draft once every Art. 17 field is there; the notice's previous published version
 * retires in the same transaction. */
export async function publishNotice({ actor, input, tx, audit }: ActionContext<NoticeRefInput>, now = new Date()): Promise<{ id: string }> {
  requireAny(actor, "privacy.manage");
  const notice = await lockedNotice(tx, input.id);
  if (notice.status !== "DRAFT") throw err("INVALID_STATE", "noticeNotDraft");
  if (notice.version !== input.version) throw stale();
  if (!notice.processorName) throw err("VALIDATION", "publishNeedsProcessorName");
  if (!notice.processorContact) throw err("VALIDATION", "publishNeedsProcessorContact");
  if (!notice.retentionDays) throw err("VALIDATION", "publishNeedsRetention");
  if (!notice.rightsText) throw err("VALIDATION", "publishNeedsRights");
  if (!notice.methods) throw err("VALIDATION", "publishNeedsMethods");
  const categories = notice.categories as NoticeCategory[];
  if (categories.some((c) => c.sensitive) && !(notice.separateConsents as SeparateConsent[]).includes("SENSITIVE")) throw err("VALIDATION", "publishSensitiveNeedsSeparate");

  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${NOTICE_LOCK}::int, hashtext(${notice.noticeKey}))`;
  const previous = await tx.privacyNotice.findMany({ where: { noticeKey: notice.noticeKey, status: "PUBLISHED" } });
  for (const p of previous) {
    await tx.privacyNotice.update({ where: { id: p.id }, data: { status: "RETIRED", retiredAt: now, retiredById: actor.id, version: { increment: 1 } } });
    await audit({ action: "privacyNotice.retire", entityType: NOTICE_ENTITY, entityId: p.id, before: view(p), after: { ...view(p), status: "RETIRED", supersededBy: notice.id } });
  }
  const published = await tx.privacyNotice.update({ where: { id: notice.id }, data: { status: "PUBLISHED", publishedAt: now, publishedById: actor.id, version: { increment: 1 } } });
  await audit({ action: "privacyNotice.publish", entityType: NOTICE_ENTITY, entityId: notice.id, before: view(notice), after: view(published) });
  return { id: notice.id };
}

/** Retires a published version: no new consent may be recorded against it; consents already
 * given under it stay valid until they expire or are withdrawn. */
export async function retireNotice({ actor, input, tx, audit }: ActionContext<NoticeRefInput>): Promise<{ id: string }> {
  requireAny(actor, "privacy.manage");
  const notice = await lockedNotice(tx, input.id);
  if (notice.status !== "PUBLISHED") throw err("INVALID_STATE", "noticeNotPublished");
  if (notice.version !== input.version) throw stale();
  const retired = await tx.privacyNotice.update({ where: { id: notice.id }, data: { status: "RETIRED", retiredAt: new Date(), retiredById: actor.id, version: { increment: 1 } } });
  await audit({ action: "privacyNotice.retire", entityType: NOTICE_ENTITY, entityId: notice.id, before: view(notice), after: view(retired) });
  return { id: notice.id };
}
