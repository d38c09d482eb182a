import { describe, expect, it } from "vitest";
import { batchApprove } from "@/lib/approvals/batch";
import { isBatchApprovable } from "@/lib/approvals/batch-rules";
import { decideApprovalStep, submitApprovalRequest } from "@/lib/approvals/engine";
import { listInbox, nextPendingRequestId } from "@/lib/approvals/queries";
import { batchApproveSchema } from "@/lib/approvals/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { withApprovalsEnv } from "../helpers/approvals-env";
import type { TestDb } from "../helpers/test-db";
import { groupCreate, must, recordingEffects, stepsOf, type ApprovalsOrg } from "./helpers";

// Batch approval (docs/approvals.md): only low-risk requests, each item decided by the engine in
// its own transaction (authorization and segregation of duties per item, one audit event per
// decision), refusals reported item by item without undoing the others. And the inbox search.

let db: TestDb;
let org: ApprovalsOrg;
let as: Record<keyof ApprovalsOrg["people"], Actor>;
const { effects } = recordingEffects();
const options = { effects };

withApprovalsEnv((env) => ({ db, org, as } = env));

type Input = ReturnType<typeof groupCreate> | (Omit<ReturnType<typeof groupCreate>, "type"> & { type: "GROUP_DISSOLVE" });
const submit = (actor: Actor, input: Input) => must(db.prisma, actor, (ctx) => submitApprovalRequest(ctx, input, options));
const firstStep = async (requestId: string) => (await stepsOf(db.prisma, requestId))[0];
const decisionsAudited = (requestId: string) => db.prisma.auditEvent.count({ where: { entityId: requestId, action: { in: ["approval.approve", "approval.reject"] } } });

describe("what counts as low-risk", () => {
  it("a public or internal work-group creation; nothing secret, and no dissolution", () => {
    expect(isBatchApprovable({ type: "GROUP_CREATE", facts: { classification: "INTERNAL" } })).toBe(true);
    expect(isBatchApprovable({ type: "GROUP_CREATE", facts: { classification: "PUBLIC" } })).toBe(true);
    expect(isBatchApprovable({ type: "GROUP_CREATE", facts: { classification: "CONFIDENTIAL" } })).toBe(false);
    expect(isBatchApprovable({ type: "GROUP_CREATE", facts: {} })).toBe(false);
    expect(isBatchApprovable({ type: "GROUP_DISSOLVE", facts: { classification: "PUBLIC" } })).toBe(false);
    expect(isBatchApprovable({ type: "ACCOUNT_DISSOLVE", facts: { classification: "PUBLIC" } })).toBe(false);
  });

  it("the form sends requestId:stepId pairs, at least one and at most 50", () => {
    const a = "a".repeat(25);
    const b = "b".repeat(25);
    expect(batchApproveSchema.parse({ items: [`${a}:${b}`] }).items).toEqual([{ requestId: a, stepId: b }]);
    expect(batchApproveSchema.safeParse({ items: [] }).success).toBe(false);
    expect(batchApproveSchema.safeParse({ items: ["nonsense"] }).success).toBe(false);
    expect(batchApproveSchema.safeParse({ items: Array.from({ length: 51 }, () => `${a}:${b}`) }).success).toBe(false);
  });
});

