import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decideApprovalStep, submitApprovalRequest, withdrawApprovalRequest } from "@/lib/approvals/engine";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { attempt, groupCreate, must, recordingEffects, seedApprovalsOrg, stepsOf, type ApprovalsOrg, type EffectCall } from "./helpers";

// The engine end to end on a real database: submission snapshots and resolves the chain and
// dates the first step on the business calendar; approvals move step by step; the last one
// applies the effect once; the first rejection ends the request; the requester may withdraw.

let db: TestDb;
let org: ApprovalsOrg;
let as: Record<keyof ApprovalsOrg["people"], Actor>;
let recorder: ReturnType<typeof recordingEffects>;
let calls: EffectCall[];

// 2026-09-30 is the Wednesday before the National Day holiday (1–7 October).
const SEPT_30_10AM = new Date("2026-09-30T10:00:00+08:00");

beforeAll(async () => {
  db = await createTestDb();
  org = await seedApprovalsOrg(db.prisma);
  as = Object.fromEntries(await Promise.all(Object.entries(org.people).map(async ([k, p]) => [k, await actorFor(db.prisma, p.id)]))) as typeof as;
});
afterAll(async () => db?.close());
beforeEach(() => {
  recorder = recordingEffects();
  calls = recorder.calls;
});

const options = (now?: Date) => ({ effects: recorder.effects, now });

describe("submitting", () => {
  it("snapshots the chain, resolves the department manager and dates step 1 after National Day", async () => {
    const { id } = await must(db.prisma, as.sh1Staff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.sh1.id, "INTERNAL"), options(SEPT_30_10AM)));
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(request).toMatchObject({ status: "PENDING", type: "GROUP_CREATE", requesterId: org.people.sh1Staff.id, subjectType: "WorkGroup", overdueWorkingDays: 2, chainVersion: 1 });
    expect(request.createdAt.toISOString()).toBe(SEPT_30_10AM.toISOString());

    const steps = await stepsOf(db.prisma, id);
    expect(steps.map((s) => [s.position, s.kind, s.status, s.approverId, s.role])).toEqual([
      // 上海销售一组 has no manager: walk up to 华东销售部.
      [1, "DEPARTMENT_MANAGER", "PENDING", org.people.eastManager.id, null],
      // INTERNAL: the privacy officer's step does not apply.
      [2, "ROLE", "SKIPPED", null, "PRIVACY_OFFICER"],
      [3, "ROLE", "WAITING", null, "ADMIN"],
    ]);
    expect(steps[0].resolution).toEqual({ code: "WALKED_UP", departmentName: "华东销售部", fromDepartmentName: "上海销售一组" });
    expect(steps[0].activatedAt?.toISOString()).toBe(SEPT_30_10AM.toISOString());
    // Two working days: 1–7 October are holidays, so Thursday 8 and Friday 9 October; same time of day.
    expect(steps[0].dueAt?.toISOString()).toBe(new Date("2026-10-09T10:00:00+08:00").toISOString());
    expect(steps[2].dueAt).toBeNull();
    // The step's decider is told (lib/notifications): with the due time and a link; recorded read,
    // since the inbox count shows it on the home page; a WeCom delivery planned (not configured here).
    const note = await db.prisma.notification.findUniqueOrThrow({ where: { dedupeKey: `approvals.waiting:${steps[0].id}:${org.people.eastManager.id}` } });
    expect(note).toMatchObject({ recipientId: org.people.eastManager.id, kind: "approvals.waiting", href: `/approvals/${id}`, params: { title: request.title } });
    expect(note.readAt).not.toBeNull();
    const delivery = await db.prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: `${note.dedupeKey}:WECOM` } });
    expect(delivery).toMatchObject({ deadline: steps[0].dueAt, status: "SKIPPED", detail: "wecom-not-configured" });
  });

  it("adds the privacy officer for a CONFIDENTIAL or SECRET subject", async () => {
    for (const classification of ["CONFIDENTIAL", "SECRET"] as const) {
      const { id } = await must(db.prisma, as.eastStaff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id, classification), options()));
      expect((await stepsOf(db.prisma, id)).map((s) => s.status)).toEqual(["PENDING", "WAITING", "WAITING"]);
    }
  });

  it("sends a manager's own request to the next manager up and says why", async () => {
    const { id } = await must(db.prisma, as.eastManager, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id), options()));
    const [first] = await stepsOf(db.prisma, id);
    expect(first.approverId).toBe(org.people.director.id);
    expect(first.resolution).toMatchObject({ code: "SELF_SKIPPED", departmentName: "销售中心" });
  });

  it("walks past a manager who is leaving", async () => {
    const { id } = await must(db.prisma, as.southStaff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.south.id), options()));
    expect((await stepsOf(db.prisma, id))[0].approverId).toBe(org.people.director.id);
  });

  it("falls back to ADMIN when no manager exists up to the root", async () => {
    const { id } = await must(db.prisma, as.loneStaff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.lone.id), options()));
    const [first] = await stepsOf(db.prisma, id);
    expect(first).toMatchObject({ approverId: null, role: "ADMIN", status: "PENDING", resolution: { code: "FALLBACK_ADMIN", fromDepartmentName: "孤立部门" } });
  });

  it("uses the owner's department for a dissolution (facts.managerOfDepartmentId)", async () => {
    const { id } = await must(db.prisma, as.admin, (ctx) =>
      submitApprovalRequest(ctx, { ...groupCreate(org.dept.sh1.id), type: "GROUP_DISSOLVE", title: "解散：华东-项目A-客户群" }, options()),
    );
    expect((await stepsOf(db.prisma, id)).map((s) => s.approverId ?? s.role)).toEqual([org.people.eastManager.id, "PRIVACY_OFFICER", "ADMIN"]);
  });

  it("audits the submission with the resolved steps", async () => {
    const { id } = await must(db.prisma, as.eastStaff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id), options()));
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "approval.submit", entityId: id } });
    expect(event).toMatchObject({ entityType: "ApprovalRequest", actorId: org.people.eastStaff.id });
    expect((event.after as { steps: unknown[] }).steps).toHaveLength(3);
  });
});

