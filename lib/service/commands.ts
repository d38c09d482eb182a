import "server-only";
import { loadCalendar } from "@/lib/calendar/store";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/db";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import { CASE_ENTITY, escalateIfBreached } from "./escalation";
import type { AssignInput, CaseRefInput, CloseInput, CreateCaseInput, FirstResponseInput, PauseInput, ResolveInput } from "./schemas";
import { caseScope, mayAssignInTeam } from "./scope";
import { dueAfterPause, initialDueTimes, matchPolicy, nextDue, usedSeconds, type CaseStatus, type CaseType, type Priority, type ServiceChannel, type SlaClock } from "./sla";

// Writes of the service cases (SPEC §8). Each runs in the caller's transaction with its audit
// events. Due times come from lib/service/sla (lib/calendar underneath). Each command returns
// the moment a complaint's next target breaches (`escalateAt`), so the action can schedule the
// escalation job for it; a case already breached is escalated at once, in the same transaction.

type Ctx = { actor: Actor; tx: Tx; audit: (event: AuditInput) => Promise<void>; now?: Date };
/** escalated: this command escalated the case (its manager's urgent notification is planned). */
export type CaseResult = { id: string; version: number; escalateAt: Date | null; escalated?: boolean };

const err = (code: ConstructorParameters<typeof DomainError>[0], key: string, options?: ConstructorParameters<typeof DomainError>[2]) =>
  new DomainError(code, `service.errors.${key}`, options);

/** A little slack for clocks: a time typed "now" on a phone may be a few seconds ahead. */
const FUTURE_SLACK_MS = 2 * 60_000;

function requireAny(actor: Pick<Actor, "permissions">, ...permissions: Parameters<Actor["permissions"]["has"]>[0][]) {
  if (!permissions.some((p) => actor.permissions.has(p))) throw forbidden();
}

async function lockedCase(actor: Actor, tx: Tx, id: string) {
  await tx.$queryRaw`SELECT "id" FROM "service_cases" WHERE "id" = ${id} FOR UPDATE`;
  const c = await tx.serviceCase.findFirst({ where: { AND: [await caseScope(actor, tx), { id }] } });
  if (!c) throw notFound();
  return c;
}
type LoadedCase = Awaited<ReturnType<typeof lockedCase>>;

function requireVersion(c: LoadedCase, expected: number) {
  if (c.version !== expected) throw stale();
}
function requireStatus(c: LoadedCase, statuses: readonly CaseStatus[], key = "wrongStatus") {
  if (!statuses.includes(c.status)) throw err("INVALID_STATE", key, { params: { status: c.status } });
}

/** Someone working the case: its assignee, or whoever may assign in its team. An unassigned case
 * is worked by taking it first. */
async function requireWorker(actor: Actor, tx: Tx, c: LoadedCase) {
  if (c.assigneeId === actor.id) return;
  if (await mayAssignInTeam(actor, tx, c.teamId)) return;
  throw err("FORBIDDEN", "notAssignee");
}

/** A time given for an event: not before the case was received, not in the future. */
function eventTime(at: Date | undefined, receivedAt: Date, now: Date, field: string): Date {
  const t = at ?? now;
  if (t.getTime() < receivedAt.getTime()) throw err("VALIDATION", "beforeReceived", { field });
  if (t.getTime() > now.getTime() + FUTURE_SLACK_MS) throw err("VALIDATION", "inFuture", { field });
  return t;
}

function next(c: { firstResponseAt: Date | null; resolvedAt: Date | null; firstResponseDueAt: Date; resolutionDueAt: Date }) {
  const n = nextDue(c);
  return { nextDueAt: n?.dueAt ?? null, nextTarget: n?.target ?? null };
}

function escalateAt(c: { caseType: CaseType; status: CaseStatus; nextDueAt: Date | null }, now: Date): Date | null {
  return c.caseType === "COMPLAINT" && c.status === "OPEN" && c.nextDueAt && c.nextDueAt.getTime() >= now.getTime() ? c.nextDueAt : null;
}

/** Applies a change conditional on the version read, audits it, and escalates if it left an open
 * complaint already past its next due time. */
