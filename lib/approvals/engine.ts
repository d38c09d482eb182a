import "server-only";
import type { RoleCode } from "@/lib/auth/permissions";
import { addWorkingDays } from "@/lib/calendar";
import { loadCalendar } from "@/lib/calendar/store";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/db";
import { DomainError, stale } from "@/lib/server/errors";
import { canViewRequest, isStepApprover } from "./access";
import { planChain, resolveStep, type ChainStepSpec, type Resolution } from "./chain-resolution";
import { loadDirectoryView } from "./directory-view";
import { APPROVAL_EFFECTS, type ApprovalEffects } from "./effects";
import { COMMENT_MAX, submissionSchema } from "./schemas";
import type { ApprovalEffectContext, ApprovalFacts, ApprovalRequestRef, RequestStatus, RequestType, StepCondition } from "./types";

// The approvals engine (SPEC §3): one engine for every request type. Other capabilities call
// submitApprovalRequest inside their own unit of work; people decide and withdraw through
// lib/approvals/actions.ts. Every function runs in the caller's transaction and audits.
//
// Deadlines: a step activated at `t` is due at addWorkingDays(calendar, t, limit) with the
// default "same-time" position: the same local time on the limit-th working day after t's day
// (docs/calendar.md). A step is overdue when now > dueAt.
//
// Concurrency: deciding and withdrawing first lock the request row (SELECT … FOR UPDATE), so
// everything that changes one request is serialised; the step update is also conditional on the
// step still being PENDING. Of many simultaneous decisions on one step exactly one is recorded,
// the effect runs once, and the others are told "already decided". Lock order: the request row,
// then whatever the effect locks (its subject).

export type EngineContext = { tx: Tx; audit: (event: AuditInput) => Promise<void>; actor: Actor };
export type EngineOptions = {
  /** The effects per request type; tests pass their own. */
  effects?: ApprovalEffects;
  /** The current instant; tests pass a fixed one. */
  now?: Date;
};

export type SubmitApprovalInput = {
  type: RequestType;
  subjectType: string;
  subjectId: string;
  title: string;
  facts: ApprovalFacts;
  payload?: unknown;
};

export type DecideApprovalInput = {
  requestId: string;
  stepId: string;
  decision: "APPROVE" | "REJECT";
  comment?: string;
  expectedVersion?: number;
};

const ID = /^[a-z0-9]{20,40}$/i;
const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) =>
  new DomainError(code, `approvals.errors.${key}`, options);
const notFound = () => err("NOT_FOUND", "notFound");

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  // Dates become ISO strings, functions and undefined fields disappear, as in any JSON document.
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

function dueAt(calendar: Awaited<ReturnType<typeof loadCalendar>>, from: Date, workingDays: number): Date {
  return addWorkingDays(calendar.definition, from, workingDays);
}

// ---------------------------------------------------------------------------------------------
// Submit

export async function submitApprovalRequest(ctx: EngineContext, input: SubmitApprovalInput, options: EngineOptions = {}): Promise<{ id: string }> {
  const { tx, audit, actor } = ctx;
  const parsed = submissionSchema.safeParse(input);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join(".");
    throw err("VALIDATION", "invalidSubmission", { params: { field: field || "?" } });
  }
  const { type, subjectType, subjectId, title, facts } = parsed.data;

  const open = await tx.approvalRequest.findFirst({ where: { type, subjectType, subjectId, status: "PENDING" }, select: { id: true } });
  if (open) throw err("CONFLICT", "duplicatePending");

  const chain = await tx.approvalChain.findUnique({ where: { requestType: type }, include: { steps: { orderBy: { position: "asc" } } } });
  if (!chain) throw new Error(`No approval chain for ${type} (the approvals migration inserts one per type)`);
  const specs: ChainStepSpec[] = chain.steps.map((s) => ({
    position: s.position,
    kind: s.kind,
    role: s.role as RoleCode | null,
    personId: s.personId,
    condition: (s.condition as StepCondition | null) ?? null,
  }));

  const view = await loadDirectoryView(tx, facts.managerOfDepartmentId, specs);
  if (!view) throw err("VALIDATION", "departmentNotFound");
  const plan = planChain(specs, facts, actor.id, view);
  if (!plan.ok) throw err("INVALID_STATE", `noEligible.${plan.role}`, { params: { position: plan.position } });
  const firstIndex = plan.steps.findIndex((s) => s.applies);
  if (firstIndex < 0) throw err("INVALID_STATE", "noApplicableStep");

  const calendar = await loadCalendar(tx, chain.calendarId ?? undefined);
  const now = options.now ?? new Date();
  const id = newId();
  await tx.approvalRequest.create({
    data: {
      id,
      type,
      subjectType,
      subjectId,
      title,
      requesterId: actor.id,
      facts: toJson(facts)!,
      payload: toJson(input.payload),
      status: "PENDING",
      chainId: chain.id,
      chainVersion: chain.version,
      calendarId: calendar.id,
      overdueWorkingDays: chain.overdueWorkingDays,
      createdAt: now,
    },
  });
  const rows = plan.steps.map((s, i) => {
    const active = i === firstIndex;
    return {
      id: newId(),
      requestId: id,
      position: s.position,
      kind: s.kind,
      personId: s.personId,
      condition: toJson(s.condition),
      ...(s.applies
        ? { role: s.resolved.role, approverId: s.resolved.approverId, resolution: toJson(s.resolved.resolution) }
        : { role: s.role, approverId: null }),
      status: !s.applies ? ("SKIPPED" as const) : active ? ("PENDING" as const) : ("WAITING" as const),
      activatedAt: active ? now : null,
      dueAt: active ? dueAt(calendar, now, chain.overdueWorkingDays) : null,
    };
  });
  await tx.approvalRequestStep.createMany({ data: rows });

  await audit({
    action: "approval.submit",
    entityType: "ApprovalRequest",
    entityId: id,
    before: null,
    after: {
      type,
      subjectType,
      subjectId,
      title,
      facts,
      chainVersion: chain.version,
      steps: rows.map((r) => ({ position: r.position, kind: r.kind, role: r.role, approverId: r.approverId, status: r.status, dueAt: r.dueAt })),
    },
  });
  return { id };
}