describe("deciding", () => {
  it("moves from step 1 to step 2, then the last approval approves and applies the effect once", async () => {
    const { id } = await must(db.prisma, as.sh1Staff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.sh1.id, "CONFIDENTIAL"), options(SEPT_30_10AM)));
    let steps = await stepsOf(db.prisma, id);

    // Friday 9 October 11:00: step 2 is due two working days later, Saturday 10 October (调休) being one of them.
    const friday = new Date("2026-10-09T11:00:00+08:00");
    expect(await must(db.prisma, as.eastManager, (ctx) => decideApprovalStep(ctx, { requestId: id, stepId: steps[0].id, decision: "APPROVE", comment: "同意" }, options(friday)))).toEqual({ status: "PENDING" });
    steps = await stepsOf(db.prisma, id);
    expect(steps.map((s) => s.status)).toEqual(["APPROVED", "PENDING", "WAITING"]);
    expect(steps[0]).toMatchObject({ decidedById: org.people.eastManager.id, comment: "同意" });
    expect(steps[0].decidedAt?.toISOString()).toBe(friday.toISOString());
    expect(steps[1].dueAt?.toISOString()).toBe(new Date("2026-10-12T11:00:00+08:00").toISOString());
    expect(calls).toHaveLength(0);

    await must(db.prisma, as.privacy, (ctx) => decideApprovalStep(ctx, { requestId: id, stepId: steps[1].id, decision: "APPROVE" }, options()));
    expect(calls).toHaveLength(0);
    const last = await must(db.prisma, as.admin2, (ctx) => decideApprovalStep(ctx, { requestId: id, stepId: steps[2].id, decision: "APPROVE" }, options()));
    expect(last).toEqual({ status: "APPROVED" });
    expect(calls).toEqual([{ type: "GROUP_CREATE", event: "approved", requestId: id, actorId: org.people.admin2.id, comment: undefined }]);

    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } });
    expect(request.status).toBe("APPROVED");
    expect(request.closedAt).not.toBeNull();
    expect(request.version).toBe(4);
    // One audit event per decision, and the effect's own, in the same transaction.
    expect(await db.prisma.auditEvent.count({ where: { entityId: id, action: "approval.approve" } })).toBe(3);
    expect(await db.prisma.auditEvent.count({ where: { action: "test.effect.approved", after: { path: ["requestId"], equals: id } } })).toBe(1);
  });

  it("ends the request at the first rejection, with its comment, and cancels the steps after it", async () => {
    const { id } = await must(db.prisma, as.eastStaff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id, "SECRET"), options()));
    const steps = await stepsOf(db.prisma, id);
    const outcome = await must(db.prisma, as.eastManager, (ctx) => decideApprovalStep(ctx, { requestId: id, stepId: steps[0].id, decision: "REJECT", comment: "用途不明确" }, options()));
    expect(outcome).toEqual({ status: "REJECTED" });
    expect((await stepsOf(db.prisma, id)).map((s) => s.status)).toEqual(["REJECTED", "CANCELLED", "CANCELLED"]);
    expect(calls).toEqual([{ type: "GROUP_CREATE", event: "rejected", requestId: id, actorId: org.people.eastManager.id, comment: "用途不明确" }]);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: id, action: "approval.reject" } });
    expect(event.after).toMatchObject({ status: "REJECTED", step: { position: 1, comment: "用途不明确" } });
  });

  it("lets any active holder of a role decide a role step (the ADMIN fallback)", async () => {
    const { id } = await must(db.prisma, as.loneStaff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.lone.id), options()));
    const [first] = await stepsOf(db.prisma, id);
    await must(db.prisma, as.admin2, (ctx) => decideApprovalStep(ctx, { requestId: id, stepId: first.id, decision: "APPROVE" }, options()));
    expect((await stepsOf(db.prisma, id))[0]).toMatchObject({ status: "APPROVED", decidedById: org.people.admin2.id });
  });

  it("resolves a later step again when its approver left before it was reached", async () => {
    // Chain GROUP_DISSOLVE: the owner's manager, then ADMIN. A PERSON step would behave alike.
    const { id } = await must(db.prisma, as.admin, (ctx) => submitApprovalRequest(ctx, { ...groupCreate(org.dept.east.id), type: "GROUP_DISSOLVE" }, options()));
    const steps = await stepsOf(db.prisma, id);
    // Make step 3 a named approver who then leaves (as a chain with a PERSON step would have it).
    await db.prisma.approvalRequestStep.update({ where: { id: steps[2].id }, data: { kind: "PERSON", personId: org.people.hr.id, approverId: org.people.hr.id, role: null } });
    await db.prisma.employee.update({ where: { id: org.people.hr.id }, data: { status: "DEPARTED" } });
    try {
      await must(db.prisma, as.eastManager, (ctx) => decideApprovalStep(ctx, { requestId: id, stepId: steps[0].id, decision: "APPROVE" }, options()));
      const third = (await stepsOf(db.prisma, id))[2];
      expect(third).toMatchObject({ status: "PENDING", approverId: null, role: "ADMIN", resolution: { code: "PERSON_UNAVAILABLE" } });
    } finally {
      await db.prisma.employee.update({ where: { id: org.people.hr.id }, data: { status: "ACTIVE" } });
    }
  });
});

