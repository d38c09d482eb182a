import "server-only";
import { canViewRequest, isStepApprover } from "@/lib/approvals/access";
import { accountScope } from "@/lib/accounts/scope";
import type { Prisma } from "@/lib/generated/prisma/client";
import { peopleById } from "@/lib/groups/queries";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { escapeLike } from "@/lib/search";
import { SUBMISSION_ENTITY } from "./commands";
import { dayKey } from "./media-check";
import type { MediaListParams, PublicationListParams, SubmissionListParams } from "./schemas";

// Reads of content compliance. Authorization is in the where: an author sees their own
// submissions; content.read:all (ADMIN, AUDITOR) sees every one and the publication record; a
// reviewer sees a submission through its approval request (the engine's visibility rule).

const ID = /^[a-z0-9]{20,40}$/i;

type SubmissionFilters = { status?: SubmissionListParams["status"]; kind?: SubmissionListParams["kind"]; mine?: "1"; q?: string };

export function submissionWhere(actor: Actor, params: SubmissionFilters): Prisma.ContentSubmissionWhereInput {
  const and: Prisma.ContentSubmissionWhereInput[] = [];
  if (!actor.permissions.has("content.read:all") || params.mine === "1") and.push({ authorId: actor.id });
  if (params.status) and.push({ status: params.status });
  if (params.kind) and.push({ kind: params.kind });
  if (params.q) and.push({ title: { contains: escapeLike(params.q), mode: "insensitive" } });
  return { AND: and };
}

export async function listSubmissions(actor: Actor, tx: Tx, params: SubmissionListParams) {
  const where = submissionWhere(actor, params);
  const total = await tx.contentSubmission.count({ where });
  const pages = Math.max(1, Math.ceil(total / params.pageSize));
  const page = Math.min(params.page, pages);
  const rows = await tx.contentSubmission.findMany({
    where,
    orderBy: [{ [params.sort]: params.dir }, { id: "asc" }],
    skip: (page - 1) * params.pageSize,
    take: params.pageSize,
  });
  const authors = await peopleById(tx, rows.map((r) => r.authorId));
  return { rows: rows.map((r) => ({ ...r, author: authors.get(r.authorId) ?? null })), total, page, pageSize: params.pageSize };
}

/** Everything the content page shows, or null when the actor may not see it. */
export async function getSubmissionView(actor: Actor, tx: Tx, id: string, revisionNumber?: number) {
  if (!ID.test(id)) return null;
  const s = await tx.contentSubmission.findUnique({ where: { id } });
  if (!s) return null;
  const requests = await tx.approvalRequest.findMany({ where: { subjectType: SUBMISSION_ENTITY, subjectId: id }, include: { steps: { orderBy: { position: "asc" } } }, orderBy: { createdAt: "asc" } });
  const visible = s.authorId === actor.id || actor.permissions.has("content.read:all") || requests.some((r) => canViewRequest(actor, r));
  if (!visible) return null;

  const revisions = await tx.contentRevision.findMany({
    where: { submissionId: id },
    orderBy: { number: "desc" },
    select: { id: true, number: true, title: true, createdAt: true, note: true, sentBackById: true, sentBackAt: true, sentBackComment: true },
  });
  const number = revisionNumber && revisions.some((r) => r.number === revisionNumber) ? revisionNumber : s.currentRevision;
  const revision = await tx.contentRevision.findUniqueOrThrow({
    where: { submissionId_number: { submissionId: id, number } },
    include: { findings: { orderBy: [{ startOffset: "asc" }, { createdAt: "asc" }] }, media: { include: { asset: true } } },
  });
  const previous = number > 1 ? await tx.contentRevision.findUnique({ where: { submissionId_number: { submissionId: id, number: number - 1 } }, select: { body: true, number: true } }) : null;

  const current = s.requestId ? requests.find((r) => r.id === s.requestId) : undefined;
  const pendingStep = current?.status === "PENDING" ? current.steps.find((x) => x.status === "PENDING") : undefined;
  const canReview = Boolean(pendingStep && s.status === "IN_REVIEW" && s.authorId !== actor.id && isStepApprover(actor, pendingStep) && number === s.currentRevision);
  const isLastStep = Boolean(pendingStep && current && !current.steps.some((x) => x.position > pendingStep.position && x.status === "WAITING"));

  const people = await peopleById(tx, [
    s.authorId,
    ...revisions.flatMap((r) => (r.sentBackById ? [r.sentBackById] : [])),
    ...revision.findings.flatMap((f) => (f.acceptedById ? [f.acceptedById] : [])),
  ]);
  const publication = s.status === "PUBLISHED" ? await tx.contentPublication.findUnique({ where: { submissionId: id } }) : null;
  const rules = await tx.contentRule.findMany({ select: { code: true, nameZh: true, nameEn: true } });
  return {
    submission: s,
    author: people.get(s.authorId) ?? null,
    revisions,
    revision,
    previous,
    isCurrent: number === s.currentRevision,
    request: current ?? null,
    pendingStep: pendingStep ?? null,
    canReview,
    isLastStep,
    isAuthor: s.authorId === actor.id,
    people,
    publication,
    ruleNames: new Map(rules.map((r) => [r.code, { zh: r.nameZh, en: r.nameEn }])),
  };
}
export type SubmissionView = NonNullable<Awaited<ReturnType<typeof getSubmissionView>>>;

