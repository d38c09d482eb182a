import type { ApprovalEffects } from "@/lib/approvals/effects";
import type { EngineContext } from "@/lib/approvals/engine";
import { REQUEST_TYPES, type ApprovalEffect, type ApprovalEffectContext, type RequestType } from "@/lib/approvals/types";
import type { RoleCode } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";
import { DomainError } from "@/lib/server/errors";
import type { DbClient } from "@/lib/server/prisma-client";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { makeDepartment, makeEmployee } from "@/prisma/factories";

// Shared set-up of the approvals tests: a small organisation, a recording effect, and a runner
// that executes engine calls in a unit of work the way the actions do and reports refusals as data.

export type Outcome<T> = { ok: true; data: T } | { ok: false; code: string; messageKey: string; field?: string; params?: Record<string, string | number> };

export async function attempt<T>(prisma: DbClient, actor: Actor, fn: (ctx: EngineContext) => Promise<T>): Promise<Outcome<T>> {
  try {
    const data = await inUnitOfWork(prisma, actor, ({ tx, audit }) => fn({ tx, audit, actor }));
    return { ok: true, data };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, code: error.code, messageKey: error.messageKey, field: error.options.field, params: error.options.params };
    throw error;
  }
}

/** Like attempt, for a test that expects success: the data, or a failure with the refusal. */
export async function must<T>(prisma: DbClient, actor: Actor, fn: (ctx: EngineContext) => Promise<T>): Promise<T> {
  const outcome = await attempt(prisma, actor, fn);
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.code} ${outcome.messageKey}`);
  return outcome.data;
}

export type EffectCall = { type: RequestType; event: "approved" | "rejected" | "withdrawn"; requestId: string; actorId: string; comment?: string };

/** Effects that record each call in memory and write one audit event (so a call that committed
 * can be told from one that was rolled back). */
export function recordingEffects(): { effects: ApprovalEffects; calls: EffectCall[] } {
  const calls: EffectCall[] = [];
  const make = (type: RequestType): ApprovalEffect => {
    const record = (event: EffectCall["event"]) => async (ctx: ApprovalEffectContext) => {
      calls.push({ type, event, requestId: ctx.request.id, actorId: ctx.actor.id, comment: ctx.comment });
      await ctx.audit({ action: `test.effect.${event}`, entityType: ctx.request.subjectType, entityId: ctx.request.subjectId, after: { requestId: ctx.request.id } });
    };
    return { onApproved: record("approved"), onRejected: record("rejected"), onWithdrawn: record("withdrawn") };
  };
  return { calls, effects: Object.fromEntries(REQUEST_TYPES.map((t) => [t, make(t)])) as unknown as ApprovalEffects };
}

/**
 * HQ (no manager) › SALES (director) › EAST (eastManager) › SH1 (no manager);
 * SALES › SOUTH (southManager, OFFBOARDING); HQ › LONE (no manager); HQ › IT (admin).
 */
export async function seedApprovalsOrg(prisma: DbClient) {
  return prisma.$transaction(async (tx) => {
    const hq = await makeDepartment(tx, { name: "总公司", code: "HQ" });
    const sales = await makeDepartment(tx, { name: "销售中心", code: "SALES", parentId: hq.id });
    const east = await makeDepartment(tx, { name: "华东销售部", code: "SALES-EAST", parentId: sales.id });
    const sh1 = await makeDepartment(tx, { name: "上海销售一组", code: "SALES-EAST-SH1", parentId: east.id });
    const south = await makeDepartment(tx, { name: "华南销售部", code: "SALES-SOUTH", parentId: sales.id });
    const lone = await makeDepartment(tx, { name: "孤立部门", code: "LONE", parentId: hq.id });
    const it = await makeDepartment(tx, { name: "信息技术部", code: "IT", parentId: hq.id });
    const person = (departmentId: string, name: string, email: string, roles: RoleCode[], status: "ACTIVE" | "OFFBOARDING" | "DEPARTED" = "ACTIVE") =>
      makeEmployee(tx, { departmentId, name, email, roles, status });
    const admin = await person(it.id, "周建国", "admin@example.test", ["ADMIN", "EMPLOYEE"]);
    const admin2 = await person(it.id, "吴二管", "admin2@example.test", ["ADMIN", "EMPLOYEE"]);
    const privacy = await person(hq.id, "陈静怡", "privacy@example.test", ["PRIVACY_OFFICER", "EMPLOYEE"]);
    const hr = await person(hq.id, "林晓燕", "hr@example.test", ["HR", "EMPLOYEE"]);
    const auditor = await person(hq.id, "赵明远", "auditor@example.test", ["AUDITOR", "EMPLOYEE"]);
    const director = await person(sales.id, "钱总监", "director@example.test", ["MANAGER", "EMPLOYEE"]);
    const eastManager = await person(east.id, "王海涛", "manager@example.test", ["MANAGER", "EMPLOYEE"]);
    const southManager = await person(south.id, "黄将离", "south@example.test", ["MANAGER", "EMPLOYEE"], "OFFBOARDING");
    const sh1Staff = await person(sh1.id, "李小雨", "li@example.test", ["EMPLOYEE"]);
    const eastStaff = await person(east.id, "张伟", "zhang@example.test", ["EMPLOYEE"]);
    const southStaff = await person(south.id, "黄志强", "huang@example.test", ["EMPLOYEE"]);
    const loneStaff = await person(lone.id, "孙独立", "sun@example.test", ["EMPLOYEE"]);
    const stranger = await person(hq.id, "路人甲", "stranger@example.test", ["EMPLOYEE"]);
    await tx.department.update({ where: { id: sales.id }, data: { managerId: director.id } });
    await tx.department.update({ where: { id: east.id }, data: { managerId: eastManager.id } });
    await tx.department.update({ where: { id: south.id }, data: { managerId: southManager.id } });
    await tx.department.update({ where: { id: it.id }, data: { managerId: admin.id } });
    return {
      dept: { hq, sales, east, sh1, south, lone, it },
      people: { admin, admin2, privacy, hr, auditor, director, eastManager, southManager, sh1Staff, eastStaff, southStaff, loneStaff, stranger },
    };
  });
}

export type ApprovalsOrg = Awaited<ReturnType<typeof seedApprovalsOrg>>;

/** A submission of a work-group creation as the groups capability would make it. */
export function groupCreate(departmentId: string, classification: "PUBLIC" | "INTERNAL" | "CONFIDENTIAL" | "SECRET" = "INTERNAL", subjectId = `grp${Math.random().toString(36).slice(2).padEnd(24, "0")}`) {
  return {
    type: "GROUP_CREATE" as const,
    subjectType: "WorkGroup",
    subjectId,
    title: `建群：华东-项目A-客户群 ${subjectId.slice(-4)}`,
    facts: { managerOfDepartmentId: departmentId, classification },
    payload: { summary: [{ label: "群名称", value: "华东-项目A-客户群" }], subjectHref: `/groups/${subjectId}` },
  };
}

/** The steps of a request, in order. */
export async function stepsOf(prisma: DbClient, requestId: string) {
  return prisma.approvalRequestStep.findMany({ where: { requestId }, orderBy: { position: "asc" } });
}