describe("withdrawing", () => {
  it("lets the requester withdraw a pending request: steps cancelled, effect called, audited", async () => {
    const { id } = await must(db.prisma, as.eastStaff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id), options()));
    expect(await must(db.prisma, as.eastStaff, (ctx) => withdrawApprovalRequest(ctx, { requestId: id }, options()))).toEqual({ status: "WITHDRAWN" });
    expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe("WITHDRAWN");
    expect((await stepsOf(db.prisma, id)).map((s) => s.status)).toEqual(["CANCELLED", "SKIPPED", "CANCELLED"]);
    expect(calls).toEqual([{ type: "GROUP_CREATE", event: "withdrawn", requestId: id, actorId: org.people.eastStaff.id, comment: undefined }]);
    expect(await db.prisma.auditEvent.count({ where: { entityId: id, action: "approval.withdraw" } })).toBe(1);
  });

  it("rolls everything back when the effect fails (the decision is not recorded)", async () => {
    const { id } = await must(db.prisma, as.eastStaff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id), options()));
    const failing = { ...recorder.effects, GROUP_CREATE: { ...recorder.effects.GROUP_CREATE, onWithdrawn: async () => { throw new Error("subject is locked"); } } };
    await expect(attempt(db.prisma, as.eastStaff, (ctx) => withdrawApprovalRequest(ctx, { requestId: id }, { effects: failing }))).rejects.toThrow("subject is locked");
    expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING");
    expect(await db.prisma.auditEvent.count({ where: { entityId: id, action: "approval.withdraw" } })).toBe(0);
  });
});

describe("the default effects", () => {
  it("give every request type its capability's effect", async () => {
    const { APPROVAL_EFFECTS } = await import("@/lib/approvals/effects");
    const { accountCreateEffect, accountDissolveEffect } = await import("@/lib/accounts/approval-effects");
    const { groupCreateEffect, groupDissolveEffect } = await import("@/lib/groups/approval-effects");
    const { contentPublishEffect } = await import("@/lib/content/approval-effects");
    expect(APPROVAL_EFFECTS).toEqual({
      GROUP_CREATE: groupCreateEffect,
      GROUP_DISSOLVE: groupDissolveEffect,
      ACCOUNT_CREATE: accountCreateEffect,
      ACCOUNT_DISSOLVE: accountDissolveEffect,
      CONTENT_PUBLISH: contentPublishEffect,
    });
  });
});
