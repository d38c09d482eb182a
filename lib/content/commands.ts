import "server-only";
import { canViewRequest, isStepApprover } from "@/lib/approvals/access";
import { decideApprovalStep, submitApprovalRequest, withdrawApprovalRequest, type EngineOptions } from "@/lib/approvals/engine";
import type { ApprovalPayload } from "@/lib/approvals/types";
import type { Permission } from "@/lib/auth/permissions";
import { newId } from "@/lib/ids";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/db";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import { dayKey, expiredAssets, type LicenceType } from "./media-check";
import { findingsFor, loadRules } from "./rules";
import {
  EDITABLE_STATUSES,
  toPlannedValue,
  type AcceptFindingInput,
  type ContentStatus,
  type ReviewDecisionInput,
  type SubmissionCreateInput,
  type SubmissionRefInput,
  type SubmissionReviseInput,
} from "./schemas";

// Writes of content compliance (SPEC §11): submissions and their revisions, review through the
// approvals engine (CONTENT_PUBLISH), accepting findings. Each runs in the caller's transaction
// and audits there. Refusals are DomainErrors with `content.errors.*` keys.
//
// A submission's life: DRAFT → (submit) IN_REVIEW → the chain approves: PUBLISHED (the effect
// writes the publication record) | a reviewer sends it back: CHANGES_REQUESTED → the author
// writes a new revision → … ; the author may withdraw the review (back to DRAFT) or abandon a
// draft (WITHDRAWN). A new revision while IN_REVIEW first withdraws the pending request: a
// request always concerns the revision that was current when it was asked, so a decision on an
// older revision is refused.

export const SUBMISSION_ENTITY = "ContentSubmission";
const LIVE_ACCOUNT_STATUSES = ["ACTIVE", "SUSPENDED", "HANDOVER", "REASSIGNED"] as const;

export type ContentCommandContext = { actor: Actor; tx: Tx; audit: (event: AuditInput) => Promise<void> };
export type ContentOptions = EngineOptions;

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) =>
  new DomainError(code, `content.errors.${key}`, options);

function requireAny(actor: Pick<Actor, "permissions">, ...permissions: Permission[]) {
  if (!permissions.some((p) => actor.permissions.has(p))) throw forbidden();
}