async function apply(ctx: Ctx, c: LoadedCase, action: string, data: Record<string, unknown>, details: Record<string, unknown> = {}): Promise<CaseResult> {
  const now = ctx.now ?? new Date();
  const { count } = await ctx.tx.serviceCase.updateMany({ where: { id: c.id, version: c.version }, data: { ...data, version: { increment: 1 } } });
  if (count !== 1) throw stale();
  const after = await ctx.tx.serviceCase.findUniqueOrThrow({ where: { id: c.id } });
  const changed = Object.fromEntries(Object.keys(data).map((k) => [k, (after as Record<string, unknown>)[k]]));
  const before = Object.fromEntries(Object.keys(data).map((k) => [k, (c as Record<string, unknown>)[k]]));
  await ctx.audit({ action, entityType: CASE_ENTITY, entityId: c.id, before, after: { ...changed, ...details } });
  await escalateIfBreached(ctx.tx, ctx.audit, c.id, now, "command");
  return { id: c.id, version: after.version, escalateAt: escalateAt(after, now) };
}

// ---------------------------------------------------------------------------------------------
// Creating

export type NewCase = {
  title: string;
  description?: string | null;
  customerName: string;
  customerRef?: string | null;
  channel: ServiceChannel;
  caseType: CaseType;
  priority: Priority;
  teamId: string;
  assigneeId: string | null;
  receivedAt: Date;
  firstResponseAt?: Date | null;
  resolvedAt?: Date | null;
  resolution?: string | null;
  importId?: string | null;
};

type PolicyRow = Awaited<ReturnType<typeof loadPolicies>>[number];
export async function loadPolicies(tx: Tx) {
  return tx.slaPolicy.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }] });
}

/** The case row for a new case: the matching policy's targets and both due times. */
export async function caseData(tx: Tx, policies: PolicyRow[], calendars: Map<string, Awaited<ReturnType<typeof loadCalendar>>>, input: NewCase, createdById: string) {
  const policy = matchPolicy(policies, input);
  if (!policy) throw err("VALIDATION", "noPolicy", { field: "caseType" });
  const key = policy.calendarId ?? "";
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = await loadCalendar(tx, policy.calendarId ?? undefined);
    calendars.set(key, calendar);
  }
  const clock = policy.clock as SlaClock;
  const due = initialDueTimes(calendar.definition, clock, input.receivedAt, policy);
  const times = { firstResponseAt: input.firstResponseAt ?? (input.resolvedAt ? input.resolvedAt : null), resolvedAt: input.resolvedAt ?? null, ...due };
  const def = calendar.definition;
  return {
    title: input.title,
    description: input.description ?? null,
    customerName: input.customerName,
    customerRef: input.customerRef ?? null,
    channel: input.channel,
    caseType: input.caseType,
    priority: input.priority,
    teamId: input.teamId,
    assigneeId: input.assigneeId,
    policyId: policy.id,
    policyName: policy.name,
    clock,
    calendarId: calendar.id,
    firstResponseMinutes: policy.firstResponseMinutes,
    resolutionMinutes: policy.resolutionMinutes,
    receivedAt: input.receivedAt,
    ...times,
    firstResponseSeconds: times.firstResponseAt ? usedSeconds(def, clock, policy.firstResponseMinutes, times.firstResponseAt, due.firstResponseDueAt) : null,
    resolutionSeconds: times.resolvedAt ? usedSeconds(def, clock, policy.resolutionMinutes, times.resolvedAt, due.resolutionDueAt) : null,
    status: (times.resolvedAt ? "RESOLVED" : "OPEN") as CaseStatus,
    resolution: input.resolution ?? null,
    ...next(times),
    createdById,
    importId: input.importId ?? null,
  };
}

async function activeEmployee(tx: Tx, id: string, field: string) {
  const e = await tx.employee.findUnique({ where: { id }, select: { id: true, status: true, departmentId: true } });
  if (!e || e.status !== "ACTIVE") throw err("VALIDATION", "assigneeNotActive", { field });
  return e;
}