/** Live accounts of the registry the actor may see, for the publishing-account choice. */
export async function accountChoices(actor: Actor, tx: Tx) {
  const scope = await accountScope(actor, tx);
  return tx.account.findMany({
    where: { AND: [scope, { status: { in: ["ACTIVE", "SUSPENDED", "HANDOVER", "REASSIGNED"] } }, { type: { in: ["OFFICIAL_ACCOUNT", "VIDEO_CHANNEL", "WECOM_MEMBER", "WECHAT_PERSONAL"] } }] },
    select: { id: true, displayName: true, type: true },
    orderBy: { displayName: "asc" },
    take: 500,
  });
}

/** Media for the submission form (newest first; at most 500). */
export async function mediaChoices(tx: Tx) {
  return tx.mediaAsset.findMany({ select: { id: true, kind: true, name: true, licenceType: true, licenceExpiresOn: true }, orderBy: [{ updatedAt: "desc" }], take: 500 });
}

// ---------------------------------------------------------------------------------------------
// Media library

const DAY = 24 * 3600_000;

type MediaFilters = { kind?: MediaListParams["kind"]; licence?: MediaListParams["licence"]; q?: string };

export function mediaWhere(params: MediaFilters, now: Date): Prisma.MediaAssetWhereInput {
  const and: Prisma.MediaAssetWhereInput[] = [];
  if (params.kind) and.push({ kind: params.kind });
  const today = new Date(`${dayKey(now)}T00:00:00.000Z`);
  if (params.licence === "missing") and.push({ licenceType: "NONE" });
  if (params.licence === "expired") and.push({ licenceType: { not: "NONE" }, licenceExpiresOn: { lt: today } });
  if (params.licence === "expiring") and.push({ licenceType: { not: "NONE" }, licenceExpiresOn: { gte: today, lte: new Date(today.getTime() + 30 * DAY) } });
  if (params.q) and.push({ OR: [{ name: { contains: escapeLike(params.q), mode: "insensitive" } }, { source: { contains: escapeLike(params.q), mode: "insensitive" } }] });
  return { AND: and };
}

export async function listMedia(tx: Tx, params: MediaListParams, now = new Date()) {
  const where = mediaWhere(params, now);
  const total = await tx.mediaAsset.count({ where });
  const pages = Math.max(1, Math.ceil(total / params.pageSize));
  const page = Math.min(params.page, pages);
  const rows = await tx.mediaAsset.findMany({
    where,
    // Only the licence's end date may be empty: no end sorts last.
    orderBy: [params.sort === "licenceExpiresOn" ? { licenceExpiresOn: { sort: params.dir, nulls: "last" } } : { [params.sort]: params.dir }, { id: "asc" }],
    skip: (page - 1) * params.pageSize,
    take: params.pageSize,
    include: { _count: { select: { usages: true } } },
  });
  return { rows, total, page, pageSize: params.pageSize };
}

export async function getMedia(tx: Tx, id: string) {
  if (!ID.test(id)) return null;
  const asset = await tx.mediaAsset.findUnique({ where: { id }, include: { _count: { select: { usages: true } } } });
  if (!asset) return null;
  const people = await peopleById(tx, [asset.registeredById]);
  return { asset, registeredBy: people.get(asset.registeredById) ?? null };
}

// ---------------------------------------------------------------------------------------------
// Publication record (content.read:all: the pages and the route check it)

