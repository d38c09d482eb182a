import { createHash } from "node:crypto";
import type { ApprovalEffect, ApprovalEffectContext } from "@/lib/approvals/types";
import { newId } from "@/lib/ids";
import { sendNotifications } from "@/lib/notifications/store";
import { DomainError } from "@/lib/server/errors";

// What the end of a CONTENT_PUBLISH request does to its submission, inside the transaction of the
// decision (or withdrawal) that ends it, whether decided on the content page or in the approvals
// inbox:
// - approved: the revision the request was asked for must still be the current one and every
//   finding of it accepted (a reviewer decides each: flag, don't block, but never unseen); the
//   submission becomes PUBLISHED and the publication record is written (append-only).
// - rejected: sent back with the reviewer's comment (on the revision), CHANGES_REQUESTED.
// - withdrawn: DRAFT again.
// Each move is conditional on IN_REVIEW and this request, so nothing is applied twice.

const ENTITY = "ContentSubmission";
const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, params?: Record<string, string | number>) =>
  new DomainError(code, `content.errors.${key}`, { params });

async function load(ctx: ApprovalEffectContext) {
  const { tx, request } = ctx;
  if (request.type !== "CONTENT_PUBLISH" || request.subjectType !== ENTITY) {
    throw new Error(`A ${request.type} request about ${request.subjectType} reached the CONTENT_PUBLISH effect`);
  }
  await tx.$queryRaw`SELECT "id" FROM "content_submissions" WHERE "id" = ${request.subjectId} FOR UPDATE`;
  const s = await tx.contentSubmission.findUnique({ where: { id: request.subjectId } });
  if (!s) throw new Error(`Approval request ${request.id} names content ${request.subjectId}, which does not exist`);
  const revision = Number((request.payload as { revision?: unknown } | null)?.revision);
  return { s, revision };
}

async function onApproved(ctx: ApprovalEffectContext) {
  const { tx, audit, request } = ctx;
  const { s, revision } = await load(ctx);
  if (s.status === "PUBLISHED" && s.requestId === request.id) return; // already applied
  if (s.status !== "IN_REVIEW" || s.requestId !== request.id) throw err("INVALID_STATE", "wrongStatus", { status: s.status });
  if (revision !== s.currentRevision) throw err("INVALID_STATE", "oldRevision", { revision, current: s.currentRevision });
  const rev = await tx.contentRevision.findUniqueOrThrow({
    where: { submissionId_number: { submissionId: s.id, number: s.currentRevision } },
    include: { findings: { orderBy: [{ startOffset: "asc" }, { createdAt: "asc" }] } },
  });
  const open = rev.findings.filter((f) => !f.acceptedById);
  if (open.length) throw err("INVALID_STATE", "openFindings", { count: open.length });

  const now = new Date();
  const steps = await tx.approvalRequestStep.findMany({ where: { requestId: request.id, status: "APPROVED" }, orderBy: { position: "asc" } });
  const personIds = [...new Set([s.authorId, ...steps.flatMap((x) => (x.decidedById ? [x.decidedById] : [])), ...rev.findings.flatMap((f) => (f.acceptedById ? [f.acceptedById] : []))])];
  const people = new Map((await tx.employee.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true, employeeNo: true } })).map((p) => [p.id, p]));
  const who = (id: string | null) => (id ? (people.get(id)?.name ?? id) : "");
  const approvers = steps.map((x) => ({ position: x.position, kind: x.kind, role: x.role, name: who(x.decidedById), employeeNo: x.decidedById ? (people.get(x.decidedById)?.employeeNo ?? null) : null, decidedAt: x.decidedAt?.toISOString() ?? null, comment: x.comment }));
  const acceptedFindings = rev.findings.map((f) => ({ rule: f.ruleCode, article: f.article, term: f.term, start: f.startOffset, end: f.endOffset, reason: f.acceptReason, acceptedBy: who(f.acceptedById), acceptedAt: f.acceptedAt?.toISOString() ?? null }));

  const publication = {
    id: newId(),
    submissionId: s.id,
    revisionId: rev.id,
    revisionNumber: rev.number,
    kind: s.kind,
    title: rev.title,
    accountName: s.accountName,
    authorId: s.authorId,
    authorName: who(s.authorId),
    plannedAt: s.plannedAt,
    approvedAt: now,
    requestId: request.id,
    approvers,
    acceptedFindings,
    bodySha256: createHash("sha256").update(rev.body, "utf8").digest("hex"),
  };
  const { count } = await tx.contentSubmission.updateMany({
    where: { id: s.id, status: "IN_REVIEW", requestId: request.id },
    data: { status: "PUBLISHED", publishedAt: now, version: { increment: 1 } },
  });
  if (count !== 1) return;
  await tx.contentPublication.create({ data: publication });
  // The author hears of it on their home page (the approvals inbox shows reviewers their part).
  await sendNotifications(tx, [
    { recipientId: s.authorId, kind: "content.published", messageKey: "content.notify.published", params: { title: rev.title }, href: `/content/${s.id}`, dedupeKey: `content.published:${s.id}` },
  ]);
  await audit({
    action: "content.publish",
    entityType: ENTITY,
    entityId: s.id,
    before: { status: s.status, version: s.version },
    after: { status: "PUBLISHED", version: s.version + 1, requestId: request.id, revision: rev.number, publicationId: publication.id, bodySha256: publication.bodySha256, acceptedFindings: acceptedFindings.length },
  });
}

async function onRejected(ctx: ApprovalEffectContext) {
  const { tx, audit, request, actor, comment } = ctx;
  const { s } = await load(ctx);
  if (s.status !== "IN_REVIEW" || s.requestId !== request.id) return;
  const now = new Date();
  await tx.contentRevision.updateMany({
    where: { submissionId: s.id, number: s.currentRevision },
    data: { sentBackById: actor.id, sentBackAt: now, sentBackComment: comment ?? null },
  });
  const { count } = await tx.contentSubmission.updateMany({ where: { id: s.id, status: "IN_REVIEW", requestId: request.id }, data: { status: "CHANGES_REQUESTED", version: { increment: 1 } } });
  if (count !== 1) return;
  await audit({
    action: "content.sendBack",
    entityType: ENTITY,
    entityId: s.id,
    before: { status: s.status, version: s.version },
    after: { status: "CHANGES_REQUESTED", version: s.version + 1, requestId: request.id, revision: s.currentRevision, comment: comment ?? null },
  });
}

async function onWithdrawn(ctx: ApprovalEffectContext) {
  const { tx, audit, request } = ctx;
  const { s } = await load(ctx);
  if (s.status !== "IN_REVIEW" || s.requestId !== request.id) return;
  const { count } = await tx.contentSubmission.updateMany({ where: { id: s.id, status: "IN_REVIEW", requestId: request.id }, data: { status: "DRAFT", version: { increment: 1 } } });
  if (count !== 1) return;
  await audit({ action: "content.withdrawReview", entityType: ENTITY, entityId: s.id, before: { status: s.status, version: s.version }, after: { status: "DRAFT", version: s.version + 1, requestId: request.id } });
}

export const contentPublishEffect: ApprovalEffect = { onApproved, onRejected, onWithdrawn };