// ---------------------------------------------------------------------------------------------
// Decide and withdraw

async function lockRequest(tx: Tx, requestId: string) {
  await tx.$queryRaw`SELECT "id" FROM "approval_requests" WHERE "id" = ${requestId} FOR UPDATE`;
  return tx.approvalRequest.findUnique({ where: { id: requestId }, include: { steps: { orderBy: { position: "asc" } } } });
}

type LockedRequest = NonNullable<Awaited<ReturnType<typeof lockRequest>>>;

function refOf(request: LockedRequest): ApprovalRequestRef {
  return {
    id: request.id,
    type: request.type,
    subjectType: request.subjectType,
    subjectId: request.subjectId,
    requesterId: request.requesterId,
    payload: request.payload,
  };
}

/** Ends the request (it is still PENDING: the row is locked and was checked). */
async function closeRequest(tx: Tx, request: LockedRequest, status: Exclude<RequestStatus, "PENDING">, now: Date) {
  const { count } = await tx.approvalRequest.updateMany({
    where: { id: request.id, status: "PENDING", version: request.version },
    data: { status, closedAt: now, version: { increment: 1 } },
  });
  if (count !== 1) throw err("INVALID_STATE", "notPending");
}

/**
 * The next step becomes PENDING with its due time. A named approver who has left or gone
 * inactive since submission is resolved again (their department's manager line, or ADMIN).
 */
async function activateStep(tx: Tx, request: LockedRequest, step: LockedRequest["steps"][number], now: Date) {
  let approverId = step.approverId;
  let role = step.role;
  let resolution = step.resolution as Resolution | null;
  if (approverId) {
    const approver = await tx.employee.findUnique({ where: { id: approverId }, select: { status: true } });
    if (approver?.status !== "ACTIVE") {
      const facts = request.facts as ApprovalFacts;
      const spec = { kind: step.kind, role: step.kind === "ROLE" ? (step.role as RoleCode | null) : null, personId: step.personId };
      const view = await loadDirectoryView(tx, facts.managerOfDepartmentId, [spec]);
      const again = view ? resolveStep(spec, request.requesterId, view) : null;
      if (again?.ok) {
        approverId = again.approverId;
        role = again.role;
        resolution = again.resolution;
      }
    }
  }
  const calendar = await loadCalendar(tx, request.calendarId);
  await tx.approvalRequestStep.update({
    where: { id: step.id },
    data: {
      status: "PENDING",
      approverId,
      role,
      resolution: toJson(resolution),
      activatedAt: now,
      dueAt: dueAt(calendar, now, request.overdueWorkingDays),
      version: { increment: 1 },
    },
  });
}