export async function createCase({ actor, input, tx, audit, now: givenNow }: ActionContext<CreateCaseInput> & { now?: Date }): Promise<CaseResult> {
  requireAny(actor, "service.work", "service.manage");
  const now = givenNow ?? new Date();
  const teamId = input.teamId ?? actor.departmentId;
  const team = await tx.department.findUnique({ where: { id: teamId }, select: { id: true } });
  if (!team) throw err("VALIDATION", "teamNotFound", { field: "teamId" });
  if (input.teamId && input.teamId !== actor.departmentId && !(await mayAssignInTeam(actor, tx, teamId))) throw err("FORBIDDEN", "teamOutOfScope", { field: "teamId" });
  let assigneeId: string | null = null;
  if (input.assigneeId) {
    await activeEmployee(tx, input.assigneeId, "assigneeId");
    if (input.assigneeId !== actor.id && !(await mayAssignInTeam(actor, tx, teamId))) throw err("FORBIDDEN", "assignOthers", { field: "assigneeId" });
    assigneeId = input.assigneeId;
  }
  const receivedAt = input.receivedAt ?? now;
  if (receivedAt.getTime() > now.getTime() + FUTURE_SLACK_MS) throw err("VALIDATION", "inFuture", { field: "receivedAt" });
  const data = await caseData(tx, await loadPolicies(tx), new Map(), { ...input, teamId, assigneeId, receivedAt }, actor.id);
  const created = await tx.serviceCase.create({ data });
  await audit({
    action: "service.create",
    entityType: CASE_ENTITY,
    entityId: created.id,
    before: null,
    after: { title: created.title, channel: created.channel, caseType: created.caseType, priority: created.priority, teamId, assigneeId, policy: created.policyName, receivedAt, firstResponseDueAt: created.firstResponseDueAt, resolutionDueAt: created.resolutionDueAt },
  });
  const escalated = await escalateIfBreached(tx, audit, created.id, now, "command");
  return { id: created.id, version: created.version, escalateAt: escalateAt(created, now), escalated };
}

// ---------------------------------------------------------------------------------------------
// Working a case

/** Takes an unassigned case of the actor's queue, or (managers, service.manage) assigns it. */
export async function assignCase(ctx: Ctx & { input: AssignInput }): Promise<CaseResult> {
  const { actor, tx, input } = ctx;
  requireAny(actor, "service.work", "service.manage");
  const c = await lockedCase(actor, tx, input.id);
  requireVersion(c, input.version);
  requireStatus(c, ["OPEN", "WAITING_CUSTOMER"]);
  await activeEmployee(tx, input.assigneeId, "assigneeId");
  const taking = input.assigneeId === actor.id && c.assigneeId === null;
  if (!taking && !(await mayAssignInTeam(actor, tx, c.teamId))) throw err("FORBIDDEN", "assignOthers", { field: "assigneeId" });
  if (c.assigneeId === input.assigneeId) throw err("VALIDATION", "sameAssignee", { field: "assigneeId" });
  return apply(ctx, c, taking ? "service.take" : "service.assign", { assigneeId: input.assigneeId });
}

export async function recordFirstResponse(ctx: Ctx & { input: FirstResponseInput }): Promise<CaseResult> {
  const { actor, tx, input } = ctx;
  const now = ctx.now ?? new Date();
  const c = await lockedCase(actor, tx, input.id);
  requireVersion(c, input.version);
  await requireWorker(actor, tx, c);
  requireStatus(c, ["OPEN"]);
  if (c.firstResponseAt) throw err("INVALID_STATE", "alreadyResponded");
  const at = eventTime(input.at, c.receivedAt, now, "at");
  const calendar = await loadCalendar(tx, c.calendarId);
  const firstResponseSeconds = usedSeconds(calendar.definition, c.clock, c.firstResponseMinutes, at, c.firstResponseDueAt);
  return apply(ctx, c, "service.firstResponse", { firstResponseAt: at, firstResponseSeconds, ...next({ ...c, firstResponseAt: at }) });
}

/** Waiting on the customer: the resolution clock stops (after the first response only). */
export async function pauseCase(ctx: Ctx & { input: PauseInput }): Promise<CaseResult> {
  const { actor, tx, input } = ctx;
  const now = ctx.now ?? new Date();
  const c = await lockedCase(actor, tx, input.id);
  requireVersion(c, input.version);
  await requireWorker(actor, tx, c);
  requireStatus(c, ["OPEN"]);
  if (!c.firstResponseAt) throw err("INVALID_STATE", "respondFirst");
  await tx.serviceCasePause.create({ data: { caseId: c.id, pausedAt: now } });
  return apply(ctx, c, "service.pause", { status: "WAITING_CUSTOMER", pausedAt: now }, input.note ? { note: input.note } : {});
}