describe("batch approval", () => {
  it("approves each permitted low-risk item, reports every refusal, and audits each decision on its own", async () => {
    const internal = await submit(as.sh1Staff, groupCreate(org.dept.sh1.id, "INTERNAL"));
    const pub = await submit(as.eastStaff, groupCreate(org.dept.east.id, "PUBLIC"));
    const secretInput = groupCreate(org.dept.east.id, "SECRET");
    const secret = await submit(as.eastStaff, secretInput);
    // Waits on the IT department's manager (the administrator), not on the east manager.
    const elsewhere = await submit(as.loneStaff, groupCreate(org.dept.it.id, "INTERNAL"));

    // The inbox offers the checkbox for the low-risk ones only.
    const inbox = await listInbox(db.prisma, as.eastManager, "pending", 1);
    const offered = Object.fromEntries(inbox.items.map((i) => [i.requestId, i.batchable]));
    expect(offered).toMatchObject({ [internal.id]: true, [pub.id]: true, [secret.id]: false });
    expect(offered[elsewhere.id]).toBeUndefined();

    const items = await Promise.all([secret.id, internal.id, elsewhere.id, pub.id].map(async (id) => ({ requestId: id, stepId: (await firstStep(id)).id })));
    const results = await batchApprove(db.prisma, as.eastManager, items, options);

    expect(results.map((r) => [r.requestId, r.ok])).toEqual([
      [secret.id, false],
      [internal.id, true],
      [elsewhere.id, false],
      [pub.id, true],
    ]);
    // Not low-risk: refused with the reason, even though the manager may decide it one by one.
    expect(results[0]).toMatchObject({ code: "FORBIDDEN", messageKey: "approvals.batchErrors.notBatchable", title: secretInput.title });
    // Not theirs to see: the same answer as a request that does not exist, and no title.
    expect(results[2]).toMatchObject({ code: "NOT_FOUND", title: null });

    for (const id of [internal.id, pub.id]) {
      const step = await firstStep(id);
      expect(step).toMatchObject({ status: "APPROVED", decidedById: org.people.eastManager.id });
      expect(await decisionsAudited(id)).toBe(1);
    }
    for (const id of [secret.id, elsewhere.id]) {
      expect((await firstStep(id)).status).toBe("PENDING");
      expect(await decisionsAudited(id)).toBe(0);
    }
  });

  it("checks who may decide, item by item: not the requester, not a step of someone else", async () => {
    const own = await submit(as.eastManager, groupCreate(org.dept.east.id, "INTERNAL"));
    const other = await submit(as.sh1Staff, groupCreate(org.dept.sh1.id, "INTERNAL"));
    const ownStep = await firstStep(own.id);
    const otherStep = await firstStep(other.id);

    // The requester cannot approve their own request in a batch.
    const [mine] = await batchApprove(db.prisma, as.eastManager, [{ requestId: own.id, stepId: ownStep.id }], options);
    expect(mine).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect((await firstStep(own.id)).status).toBe("PENDING");

    // Someone the request does not wait on: refused as not found, nothing decided.
    const byStranger = await batchApprove(db.prisma, as.stranger, [{ requestId: other.id, stepId: otherStep.id }], options);
    expect(byStranger).toEqual([expect.objectContaining({ ok: false, code: "NOT_FOUND" })]);
    expect((await firstStep(other.id)).status).toBe("PENDING");

    // A step id that is not of that request: refused.
    const [mismatch] = await batchApprove(db.prisma, as.eastManager, [{ requestId: other.id, stepId: ownStep.id }], options);
    expect(mismatch).toMatchObject({ ok: false, code: "NOT_FOUND", messageKey: "approvals.errors.stepNotFound" });
  });

  it("keeps segregation of duties: whoever decided one step is refused another of the same request", async () => {
    // Requested in IT: the administrator (IT's manager) decides step 1; a later ADMIN step is another ADMIN's.
    const req = await submit(as.eastStaff, groupCreate(org.dept.it.id, "INTERNAL"));
    const steps = await stepsOf(db.prisma, req.id);
    const adminStep = steps.find((s) => s.role === "ADMIN");
    expect(steps[0].approverId).toBe(org.people.admin.id);
    expect(adminStep).toBeDefined();

    const [first] = await batchApprove(db.prisma, as.admin, [{ requestId: req.id, stepId: steps[0].id }], options);
    expect(first).toMatchObject({ ok: true, status: "PENDING" });
    // Every step before the ADMIN one approved by its own decider.
    for (const s of await stepsOf(db.prisma, req.id)) {
      if (s.id === adminStep!.id || s.status !== "PENDING") continue;
      const decider = s.approverId ? await actorFor(db.prisma, s.approverId) : s.role === "PRIVACY_OFFICER" ? as.privacy : as.admin2;
      await must(db.prisma, decider, (ctx) => decideApprovalStep(ctx, { requestId: req.id, stepId: s.id, decision: "APPROVE" }, options));
    }
    expect((await stepsOf(db.prisma, req.id)).find((s) => s.id === adminStep!.id)?.status).toBe("PENDING");

    const [again] = await batchApprove(db.prisma, as.admin, [{ requestId: req.id, stepId: adminStep!.id }], options);
    expect(again).toMatchObject({ ok: false, code: "FORBIDDEN", messageKey: "approvals.errors.decidedAnotherStep", params: { position: 1 } });
    const [other] = await batchApprove(db.prisma, as.admin2, [{ requestId: req.id, stepId: adminStep!.id }], options);
    expect(other).toMatchObject({ ok: true, status: "APPROVED" });
    expect(await db.prisma.auditEvent.count({ where: { entityId: req.id, action: "approval.approve" } })).toBe((await stepsOf(db.prisma, req.id)).filter((s) => s.decidedById).length);
  });

  it("one item counted once when sent twice", async () => {
    const req = await submit(as.sh1Staff, groupCreate(org.dept.sh1.id, "PUBLIC"));
    const step = await firstStep(req.id);
    const results = await batchApprove(db.prisma, as.eastManager, [{ requestId: req.id, stepId: step.id }, { requestId: req.id, stepId: step.id }], options);
    expect(results).toHaveLength(1);
    expect(results[0].ok).toBe(true);
    expect(await decisionsAudited(req.id)).toBe(1);
  });
});