export async function decideApprovalStep(ctx: EngineContext, input: DecideApprovalInput, options: EngineOptions = {}): Promise<{ status: RequestStatus }> {
  const { tx, audit, actor } = ctx;
  const effects = options.effects ?? APPROVAL_EFFECTS;
  // Forged or malformed ids match nothing: the same answer as a request one may not see.
  if (!ID.test(input.requestId ?? "") || !ID.test(input.stepId ?? "")) throw notFound();
  if (input.decision !== "APPROVE" && input.decision !== "REJECT") throw err("VALIDATION", "invalidDecision", { field: "decision" });
  const comment = input.comment?.trim() || undefined;
  if (comment && comment.length > COMMENT_MAX) throw new DomainError("VALIDATION", "errors.v.tooLong", { field: "comment", params: { max: COMMENT_MAX } });

  const request = await lockRequest(tx, input.requestId);
  if (!request || !canViewRequest(actor, request)) throw notFound();
  const step = request.steps.find((s) => s.id === input.stepId);
  if (!step) throw err("NOT_FOUND", "stepNotFound");
  if (step.status === "APPROVED" || step.status === "REJECTED") throw err("INVALID_STATE", "alreadyDecided");
  if (request.status !== "PENDING") throw err("INVALID_STATE", "notPending");
  if (step.status !== "PENDING") throw err("INVALID_STATE", "stepNotActive");
  if (request.requesterId === actor.id) throw err("FORBIDDEN", "ownRequest");
  if (!isStepApprover(actor, step)) throw err("FORBIDDEN", "notYourStep");
  if (!step.approverId) {
    // A role's holders decide only while ACTIVE (an offboarding holder no longer does).
    const me = await tx.employee.findUnique({ where: { id: actor.id }, select: { status: true } });
    if (me?.status !== "ACTIVE") throw err("FORBIDDEN", "notYourStep");
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== request.version) throw stale();
  if (input.decision === "REJECT" && !comment) throw err("VALIDATION", "commentRequired", { field: "comment" });

  const now = options.now ?? new Date();
  const decided = await tx.approvalRequestStep.updateMany({
    where: { id: step.id, status: "PENDING" },
    data: {
      status: input.decision === "APPROVE" ? "APPROVED" : "REJECTED",
      decidedById: actor.id,
      decidedAt: now,
      comment: comment ?? null,
      version: { increment: 1 },
    },
  });
  if (decided.count !== 1) throw err("INVALID_STATE", "alreadyDecided");

  let status: RequestStatus = "PENDING";
  let next: LockedRequest["steps"][number] | undefined;
  if (input.decision === "REJECT") {
    await tx.approvalRequestStep.updateMany({ where: { requestId: request.id, status: "WAITING" }, data: { status: "CANCELLED", version: { increment: 1 } } });
    await closeRequest(tx, request, "REJECTED", now);
    status = "REJECTED";
  } else {
    next = request.steps.find((s) => s.position > step.position && s.status === "WAITING");
    if (next) {
      await activateStep(tx, request, next, now);
      const { count } = await tx.approvalRequest.updateMany({ where: { id: request.id, status: "PENDING", version: request.version }, data: { version: { increment: 1 } } });
      if (count !== 1) throw err("INVALID_STATE", "alreadyDecided");
    } else {
      await closeRequest(tx, request, "APPROVED", now);
      status = "APPROVED";
    }
  }

  await audit({
    action: input.decision === "APPROVE" ? "approval.approve" : "approval.reject",
    entityType: "ApprovalRequest",
    entityId: request.id,
    before: { status: request.status, step: { id: step.id, position: step.position, status: step.status } },
    after: {
      status,
      step: { id: step.id, position: step.position, status: input.decision === "APPROVE" ? "APPROVED" : "REJECTED", comment: comment ?? null },
      ...(next ? { nextStep: { id: next.id, position: next.position } } : {}),
    },
  });

  const effectCtx: ApprovalEffectContext = { tx, audit, actor, request: refOf(request), comment };
  if (status === "APPROVED") await effects[request.type].onApproved(effectCtx);
  if (status === "REJECTED") await effects[request.type].onRejected(effectCtx);
  return { status };
}

export async function withdrawApprovalRequest(ctx: EngineContext, input: { requestId: string }, options: EngineOptions = {}): Promise<{ status: "WITHDRAWN" }> {
  const { tx, audit, actor } = ctx;
  const effects = options.effects ?? APPROVAL_EFFECTS;
  if (!ID.test(input.requestId ?? "")) throw notFound();
  const request = await lockRequest(tx, input.requestId);
  if (!request || !canViewRequest(actor, request)) throw notFound();
  if (request.requesterId !== actor.id) throw err("FORBIDDEN", "onlyRequesterWithdraws");
  if (request.status !== "PENDING") throw err("INVALID_STATE", "cannotWithdraw");

  const now = options.now ?? new Date();
  await tx.approvalRequestStep.updateMany({
    where: { requestId: request.id, status: { in: ["PENDING", "WAITING"] } },
    data: { status: "CANCELLED", version: { increment: 1 } },
  });
  await closeRequest(tx, request, "WITHDRAWN", now);
  await audit({
    action: "approval.withdraw",
    entityType: "ApprovalRequest",
    entityId: request.id,
    before: { status: "PENDING" },
    after: { status: "WITHDRAWN" },
  });
  await effects[request.type].onWithdrawn({ tx, audit, actor, request: refOf(request) });
  return { status: "WITHDRAWN" };
}
