import "server-only";
import type { RoleCode } from "@/lib/auth/permissions";
import { addWorkingDays } from "@/lib/calendar";
import { loadCalendar } from "@/lib/calendar/store";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { sendNotifications } from "@/lib/notifications/store";
import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/db";
import { DomainError, stale } from "@/lib/server/errors";
import { canViewRequest, isStepApprover } from "./access";
import { fallbackRolesOf, passesAutomatically, planChain, type ChainStepSpec, type DirectoryView, type Resolution } from "./chain-resolution";
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
// Segregation of duties (issue 13): the requester decides no step, and nobody decides two steps
// of one request. The chain is planned at submission so that this is possible (falling back to
// the chain's fallback roles where needed: chain-resolution.ts); deciding refuses the requester
// and anyone who decided another step, and refuses a holder of a role whose decision would leave
// a later step to pass automatically when another holder's would not. The next step is resolved
// again when it becomes due if its approver has left, decided an earlier step, or its role has
// nobody left.
//
// Every chain resolves (issue 13 item 4): a step whose only possible deciders are the requester or
// the deciders of other steps passes automatically (status AUTO_APPROVED, decided by nobody, its
// reason in the resolution, audited as approval.autoPass) when it becomes due, unless by then
// someone can decide it. Leading steps pass at submission; a request whose every step would pass
// automatically is refused (it needs one real decision by someone other than the requester).
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

  const fallbackRoles = fallbackRolesOf(chain.fallbackRoles);
  const view = await loadDirectoryView(tx, facts.managerOfDepartmentId, specs, fallbackRoles);
  if (!view) throw err("VALIDATION", "departmentNotFound");
  const plan = planChain(specs, facts, actor.id, view, { fallbackRoles });
  if (!plan.ok) throw err("INVALID_STATE", `noEligible.${plan.role}`, { params: { position: plan.position } });
  // The first step someone decides becomes PENDING; the steps before it pass automatically now.
  const firstIndex = plan.steps.findIndex((s) => s.applies && !passesAutomatically(s.resolved));
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
      fallbackRoles,
      createdAt: now,
    },
  });
  const rows = plan.steps.map((s, i) => {
    const active = i === firstIndex;
    const passed = i < firstIndex && s.applies;
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
      status: !s.applies ? ("SKIPPED" as const) : active ? ("PENDING" as const) : passed ? ("AUTO_APPROVED" as const) : ("WAITING" as const),
      activatedAt: active || passed ? now : null,
      decidedAt: passed ? now : null,
      dueAt: active ? dueAt(calendar, now, chain.overdueWorkingDays) : null,
    };
  });
  await tx.approvalRequestStep.createMany({ data: rows });
  const first = rows[firstIndex];
  await notifyStepWaiting(tx, { requestId: id, title, requesterId: actor.id }, { id: first.id, approverId: first.approverId, role: first.role, dueAt: first.dueAt }, now);

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
      fallbackRoles,
      steps: rows.map((r) => ({ position: r.position, kind: r.kind, role: r.role, approverId: r.approverId, status: r.status, dueAt: r.dueAt })),
    },
  });
  for (const row of rows) if (row.status === "AUTO_APPROVED") await auditAutoPass(audit, id, row, null);
  return { id };
}

