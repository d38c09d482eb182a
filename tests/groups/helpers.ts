import { decideApprovalStep, withdrawApprovalRequest } from "@/lib/approvals/engine";
import type { RoleCode } from "@/lib/auth/permissions";
import { requestGroup } from "@/lib/groups/commands";
import { groupRequestSchema } from "@/lib/groups/schemas";
import type { Actor } from "@/lib/server/actor";
import type { DbClient } from "@/lib/server/prisma-client";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { expectOk, run } from "../helpers/run-command";

export { expectOk, run, type Outcome } from "../helpers/run-command";

// Runs work-group commands the way defineAction does (zod, then one unit of work with its audit)
// and reports the outcome as data; drives the approvals engine as its approvers would.


/**
 * HQ › Sales › East › Shanghai-1, Sales › South, HQ › IT. East has a manager (王海涛), South
 * another (黄志强); Shanghai-1 has none, so its requests go up to East's manager.
 */
export async function seedGroupsOrganisation(prisma: DbClient) {
  return prisma.$transaction(async (tx) => {
    const hq = await makeDepartment(tx, { name: "总公司", code: "HQ" });
    const sales = await makeDepartment(tx, { name: "销售中心", code: "SALES", parentId: hq.id });
    const east = await makeDepartment(tx, { name: "华东销售部", code: "SALES-EAST", parentId: sales.id });
    const sh1 = await makeDepartment(tx, { name: "上海销售一组", code: "SALES-EAST-SH1", parentId: east.id });
    const south = await makeDepartment(tx, { name: "华南销售部", code: "SALES-SOUTH", parentId: sales.id });
    const it = await makeDepartment(tx, { name: "信息技术部", code: "IT", parentId: hq.id });
    const person = (departmentId: string, name: string, employeeNo: string, roles: RoleCode[] = ["EMPLOYEE"], status: "ACTIVE" | "DEPARTED" = "ACTIVE") =>
      makeEmployee(tx, { departmentId, name, employeeNo, email: `${employeeNo.toLowerCase()}@example.test`, roles, status });
    const admin = await person(it.id, "周建国", "A-001", ["ADMIN", "EMPLOYEE"]);
    const admin2 = await person(it.id, "孙二管", "A-002", ["ADMIN", "EMPLOYEE"]);
    const privacy = await person(hq.id, "陈静怡", "P-001", ["PRIVACY_OFFICER", "EMPLOYEE"]);
    const auditor = await person(hq.id, "赵明远", "U-001", ["AUDITOR", "EMPLOYEE"]);
    const eastManager = await person(east.id, "王海涛", "M-001", ["MANAGER", "EMPLOYEE"]);
    const southManager = await person(south.id, "黄志强", "M-002", ["MANAGER", "EMPLOYEE"]);
    const alice = await person(sh1.id, "李小雨", "E-001");
    const bob = await person(sh1.id, "张伟", "E-002");
    const carol = await person(south.id, "刘芳", "E-003");
    const departed = await person(south.id, "吴已离", "E-004", ["EMPLOYEE"], "DEPARTED");
    await tx.department.update({ where: { id: east.id }, data: { managerId: eastManager.id } });
    await tx.department.update({ where: { id: south.id }, data: { managerId: southManager.id } });
    return {
      dept: { hq, sales, east, sh1, south, it },
      people: { admin, admin2, privacy, auditor, eastManager, southManager, alice, bob, carol, departed },
    };
  });
}

export type GroupsOrganisation = Awaited<ReturnType<typeof seedGroupsOrganisation>>;

export async function currentPolicyVersion(prisma: DbClient): Promise<number> {
  const p = await prisma.workGroupPolicy.findFirstOrThrow({ orderBy: { version: "desc" }, select: { version: true } });
  return p.version;
}

let counter = 0;

/** A valid request form as the browser would post it, with a unique name. */
export async function requestForm(prisma: DbClient, org: GroupsOrganisation, overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    parts: [`项目${counter}`, "客户答疑"],
    policyVersion: String(await currentPolicyVersion(prisma)),
    purpose: "双十一期间的客户答疑",
    platform: "WECOM",
    kind: "EXTERNAL",
    departmentId: org.dept.sh1.id,
    ownerId: org.people.alice.id,
    administratorIds: [org.people.bob.id],
    classification: "INTERNAL",
    expectedSize: "200",
    ...overrides,
  };
}

export async function requestAs(prisma: DbClient, actor: Actor, org: GroupsOrganisation, overrides: Record<string, unknown> = {}) {
  return expectOk(await run(prisma, actor, groupRequestSchema, await requestForm(prisma, org, overrides), requestGroup));
}

async function pendingStep(prisma: DbClient, requestId: string) {
  return prisma.approvalRequestStep.findFirst({ where: { requestId, status: "PENDING" }, orderBy: { position: "asc" } });
}

/** Someone who may decide the step: its named approver, or an ACTIVE holder of its role who is
 * not the requester. */
async function deciderFor(prisma: DbClient, step: { approverId: string | null; role: string | null }, requesterId: string): Promise<Actor> {
  if (step.approverId) return actorFor(prisma, step.approverId);
  const holder = await prisma.employee.findFirstOrThrow({
    where: { status: "ACTIVE", id: { not: requesterId }, roles: { some: { role: step.role as RoleCode } } },
    orderBy: { employeeNo: "asc" },
  });
  return actorFor(prisma, holder.id);
}

/** Approves every step of a request in order; returns the final status. */
export async function approveAll(prisma: DbClient, requestId: string): Promise<string> {
  const request = await prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
  for (let i = 0; i < 10; i++) {
    const step = await pendingStep(prisma, requestId);
    if (!step) break;
    const decider = await deciderFor(prisma, step, request.requesterId);
    await inUnitOfWork(prisma, decider, ({ tx, audit }) => decideApprovalStep({ tx, audit, actor: decider }, { requestId, stepId: step.id, decision: "APPROVE" }));
  }
  return (await prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).status;
}

/** Rejects the request at its current step. */
export async function rejectCurrent(prisma: DbClient, requestId: string, comment = "不需要这个群"): Promise<void> {
  const request = await prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
  const step = await pendingStep(prisma, requestId);
  if (!step) throw new Error("no pending step");
  const decider = await deciderFor(prisma, step, request.requesterId);
  await inUnitOfWork(prisma, decider, ({ tx, audit }) => decideApprovalStep({ tx, audit, actor: decider }, { requestId, stepId: step.id, decision: "REJECT", comment }));
}

export async function withdraw(prisma: DbClient, requestId: string): Promise<void> {
  const request = await prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
  const requester = await actorFor(prisma, request.requesterId);
  await inUnitOfWork(prisma, requester, ({ tx, audit }) => withdrawApprovalRequest({ tx, audit, actor: requester }, { requestId }));
}

export async function auditActions(prisma: DbClient, groupId: string): Promise<string[]> {
  const events = await prisma.auditEvent.findMany({ where: { entityType: "WorkGroup", entityId: groupId }, orderBy: { id: "asc" }, select: { action: true } });
  return events.map((e) => e.action);
}
