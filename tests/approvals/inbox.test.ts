import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalAttention } from "@/lib/approvals/attention";
import { decideApprovalStep, submitApprovalRequest } from "@/lib/approvals/engine";
import { countPendingOn, getRequestDetail, listInbox } from "@/lib/approvals/queries";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { groupCreate, must, recordingEffects, seedApprovalsOrg, stepsOf, type ApprovalsOrg } from "./helpers";

// The inbox's three lists, the request page's visibility and timeline, and the home page's
// attention item, read as each person would.

let db: TestDb;
let org: ApprovalsOrg;
let as: Record<keyof ApprovalsOrg["people"], Actor>;
const { effects } = recordingEffects();

// Submitted Wednesday 30 September 10:00 (Shanghai): step 1 is due Friday 9 October 10:00.
const SUBMITTED = new Date("2026-09-30T10:00:00+08:00");
const BEFORE_DUE = new Date("2026-10-09T09:00:00+08:00");
const MONDAY_AFTER = new Date("2026-10-12T13:00:00+08:00");

let internalId: string;
let secretId: string;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedApprovalsOrg(db.prisma);
  as = Object.fromEntries(await Promise.all(Object.entries(org.people).map(async ([k, p]) => [k, await actorFor(db.prisma, p.id)]))) as typeof as;
  internalId = (await must(db.prisma, as.sh1Staff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.sh1.id, "INTERNAL"), { effects, now: SUBMITTED }))).id;
  secretId = (await must(db.prisma, as.eastStaff, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id, "SECRET"), { effects, now: SUBMITTED }))).id;
});
afterAll(async () => db?.close());

describe("pending on me", () => {
  it("lists the manager's steps with their due time, overdue in working time once past it", async () => {
    const early = await listInbox(db.prisma, as.eastManager, "pending", 1, BEFORE_DUE);
    expect(early.total).toBe(2);
    expect(early.items.map((i) => i.requestId).sort()).toEqual([internalId, secretId].sort());
    expect(early.items[0]).toMatchObject({ type: "GROUP_CREATE", status: "PENDING", step: { position: 1, status: "PENDING" }, overdue: null });
    expect(early.items.find((i) => i.requestId === internalId)?.requesterName).toBe("李小雨");

    const late = await listInbox(db.prisma, as.eastManager, "pending", 1, MONDAY_AFTER);
    // Friday 10:00 → Saturday 10 October (调休) 10:00 → Monday 10:00, then 10:00–13:00 less lunch.
    expect(late.items[0].overdue).toEqual({ days: 2, hours: 2, minutes: 0 });
  });

  it("shows a role's step to its holders once it is reached, never to the requester", async () => {
    expect((await listInbox(db.prisma, as.privacy, "pending", 1)).total).toBe(0);
    const steps = await stepsOf(db.prisma, secretId);
    await must(db.prisma, as.eastManager, (ctx) => decideApprovalStep(ctx, { requestId: secretId, stepId: steps[0].id, decision: "APPROVE" }, { effects, now: BEFORE_DUE }));
    expect((await listInbox(db.prisma, as.privacy, "pending", 1)).items.map((i) => i.requestId)).toEqual([secretId]);
    expect((await listInbox(db.prisma, as.eastManager, "pending", 1)).items.map((i) => i.requestId)).toEqual([internalId]);
    expect((await listInbox(db.prisma, as.admin, "pending", 1)).total).toBe(0);

    // A privacy officer who submits a request does not see it in their own inbox.
    const own = (await must(db.prisma, as.privacy, (ctx) => submitApprovalRequest(ctx, groupCreate(org.dept.east.id, "INTERNAL"), { effects }))).id;
    const ownSteps = await stepsOf(db.prisma, own);
    await must(db.prisma, as.eastManager, (ctx) => decideApprovalStep(ctx, { requestId: own, stepId: ownSteps[0].id, decision: "APPROVE" }, { effects }));
    expect((await listInbox(db.prisma, as.admin, "pending", 1)).items.map((i) => i.requestId)).toEqual([own]);
    expect((await listInbox(db.prisma, as.privacy, "pending", 1)).items.map((i) => i.requestId)).toEqual([secretId]);
  });

  it("does not offer a role's steps to a holder who is no longer ACTIVE", async () => {
    await db.prisma.employee.update({ where: { id: org.people.privacy.id }, data: { status: "OFFBOARDING" } });
    try {
      expect((await listInbox(db.prisma, as.privacy, "pending", 1)).total).toBe(0);
    } finally {
      await db.prisma.employee.update({ where: { id: org.people.privacy.id }, data: { status: "ACTIVE" } });
    }
  });

  it("pages", async () => {
    const first = await listInbox(db.prisma, as.eastManager, "decided", 1, new Date(), 1);
    expect([first.total, first.items.length]).toEqual([2, 1]);
    const second = await listInbox(db.prisma, as.eastManager, "decided", 2, new Date(), 1);
    expect(second.items[0].requestId).not.toBe(first.items[0].requestId);
    expect((await listInbox(db.prisma, as.eastManager, "decided", 3, new Date(), 1)).items).toEqual([]);
  });
});