/** The customer answered: the clock starts again with exactly the time that was left. */
export async function resumeCase(ctx: Ctx & { input: CaseRefInput }): Promise<CaseResult> {
  const { actor, tx, input } = ctx;
  const now = ctx.now ?? new Date();
  const c = await lockedCase(actor, tx, input.id);
  requireVersion(c, input.version);
  await requireWorker(actor, tx, c);
  requireStatus(c, ["WAITING_CUSTOMER"]);
  const pausedAt = c.pausedAt ?? now;
  const calendar = await loadCalendar(tx, c.calendarId);
  const resolutionDueAt = dueAfterPause(calendar.definition, c.clock, c.resolutionDueAt, pausedAt, now);
  await tx.serviceCasePause.updateMany({ where: { caseId: c.id, resumedAt: null }, data: { resumedAt: now } });
  return apply(ctx, c, "service.resume", { status: "OPEN", pausedAt: null, resolutionDueAt, ...next({ ...c, resolutionDueAt }) }, { pausedAt });
}

export async function resolveCase(ctx: Ctx & { input: ResolveInput }): Promise<CaseResult> {
  const { actor, tx, input } = ctx;
  const now = ctx.now ?? new Date();
  const c = await lockedCase(actor, tx, input.id);
  requireVersion(c, input.version);
  await requireWorker(actor, tx, c);
  if (c.status === "WAITING_CUSTOMER") throw err("INVALID_STATE", "resumeFirst");
  requireStatus(c, ["OPEN"]);
  const at = eventTime(input.at, c.receivedAt, now, "at");
  if (c.firstResponseAt && at.getTime() < c.firstResponseAt.getTime()) throw err("VALIDATION", "beforeFirstResponse", { field: "at" });
  // A resolution sent to the customer is also their first answer.
  const firstResponseAt = c.firstResponseAt ?? at;
  const def = (await loadCalendar(tx, c.calendarId)).definition;
  const firstResponseSeconds = c.firstResponseSeconds ?? usedSeconds(def, c.clock, c.firstResponseMinutes, firstResponseAt, c.firstResponseDueAt);
  const resolutionSeconds = usedSeconds(def, c.clock, c.resolutionMinutes, at, c.resolutionDueAt);
  return apply(ctx, c, "service.resolve", { status: "RESOLVED", resolvedAt: at, firstResponseAt, firstResponseSeconds, resolutionSeconds, resolution: input.resolution, nextDueAt: null, nextTarget: null });
}

/**
 * Closes a resolved case. A complaint closes only with the loop closed (闭环): the customer's
 * confirmation of the outcome recorded, or a documented follow-up attempt they did not answer.
 */
export async function closeCase(ctx: Ctx & { input: CloseInput }): Promise<CaseResult> {
  const { actor, tx, input } = ctx;
  const now = ctx.now ?? new Date();
  const c = await lockedCase(actor, tx, input.id);
  requireVersion(c, input.version);
  await requireWorker(actor, tx, c);
  requireStatus(c, ["RESOLVED"], "closeNeedsResolved");
  if (c.caseType === "COMPLAINT" && !input.closure) throw err("VALIDATION", "closureRequired", { field: "closure" });
  if (input.closure === "NO_ANSWER" && !input.note) throw err("VALIDATION", "followUpNoteRequired", { field: "note" });
  const data: Record<string, unknown> = { status: "CLOSED", closedAt: now, closure: input.closure ?? null };
  if (input.closure === "CONFIRMED") Object.assign(data, { confirmedAt: now, confirmationNote: input.note ?? null });
  if (input.closure === "NO_ANSWER") Object.assign(data, { followUpAt: now, followUpNote: input.note });
  return apply(ctx, c, input.closure === "CONFIRMED" ? "service.confirm" : input.closure === "NO_ANSWER" ? "service.followUpClose" : "service.close", data);
}