async function lockedSubmission(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT "id" FROM "content_submissions" WHERE "id" = ${id} FOR UPDATE`;
  return tx.contentSubmission.findUnique({ where: { id } });
}

/**
 * The submission locked in the engine's lock order: its pending approval request first, then the
 * submission (a decision in the approvals inbox locks the request, then its effect locks the
 * submission; taking them the other way round could deadlock with it).
 */
async function lockedInEngineOrder(tx: Tx, id: string) {
  const peek = await tx.contentSubmission.findUnique({ where: { id }, select: { requestId: true } });
  if (peek?.requestId) await tx.$queryRaw`SELECT "id" FROM "approval_requests" WHERE "id" = ${peek.requestId} FOR UPDATE`;
  return lockedSubmission(tx, id);
}
type LoadedSubmission = NonNullable<Awaited<ReturnType<typeof lockedSubmission>>>;

/** The author's own submission (others get "not found": they may not edit what they cannot see). */
async function ownSubmission(ctx: ContentCommandContext, id: string, expectedVersion?: number): Promise<LoadedSubmission> {
  const s = await lockedInEngineOrder(ctx.tx, id);
  if (!s || s.authorId !== ctx.actor.id) throw notFound();
  if (expectedVersion !== undefined && s.version !== expectedVersion) throw stale();
  return s;
}

function requireStatus(s: LoadedSubmission, statuses: readonly ContentStatus[]) {
  if (!statuses.includes(s.status)) throw err("INVALID_STATE", "wrongStatus", { params: { status: s.status } });
}

async function resolveAccount(tx: Tx, input: { accountId?: string; accountName?: string }): Promise<{ accountId: string | null; accountName: string }> {
  if (!input.accountId) return { accountId: null, accountName: input.accountName! };
  const account = await tx.account.findUnique({ where: { id: input.accountId }, select: { id: true, displayName: true, status: true } });
  if (!account || !(LIVE_ACCOUNT_STATUSES as readonly string[]).includes(account.status)) throw err("VALIDATION", "accountNotLive", { field: "accountId" });
  return { accountId: account.id, accountName: account.displayName };
}

/** The chosen media: they must exist, and none may have a licence that has already ended. */
async function chosenMedia(tx: Tx, ids: readonly string[], now: Date) {
  const unique = [...new Set(ids)];
  const assets = await tx.mediaAsset.findMany({ where: { id: { in: unique } }, select: { id: true, name: true, licenceType: true, licenceExpiresOn: true } });
  if (assets.length !== unique.length) throw err("VALIDATION", "mediaNotFound", { field: "mediaIds" });
  const expired = expiredAssets(assets as Array<(typeof assets)[number] & { licenceType: LicenceType }>, now);
  if (expired.length) {
    throw err("VALIDATION", "mediaExpired", {
      field: "mediaIds",
      params: { names: expired.map((a) => `${a.name}（${dayKey(a.licenceExpiresOn!)}）`).join("、") },
    });
  }
  return assets.map((a) => ({ ...a, licenceType: a.licenceType as LicenceType }));
}

type RevisionContent = { title: string; body: string; mediaIds: string[]; plannedAt: Date; note?: string };

/** Writes revision `number` with its media and findings; returns the findings' count. */
async function writeRevision(ctx: ContentCommandContext, submissionId: string, number: number, content: RevisionContent, now: Date) {
  const media = await chosenMedia(ctx.tx, content.mediaIds, now);
  const rules = await loadRules(ctx.tx);
  const findings = findingsFor(rules, content.body, media, content.plannedAt);
  const revisionId = newId();
  await ctx.tx.contentRevision.create({
    data: { id: revisionId, submissionId, number, title: content.title, body: content.body, authorId: ctx.actor.id, note: content.note ?? null, createdAt: now },
  });
  if (media.length) await ctx.tx.contentRevisionMedia.createMany({ data: media.map((m) => ({ revisionId, assetId: m.id })) });
  if (findings.length) await ctx.tx.contentFinding.createMany({ data: findings.map((f) => ({ id: newId(), revisionId, ...f, createdAt: now })) });
  return { revisionId, findings };
}

function findingSummary(findings: ReadonlyArray<{ ruleCode: string; term: string }>) {
  return findings.map((f) => `${f.ruleCode}:${f.term}`);
}

// ---------------------------------------------------------------------------------------------
// Create and revise

export async function createSubmission(ctx: ActionContext<SubmissionCreateInput>, options: ContentOptions = {}): Promise<{ id: string; status: ContentStatus; findings: number }> {
  const { actor, input, tx, audit } = ctx;
  requireAny(actor, "content.submit");
  const now = options.now ?? new Date();
  const account = await resolveAccount(tx, input);
  const id = newId();
  await tx.contentSubmission.create({
    data: { id, kind: input.kind, title: input.title, authorId: actor.id, departmentId: actor.departmentId, ...account, plannedAt: input.plannedAt, status: "DRAFT", currentRevision: 1, createdAt: now },
  });
  const { findings } = await writeRevision(ctx, id, 1, input, now);
  await audit({
    action: "content.create",
    entityType: SUBMISSION_ENTITY,
    entityId: id,
    before: null,
    after: { kind: input.kind, title: input.title, accountName: account.accountName, plannedAt: input.plannedAt, revision: 1, bodyChars: input.body.length, mediaIds: input.mediaIds, findings: findingSummary(findings) },
  });
  if (input.intent === "submit") {
    const submitted = await submitForReview(ctx, await ownSubmission(ctx, id), now, options);
    return { id, status: submitted.status, findings: findings.length };
  }
  return { id, status: "DRAFT", findings: findings.length };
}

export async function reviseSubmission(ctx: ActionContext<SubmissionReviseInput>, options: ContentOptions = {}): Promise<{ id: string; status: ContentStatus; revision: number; findings: number }> {
  const { actor, input, tx, audit } = ctx;
  requireAny(actor, "content.submit");
  const now = options.now ?? new Date();
  let s = await ownSubmission(ctx, input.id, input.version);
  requireStatus(s, EDITABLE_STATUSES);
  // Checked before anything changes: an expired licence refuses the revision, the review stays.
  await chosenMedia(tx, input.mediaIds, now);
  if (s.status === "IN_REVIEW" && s.requestId) {
    await withdrawApprovalRequest({ tx, audit, actor }, { requestId: s.requestId }, options);
    s = (await lockedSubmission(tx, s.id))!;
  }
  const account = await resolveAccount(tx, input);
  const number = s.currentRevision + 1;
  const { findings } = await writeRevision(ctx, s.id, number, input, now);
  const { count } = await tx.contentSubmission.updateMany({
    where: { id: s.id, version: s.version },
    data: { kind: input.kind, title: input.title, ...account, plannedAt: input.plannedAt, currentRevision: number, status: "DRAFT", version: { increment: 1 } },
  });
  if (count !== 1) throw stale();
  await audit({
    action: "content.revise",
    entityType: SUBMISSION_ENTITY,
    entityId: s.id,
    before: { status: s.status, revision: s.currentRevision, title: s.title, plannedAt: s.plannedAt, accountName: s.accountName, version: s.version },
    after: { status: "DRAFT", revision: number, title: input.title, plannedAt: input.plannedAt, accountName: account.accountName, version: s.version + 1, note: input.note ?? null, mediaIds: input.mediaIds, findings: findingSummary(findings) },
  });
  if (input.intent === "submit") {
    const submitted = await submitForReview(ctx, (await lockedSubmission(tx, s.id))!, now, options);
    return { id: s.id, status: submitted.status, revision: number, findings: findings.length };
  }
  return { id: s.id, status: "DRAFT", revision: number, findings: findings.length };
}

// ---------------------------------------------------------------------------------------------
// Review

async function submitForReview(ctx: ContentCommandContext, s: LoadedSubmission, now: Date, options: ContentOptions): Promise<{ status: ContentStatus; requestId: string }> {
  const { tx, audit, actor } = ctx;
  requireStatus(s, ["DRAFT", "CHANGES_REQUESTED"]);
  const revision = await tx.contentRevision.findUniqueOrThrow({
    where: { submissionId_number: { submissionId: s.id, number: s.currentRevision } },
    include: { media: { select: { assetId: true } }, findings: { select: { id: true } } },
  });
  // Time passed since the revision was written: a licence may have ended meanwhile.
  await chosenMedia(tx, revision.media.map((m) => m.assetId), now);
  const payload: ApprovalPayload = {
    subjectHref: `/content/${s.id}`,
    submissionId: s.id,
    revision: s.currentRevision,
    summary: [
      { labelKey: "content.fields.kind", valueKey: `content.kind.${s.kind}` },
      { labelKey: "content.fields.title", value: revision.title },
      { labelKey: "content.fields.account", value: s.accountName },
      { labelKey: "content.fields.plannedAt", value: `${toPlannedValue(s.plannedAt).replace("T", " ")} (UTC+8)` },
      { labelKey: "content.fields.revision", value: s.currentRevision },
      { labelKey: "content.fields.findings", value: revision.findings.length },
    ],
  };
  const request = await submitApprovalRequest(
    { tx, audit, actor },
    { type: "CONTENT_PUBLISH", subjectType: SUBMISSION_ENTITY, subjectId: s.id, title: revision.title, facts: { managerOfDepartmentId: s.departmentId }, payload },
    options,
  );
  const { count } = await tx.contentSubmission.updateMany({
    where: { id: s.id, version: s.version, status: s.status },
    data: { status: "IN_REVIEW", requestId: request.id, version: { increment: 1 } },
  });
  if (count !== 1) throw stale();
  await audit({
    action: "content.submit",
    entityType: SUBMISSION_ENTITY,
    entityId: s.id,
    before: { status: s.status, version: s.version },
    after: { status: "IN_REVIEW", version: s.version + 1, revision: s.currentRevision, requestId: request.id, findings: revision.findings.length },
  });
  return { status: "IN_REVIEW", requestId: request.id };
}

export async function submitSubmission(ctx: ActionContext<SubmissionRefInput>, options: ContentOptions = {}): Promise<{ id: string; status: ContentStatus }> {
  requireAny(ctx.actor, "content.submit");
  const s = await ownSubmission(ctx, ctx.input.id, ctx.input.version);
  const { status } = await submitForReview(ctx, s, options.now ?? new Date(), options);
  return { id: s.id, status };
}

/** The author takes the content back from review (DRAFT again; the request is WITHDRAWN). */
export async function withdrawReview(ctx: ActionContext<SubmissionRefInput>, options: ContentOptions = {}): Promise<{ id: string; status: ContentStatus }> {
  const s = await ownSubmission(ctx, ctx.input.id, ctx.input.version);
  requireStatus(s, ["IN_REVIEW"]);
  await withdrawApprovalRequest({ tx: ctx.tx, audit: ctx.audit, actor: ctx.actor }, { requestId: s.requestId! }, options);
  return { id: s.id, status: "DRAFT" };
}

/** The author gives up a draft or sent-back content (WITHDRAWN, kept with its history). */
export async function abandonSubmission(ctx: ActionContext<SubmissionRefInput>): Promise<{ id: string; status: ContentStatus }> {
  const s = await ownSubmission(ctx, ctx.input.id, ctx.input.version);
  requireStatus(s, ["DRAFT", "CHANGES_REQUESTED"]);
  const { count } = await ctx.tx.contentSubmission.updateMany({ where: { id: s.id, version: s.version }, data: { status: "WITHDRAWN", version: { increment: 1 } } });
  if (count !== 1) throw stale();
  await ctx.audit({ action: "content.abandon", entityType: SUBMISSION_ENTITY, entityId: s.id, before: { status: s.status, version: s.version }, after: { status: "WITHDRAWN", version: s.version + 1 } });
  return { id: s.id, status: "WITHDRAWN" };
}

/** The submission under review at `revision`, and its pending step if the actor decides it. */
async function reviewTarget(ctx: ContentCommandContext, id: string, revision: number) {
  const s = await lockedInEngineOrder(ctx.tx, id);
  if (!s) throw notFound();
  const request = s.requestId ? await ctx.tx.approvalRequest.findUnique({ where: { id: s.requestId }, include: { steps: { orderBy: { position: "asc" } } } }) : null;
  const step = request?.status === "PENDING" ? request.steps.find((x) => x.status === "PENDING") : undefined;
  const mine = step && s.authorId !== ctx.actor.id && isStepApprover(ctx.actor, step);
  const visible = s.authorId === ctx.actor.id || ctx.actor.permissions.has("content.read:all") || (request !== null && canViewRequest(ctx.actor, request));
  if (!visible) throw notFound();
  if (revision !== s.currentRevision) throw err("INVALID_STATE", "oldRevision", { params: { revision, current: s.currentRevision } });
  if (s.status !== "IN_REVIEW" || !request || !step) throw err("INVALID_STATE", "notInReview");
  if (!mine) throw err("FORBIDDEN", "notReviewer");
  return { s, request, step };
}

/** A reviewer accepts one finding of the revision under review, with the reason (an exemption
 * of the SAMR guideline, a registered trademark, a provable fact...). */
export async function acceptFinding(ctx: ActionContext<AcceptFindingInput>, options: ContentOptions = {}): Promise<{ id: string; findingId: string }> {
  const { input, tx, audit, actor } = ctx;
  const { s } = await reviewTarget(ctx, input.id, input.revision);
  const revision = await tx.contentRevision.findUniqueOrThrow({ where: { submissionId_number: { submissionId: s.id, number: s.currentRevision } }, select: { id: true } });
  const finding = await tx.contentFinding.findFirst({ where: { id: input.findingId, revisionId: revision.id } });
  if (!finding) throw err("NOT_FOUND", "findingNotFound");
  if (finding.acceptedById) throw err("INVALID_STATE", "findingAccepted");
  const now = options.now ?? new Date();
  const { count } = await tx.contentFinding.updateMany({
    where: { id: finding.id, acceptedById: null },
    data: { acceptedById: actor.id, acceptedAt: now, acceptReason: input.reason },
  });
  if (count !== 1) throw err("INVALID_STATE", "findingAccepted");
  await audit({
    action: "content.acceptFinding",
    entityType: SUBMISSION_ENTITY,
    entityId: s.id,
    before: { findingId: finding.id, accepted: false },
    after: { findingId: finding.id, accepted: true, revision: s.currentRevision, rule: finding.ruleCode, article: finding.article, term: finding.term, reason: input.reason },
  });
  return { id: s.id, findingId: finding.id };
}

/** Approve or send back the revision under review (the engine decides the step; the last
 * approval publishes through the CONTENT_PUBLISH effect). A decision naming an older revision
 * is refused. */
export async function decideReview(ctx: ActionContext<ReviewDecisionInput>, options: ContentOptions = {}): Promise<{ id: string; status: string }> {
  const { input, tx, audit, actor } = ctx;
  const { s, request, step } = await reviewTarget(ctx, input.id, input.revision);
  const { status } = await decideApprovalStep({ tx, audit, actor }, { requestId: request.id, stepId: step.id, decision: input.decision, comment: input.comment }, options);
  return { id: s.id, status };
}