export function publicationWhere(params: { kind?: string; q?: string }): Prisma.ContentPublicationWhereInput {
  const and: Prisma.ContentPublicationWhereInput[] = [];
  if (params.kind) and.push({ kind: params.kind as Prisma.ContentPublicationWhereInput["kind"] & string });
  if (params.q) and.push({ OR: [{ title: { contains: escapeLike(params.q), mode: "insensitive" } }, { accountName: { contains: escapeLike(params.q), mode: "insensitive" } }] });
  return { AND: and };
}

export async function listPublications(tx: Tx, params: PublicationListParams) {
  const where = publicationWhere(params);
  const total = await tx.contentPublication.count({ where });
  const pages = Math.max(1, Math.ceil(total / params.pageSize));
  const page = Math.min(params.page, pages);
  const rows = await tx.contentPublication.findMany({ where, orderBy: [{ [params.sort]: params.dir }, { id: "asc" }], skip: (page - 1) * params.pageSize, take: params.pageSize });
  return { rows, total, page, pageSize: params.pageSize };
}

const EXPORT_PAGE = 500;

/** The record a page at a time, in id order (keyset), for the CSV export. */
export async function* publicationExportPages(tx: Tx, params: { kind?: string; q?: string }) {
  const where = publicationWhere(params);
  let after: string | undefined;
  for (;;) {
    const rows = await tx.contentPublication.findMany({ where: after ? { AND: [where, { id: { gt: after } }] } : where, orderBy: { id: "asc" }, take: EXPORT_PAGE });
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < EXPORT_PAGE) return;
    after = rows[rows.length - 1].id;
  }
}

/** Submissions the list shows for the same filters, a page at a time in id order (keyset). */
export async function* submissionExportPages(actor: Actor, tx: Tx, params: SubmissionFilters) {
  const where = submissionWhere(actor, params);
  let after: string | undefined;
  for (;;) {
    const rows = await tx.contentSubmission.findMany({ where: after ? { AND: [where, { id: { gt: after } }] } : where, orderBy: { id: "asc" }, take: EXPORT_PAGE });
    if (rows.length === 0) return;
    const authors = await peopleById(tx, rows.map((r) => r.authorId));
    const findings = await tx.contentFinding.groupBy({
      by: ["revisionId"],
      where: { revision: { OR: rows.map((r) => ({ submissionId: r.id, number: r.currentRevision })) } },
      _count: { _all: true },
    });
    const revisions = await tx.contentRevision.findMany({ where: { OR: rows.map((r) => ({ submissionId: r.id, number: r.currentRevision })) }, select: { id: true, submissionId: true } });
    const counts = new Map(findings.map((f) => [f.revisionId, f._count._all]));
    const bySubmission = new Map(revisions.map((r) => [r.submissionId, counts.get(r.id) ?? 0]));
    yield rows.map((r) => ({ ...r, author: authors.get(r.authorId) ?? null, findings: bySubmission.get(r.id) ?? 0 }));
    if (rows.length < EXPORT_PAGE) return;
    after = rows[rows.length - 1].id;
  }
}

/** The media library for the same filters, a page at a time in id order. */
export async function* mediaExportPages(tx: Tx, params: MediaFilters, now = new Date()) {
  const where = mediaWhere(params, now);
  let after: string | undefined;
  for (;;) {
    const rows = await tx.mediaAsset.findMany({ where: after ? { AND: [where, { id: { gt: after } }] } : where, orderBy: { id: "asc" }, take: EXPORT_PAGE, include: { _count: { select: { usages: true } } } });
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < EXPORT_PAGE) return;
    after = rows[rows.length - 1].id;
  }
}

// ---------------------------------------------------------------------------------------------
// Rules

export async function rulesForSettings(tx: Tx) {
  const [rules, exemptions] = await Promise.all([
    tx.contentRule.findMany({ include: { terms: { orderBy: { createdAt: "asc" } } }, orderBy: [{ kind: "asc" }, { code: "asc" }] }),
    tx.contentExemption.findMany({ orderBy: { createdAt: "asc" } }),
  ]);
  return { rules, exemptions };
}

/** The active rule lists for the live check in the browser (plain data). */
export async function liveRules(tx: Tx) {
  const rules = await tx.contentRule.findMany({ where: { active: true }, include: { terms: { select: { term: true, standsAlone: true } } } });
  const exemptions = await tx.contentExemption.findMany({ select: { phrase: true } });
  return {
    terms: rules.flatMap((r) => r.terms.map((t) => ({ rule: r.code, term: t.term, standsAlone: t.standsAlone }))),
    exemptions: exemptions.map((e) => e.phrase),
    rules: rules.map((r) => ({ code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, article: r.article })),
  };
}