/** A step that passed automatically: its own audit event, with the reason. */
async function auditAutoPass(audit: EngineContext["audit"], requestId: string, step: { id: string; position: number; resolution?: unknown }, before: "WAITING" | null) {
  await audit({
    action: "approval.autoPass",
    entityType: "ApprovalRequest",
    entityId: requestId,
    before: before ? { step: { id: step.id, position: step.position, status: before } } : null,
    after: { step: { id: step.id, position: step.position, status: "AUTO_APPROVED" }, resolution: step.resolution ?? null },
  });
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

type RequestStep = LockedRequest["steps"][number];

/** A waiting step as its chain step was (a ROLE step that fell back keeps its own role in the
 * resolution); its condition already applied. */
function specOf(step: RequestStep): ChainStepSpec {
  const resolution = step.resolution as Resolution | null;
  const role = step.kind !== "ROLE" ? null : resolution?.code === "ROLE_FALLBACK" ? resolution.role : (step.role as RoleCode | null);
  return { position: step.position, kind: step.kind, role, personId: step.personId, condition: null };
}

/** The steps still WAITING, planned again for a set of deciders (who decided a step, the one
 * deciding now included), and the directory view it is planned on. `current` is the step being
 * decided: its role's holders are read too, to compare who else could decide it. */
async function planRemaining(tx: Tx, request: LockedRequest, current: RequestStep) {
  const waiting = request.steps.filter((s) => s.status === "WAITING");
  const specs = waiting.map(specOf);
  const fallbackRoles = fallbackRolesOf(request.fallbackRoles);
  // The roles the stored steps name (a fallback role included), to check them as they stand.
  const stored = [current, ...waiting].flatMap((s) => (s.role ? [{ kind: "ROLE" as const, role: s.role as RoleCode, personId: null }] : []));
  const view = await loadDirectoryView(tx, (request.facts as ApprovalFacts).managerOfDepartmentId, [...specs, ...stored], fallbackRoles);
  const plan = (deciders: ReadonlySet<string>) => (view ? planChain(specs, {}, request.requesterId, view, { excluded: deciders, fallbackRoles, requireDecision: false }) : null);
  return { plan, view };
}

type Remaining = Awaited<ReturnType<typeof planRemaining>>;

/** The positions a plan of the remaining steps lets pass automatically. */
function autoPassedIn(plan: ReturnType<Remaining["plan"]>): number[] {
  if (!plan?.ok) return [];
  return plan.steps.flatMap((p) => (p.applies && passesAutomatically(p.resolved) ? [p.position] : []));
}

/** The step's decider (or, for a role step, the role's active holders but the requester) hears
 * that it waits for them, with its due time (lib/notifications). The inbox count already shows it
 * on the home page, so the notification is recorded read there. */
async function notifyStepWaiting(tx: Tx, r: { requestId: string; title: string; requesterId: string }, step: { id: string; approverId: string | null; role: string | null; dueAt: Date | null }, now: Date) {
  const recipients = step.approverId
    ? [step.approverId]
    : step.role
      ? (await tx.employee.findMany({ where: { status: "ACTIVE", id: { not: r.requesterId }, roles: { some: { role: step.role as RoleCode } } }, select: { id: true }, take: 50 })).map((e) => e.id)
      : [];
  await sendNotifications(
    tx,
    recipients.map((recipientId) => ({
      recipientId,
      kind: "approvals.waiting",
      messageKey: "approvals.notify.waiting",
      params: { title: r.title },
      href: `/approvals/${r.requestId}`,
      dedupeKey: `approvals.waiting:${step.id}:${recipientId}`,
      deadline: step.dueAt,
      homePage: false,
    })),
    now,
  );
}

/**
 * The next step becomes due. It keeps the decider found at submission unless that no longer holds:
 * a named approver who has left or gone inactive, or decided an earlier step; a role with nobody
 * left but the requester and earlier deciders; a step that was to pass automatically. Then it
 * takes what the plan of the remaining steps gives it (another manager up the line, the fallback,
 * or nobody). With a decider it becomes PENDING with its due time; with nobody it passes
 * automatically (AUTO_APPROVED) and the caller moves on to the next step.
 */
async function activateStep(tx: Tx, request: LockedRequest, step: RequestStep, now: Date, deciders: ReadonlySet<string>, remaining: Remaining): Promise<{ status: "PENDING" | "AUTO_APPROVED"; resolution: Resolution | null }> {
  let approverId = step.approverId;
  let role = step.role;
  let resolution = step.resolution as Resolution | null;
  const holds = async (view: DirectoryView | null) => {
    if (resolution?.code === "AUTO_PASSED") return false;
    if (approverId) {
      if (deciders.has(approverId)) return false;
      const approver = await tx.employee.findUnique({ where: { id: approverId }, select: { status: true } });
      return approver?.status === "ACTIVE";
    }
    return !!role && !!view && view.activeRoleHolders(role as RoleCode).some((id) => id !== request.requesterId && !deciders.has(id));
  };
  const plan = remaining.plan(deciders);
  if (!(await holds(remaining.view)) && plan?.ok) {
    const planned = plan.steps.find((p) => p.position === step.position);
    if (planned?.applies) {
      approverId = planned.resolved.approverId;
      role = planned.resolved.role;
      resolution = planned.resolved.resolution;
    }
  }
  if (resolution?.code === "AUTO_PASSED") {
    const { count } = await tx.approvalRequestStep.updateMany({
      where: { id: step.id, status: "WAITING" },
      data: { status: "AUTO_APPROVED", approverId: null, role, resolution: toJson(resolution), activatedAt: now, decidedAt: now, version: { increment: 1 } },
    });
    if (count !== 1) throw err("INVALID_STATE", "alreadyDecided");
    return { status: "AUTO_APPROVED", resolution };
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
  await notifyStepWaiting(tx, { requestId: request.id, title: request.title, requesterId: request.requesterId }, { id: step.id, approverId, role, dueAt: dueAt(calendar, now, request.overdueWorkingDays) }, now);
  return { status: "PENDING", resolution };
}

/** After an approval: the steps after `decided` become due in order, until one is PENDING (it is
 * returned) or none is left; those passing automatically on the way are returned too. */
async function advance(tx: Tx, request: LockedRequest, decided: RequestStep, now: Date, deciders: ReadonlySet<string>, remaining: Remaining) {
  const passed: { step: RequestStep; resolution: Resolution | null }[] = [];
  for (const step of request.steps.filter((s) => s.position > decided.position && s.status === "WAITING")) {
    const { status, resolution } = await activateStep(tx, request, step, now, deciders, remaining);
    if (status === "PENDING") return { pending: step, passed };
    passed.push({ step, resolution });
  }
  return { pending: null, passed };
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
  if (step.status === "APPROVED" || step.status === "REJECTED" || step.status === "AUTO_APPROVED") throw err("INVALID_STATE", "alreadyDecided");
  if (request.status !== "PENDING") throw err("INVALID_STATE", "notPending");
  if (step.status !== "PENDING") throw err("INVALID_STATE", "stepNotActive");
  if (request.requesterId === actor.id) throw err("FORBIDDEN", "ownRequest");
  if (!isStepApprover(actor, step)) throw err("FORBIDDEN", "notYourStep");
  if (!step.approverId) {
    // A role's holders decide only while ACTIVE (an offboarding holder no longer does).
    const me = await tx.employee.findUnique({ where: { id: actor.id }, select: { status: true } });
    if (me?.status !== "ACTIVE") throw err("FORBIDDEN", "notYourStep");
  }
  // Nobody decides two steps of one request (e.g. a manager who also holds ADMIN).
  const other = request.steps.find((s) => s.id !== step.id && s.decidedById === actor.id);
  if (other) throw err("FORBIDDEN", "decidedAnotherStep", { params: { position: other.position } });
  if (input.expectedVersion !== undefined && input.expectedVersion !== request.version) throw stale();
  if (input.decision === "REJECT" && !comment) throw err("VALIDATION", "commentRequired", { field: "comment" });

  const now = options.now ?? new Date();
  const next = input.decision === "APPROVE" ? request.steps.find((s) => s.position > step.position && s.status === "WAITING") : undefined;
  const earlier = request.steps.flatMap((s) => (s.decidedById ? [s.decidedById] : []));
  const deciders = new Set([...earlier, actor.id]);
  const remaining = next ? await planRemaining(tx, request, step) : null;
  // A role's holder whose approval would leave a later step to pass automatically, when another
  // holder's would not, leaves this step to that holder (segregation of duties holds wherever
  // someone else can decide). A named approver is the only one who can decide their step: theirs
  // goes on, and a later step with nobody left passes automatically.
  if (remaining?.view && !step.approverId && step.role) {
    const mine = autoPassedIn(remaining.plan(deciders));
    if (mine.length > 0) {
      const others = remaining.view.activeRoleHolders(step.role as RoleCode).filter((id) => id !== actor.id && id !== request.requesterId && !earlier.includes(id));
      const best = others.map((id) => autoPassedIn(remaining.plan(new Set([...earlier, id])))).sort((a, b) => a.length - b.length)[0];
      if (best && best.length < mine.length) {
        throw err("FORBIDDEN", "wouldLeaveNoDecider", { params: { position: mine.find((p) => !best.includes(p)) ?? mine[0] } });
      }
    }
  }
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
  let advanced: Awaited<ReturnType<typeof advance>> = { pending: null, passed: [] };
  if (input.decision === "REJECT") {
    await tx.approvalRequestStep.updateMany({ where: { requestId: request.id, status: "WAITING" }, data: { status: "CANCELLED", version: { increment: 1 } } });
    await closeRequest(tx, request, "REJECTED", now);
    status = "REJECTED";
  } else {
    if (next && remaining) advanced = await advance(tx, request, step, now, deciders, remaining);
    if (advanced.pending) {
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
      ...(advanced.pending ? { nextStep: { id: advanced.pending.id, position: advanced.pending.position } } : {}),
      ...(advanced.passed.length ? { autoPassed: advanced.passed.map((p) => p.step.position) } : {}),
    },
  });
  for (const { step: passed, resolution } of advanced.passed) await auditAutoPass(audit, request.id, { id: passed.id, position: passed.position, resolution }, "WAITING");

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