describe("decided by me and my requests", () => {
  it("lists the manager's decisions, newest first", async () => {
    const decided = await listInbox(db.prisma, as.eastManager, "decided", 1);
    expect(decided.items.every((i) => i.step?.status === "APPROVED" && i.step.decidedAt)).toBe(true);
  });

  it("lists the requester's own requests with the step they wait on", async () => {
    const mine = await listInbox(db.prisma, as.eastStaff, "mine", 1, MONDAY_AFTER);
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ requestId: secretId, step: { position: 2, role: "PRIVACY_OFFICER", approverName: null } });
    expect((await listInbox(db.prisma, as.sh1Staff, "mine", 1)).items[0]).toMatchObject({ requestId: internalId, step: { position: 1, approverName: "王海涛" } });
  });
});

describe("the request page", () => {
  it("is visible to the requester, the approvers (a role's holders included) and approvals.read:all, and to nobody else", async () => {
    for (const who of [as.sh1Staff, as.eastManager, as.admin, as.admin2, as.auditor]) {
      expect((await getRequestDetail(db.prisma, who, internalId))?.id, who.email).toBe(internalId);
    }
    // INTERNAL: the privacy officer's step was skipped, so they have no part in it.
    for (const who of [as.privacy, as.stranger, as.eastStaff, as.director]) {
      expect(await getRequestDetail(db.prisma, who, internalId), who.email).toBeNull();
    }
    expect((await getRequestDetail(db.prisma, as.privacy, secretId))?.id).toBe(secretId);
    expect(await getRequestDetail(db.prisma, as.admin, "not-an-id")).toBeNull();
    expect(await getRequestDetail(db.prisma, as.admin, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")).toBeNull();
  });

  it("says who may act: the approver may decide, the requester may withdraw, others may only read", async () => {
    const byManager = (await getRequestDetail(db.prisma, as.eastManager, internalId, MONDAY_AFTER))!;
    expect(byManager.steps.map((s) => s.canDecide)).toEqual([true, false, false]);
    expect(byManager.canWithdraw).toBe(false);
    expect(byManager.steps[0]).toMatchObject({ approver: { name: "王海涛" }, resolution: { code: "WALKED_UP" }, overdue: { days: 2 } });
    expect(byManager.steps[1]).toMatchObject({ status: "SKIPPED", role: "PRIVACY_OFFICER", condition: { classifications: ["CONFIDENTIAL", "SECRET"] } });

    const byRequester = (await getRequestDetail(db.prisma, as.sh1Staff, internalId))!;
    expect(byRequester.canWithdraw).toBe(true);
    expect(byRequester.steps.some((s) => s.canDecide)).toBe(false);
    expect(byRequester.payload).toMatchObject({ summary: [{ label: "群名称" }] });

    const byAuditor = (await getRequestDetail(db.prisma, as.auditor, internalId))!;
    expect([byAuditor.canWithdraw, byAuditor.steps.some((s) => s.canDecide)]).toEqual([false, false]);
  });
});

describe("the home page's attention item", () => {
  it("counts the approvals waiting on me and the overdue ones", async () => {
    expect(await countPendingOn(db.prisma, as.eastManager, BEFORE_DUE)).toEqual({ count: 1, overdue: 0 });
    expect(await approvalAttention(as.eastManager, db.prisma, BEFORE_DUE)).toEqual([
      { key: "approvals.pending", labelKey: "approvals.attention.waiting", params: { count: 1, overdue: 0 }, href: "/approvals" },
    ]);
    expect(await approvalAttention(as.eastManager, db.prisma, MONDAY_AFTER)).toEqual([
      { key: "approvals.pending", labelKey: "approvals.attention.waitingOverdue", params: { count: 1, overdue: 1 }, href: "/approvals" },
    ]);
    expect(await approvalAttention(as.stranger, db.prisma)).toEqual([]);
  });

  it("counts in one statement what the inbox counts (countPendingOn), for everyone, before and after the due date", async () => {
    let waiting = 0;
    for (const at of [BEFORE_DUE, MONDAY_AFTER]) {
      for (const [name, who] of Object.entries(as)) {
        const { count, overdue } = await countPendingOn(db.prisma, who, at);
        waiting += count;
        const [item] = await approvalAttention(who, db.prisma, at);
        expect(item?.params ?? null, name).toEqual(count === 0 ? null : { count, overdue });
      }
    }
    expect(waiting).toBeGreaterThan(1);
  });
});