describe("the next waiting item", () => {
  it("is the first other request waiting on the approver, in the inbox's order, or none", async () => {
    const pending = (await listInbox(db.prisma, as.eastManager, "pending", 1)).items.map((i) => i.requestId);
    expect(pending.length).toBeGreaterThan(0);
    expect(await nextPendingRequestId(db.prisma, as.eastManager)).toBe(pending[0]);
    expect(await nextPendingRequestId(db.prisma, as.eastManager, pending[0])).toBe(pending[1] ?? null);
    expect(await nextPendingRequestId(db.prisma, as.stranger)).toBeNull();
  });
});

describe("inbox search", () => {
  it("finds by title, requester's name and type's name, on the server, within what the person may see", async () => {
    const input = groupCreate(org.dept.sh1.id, "INTERNAL");
    const req = await submit(as.sh1Staff, { ...input, title: "建群：搜索测试-蓝鲸项目群" });
    const ids = async (actor: Actor, q: string, tab: "pending" | "mine" = "pending") => (await listInbox(db.prisma, actor, tab, 1, new Date(), 100, q)).items.map((i) => i.requestId);

    expect(await ids(as.eastManager, "蓝鲸")).toEqual([req.id]);
    expect(await ids(as.eastManager, "  蓝鲸项目  ")).toEqual([req.id]);
    expect(await ids(as.eastManager, "李小雨")).toContain(req.id);
    expect(await ids(as.eastManager, "李小雨")).not.toContain((await listInbox(db.prisma, as.eastManager, "pending", 1, new Date(), 100)).items.find((i) => i.requesterName !== "李小雨")?.requestId ?? "none");
    expect(await ids(as.eastManager, "建群申请")).toContain(req.id);
    expect(await ids(as.eastManager, "new work group")).toContain(req.id);
    expect(await ids(as.eastManager, "解散群")).toEqual([]);
    expect(await ids(as.eastManager, "没有这样的申请")).toEqual([]);
    // The requester finds it among their own; someone it does not wait on does not.
    expect(await ids(as.sh1Staff, "蓝鲸", "mine")).toEqual([req.id]);
    expect(await ids(as.stranger, "蓝鲸")).toEqual([]);
    expect((await listInbox(db.prisma, as.eastManager, "pending", 1, new Date(), 100, "蓝鲸")).total).toBe(1);
  });
});
