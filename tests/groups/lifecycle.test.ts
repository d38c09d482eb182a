import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmReview, recordArchive, requestDissolution, requestGroup } from "@/lib/groups/commands";
import { archiveSchema, groupRefSchema, groupRequestSchema } from "@/lib/groups/schemas";
import { isoDay, localDay } from "@/lib/groups/policy-rules";
import { decideApprovalStep } from "@/lib/approvals/engine";
import type { Actor } from "@/lib/server/actor";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { approveAll, auditActions, expectOk, rejectCurrent, requestAs, requestForm, run, seedGroupsOrganisation, withdraw, type GroupsOrganisation } from "./helpers";

let db: TestDb;
let org: GroupsOrganisation;
let alice: Actor;
let admin: Actor;

const DAY = 86_400_000;
const daysAgo = (n: number) => isoDay(new Date(localDay(new Date()).getTime() - n * DAY));

beforeAll(async () => {
  db = await createTestDb();
  org = await seedGroupsOrganisation(db.prisma);
  alice = await actorFor(db.prisma, org.people.alice.id);
  admin = await actorFor(db.prisma, org.people.admin.id);
});
afterAll(async () => db?.close());

async function group(id: string) {
  return db.prisma.workGroup.findUniqueOrThrow({ where: { id }, include: { administrators: true } });
}

async function activeGroup(classification = "INTERNAL") {
  const { id, requestId } = await requestAs(db.prisma, alice, org, { classification });
  expect(await approveAll(db.prisma, requestId)).toBe("APPROVED");
  return group(id);
}

async function archive(actor: Actor, id: string, exportedOn: string) {
  return run(db.prisma, actor, archiveSchema, { id, content: "聊天记录与群文件", location: "企业知识库/归档/2026", exportedOn, note: "" }, recordArchive);
}

describe("requesting a group", () => {
  it("creates the group PENDING_APPROVAL and a GROUP_CREATE request in the same transaction", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org);
    const g = await group(id);
    expect(g).toMatchObject({ status: "PENDING_APPROVAL", ownerId: org.people.alice.id, requesterId: org.people.alice.id, departmentId: org.dept.sh1.id, version: 1, reviewDueAt: null });
    expect(g.name).toMatch(/^上海销售一组-项目\d+-客户答疑$/);
    expect(g.administrators.map((a) => a.employeeId)).toEqual([org.people.bob.id]);

    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(request).toMatchObject({ type: "GROUP_CREATE", subjectType: "WorkGroup", subjectId: id, status: "PENDING", requesterId: alice.id });
    expect(request.facts).toEqual({ managerOfDepartmentId: org.dept.sh1.id, classification: "INTERNAL" });
    // Shanghai-1 has no manager: the first step walks up to East's.
    expect(request.steps[0]).toMatchObject({ kind: "DEPARTMENT_MANAGER", approverId: org.people.eastManager.id, status: "PENDING" });
    expect(await auditActions(db.prisma, id)).toEqual(["workGroup.request"]);
  });

  it("adds the privacy officer's step for a CONFIDENTIAL group", async () => {
    const { requestId } = await requestAs(db.prisma, alice, org, { classification: "CONFIDENTIAL" });
    const steps = await db.prisma.approvalRequestStep.findMany({ where: { requestId }, orderBy: { position: "asc" } });
    expect(steps.map((s) => [s.role ?? s.kind, s.status])).toEqual([
      ["DEPARTMENT_MANAGER", "PENDING"],
      ["PRIVACY_OFFICER", "WAITING"],
      ["ADMIN", "WAITING"],
    ]);
  });
});

describe("the approval effects", () => {
  it("approval makes the group ACTIVE with a review date by its classification", async () => {
    const before = Date.now();
    for (const [classification, days] of [["PUBLIC", 180], ["INTERNAL", 180], ["CONFIDENTIAL", 90], ["SECRET", 30]] as const) {
      const g = await activeGroup(classification);
      expect(g.status).toBe("ACTIVE");
      expect(g.version).toBe(2);
      expect(g.activatedAt!.getTime()).toBeGreaterThanOrEqual(before);
      expect(g.reviewDueAt!.getTime() - g.activatedAt!.getTime()).toBe(days * DAY);
      expect(await auditActions(db.prisma, g.id)).toEqual(["workGroup.request", "workGroup.activate"]);
    }
  });

  it("rejection makes it REJECTED, withdrawal WITHDRAWN", async () => {
    const rejected = await requestAs(db.prisma, alice, org);
    await rejectCurrent(db.prisma, rejected.requestId);
    expect((await group(rejected.id)).status).toBe("REJECTED");
    const events = await db.prisma.auditEvent.findMany({ where: { entityType: "WorkGroup", entityId: rejected.id, action: "workGroup.reject" } });
    expect(events).toHaveLength(1);
    expect(events[0].after).toMatchObject({ status: "REJECTED", comment: "不需要这个群", requestId: rejected.requestId });

    const withdrawn = await requestAs(db.prisma, alice, org);
    await withdraw(db.prisma, withdrawn.requestId);
    expect((await group(withdrawn.id)).status).toBe("WITHDRAWN");
    expect(await auditActions(db.prisma, withdrawn.id)).toEqual(["workGroup.request", "workGroup.withdraw"]);
  });

  it("rejection at the last step (after the manager approved) also ends in REJECTED", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org);
    const first = await db.prisma.approvalRequestStep.findFirstOrThrow({ where: { requestId, status: "PENDING" } });
    const manager = await actorFor(db.prisma, first.approverId!);
    await inUnitOfWork(db.prisma, manager, ({ tx, audit }) => decideApprovalStep({ tx, audit, actor: manager }, { requestId, stepId: first.id, decision: "APPROVE" }));
    expect((await group(id)).status).toBe("PENDING_APPROVAL");
    await rejectCurrent(db.prisma, requestId, "信息不全");
    expect((await group(id)).status).toBe("REJECTED");
  });
});

describe("recertification", () => {
  it("the owner's confirmation resets the review date, audited; a stale version changes nothing", async () => {
    const g = await activeGroup("SECRET");
    // Pretend the review is overdue.
    const past = new Date(Date.now() - 3 * DAY);
    await db.prisma.workGroup.update({ where: { id: g.id }, data: { reviewDueAt: past } });
    const before = Date.now();
    expectOk(await run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(g.version) }, confirmReview));
    const after = await group(g.id);
    expect(after.version).toBe(g.version + 1);
    expect(after.lastReviewedAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(after.reviewDueAt!.getTime() - after.lastReviewedAt!.getTime()).toBe(30 * DAY);
    expect((await auditActions(db.prisma, g.id)).at(-1)).toBe("workGroup.review");

    const again = await run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(g.version) }, confirmReview);
    expect(again).toMatchObject({ ok: false, code: "STALE" });
  });

  it("an administrator of the group cannot confirm for the owner; ADMIN can", async () => {
    const g = await activeGroup();
    const bob = await actorFor(db.prisma, org.people.bob.id);
    expect(await run(db.prisma, bob, groupRefSchema, { id: g.id, version: String(g.version) }, confirmReview)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expectOk(await run(db.prisma, admin, groupRefSchema, { id: g.id, version: String(g.version) }, confirmReview));
  });

  it("a group that is not ACTIVE cannot be reviewed", async () => {
    const { id } = await requestAs(db.prisma, alice, org);
    expect(await run(db.prisma, alice, groupRefSchema, { id, version: "1" }, confirmReview)).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });
});

describe("archives and dissolution", () => {
  it("refuses a dissolution without an archive record, and with one as old as the window or older (younger than 7 days, strictly)", async () => {
    const g = await activeGroup();
    const none = await run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(g.version) }, requestDissolution);
    expect(none).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "groups.errors.archiveMissing", params: { days: 7 } });

    expectOk(await archive(alice, g.id, daysAgo(8)));
    const old = await run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(g.version) }, requestDissolution);
    expect(old).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "groups.errors.archiveStale", params: { days: 7, exportedOn: daysAgo(8) } });
    // Exactly seven days old is not younger than seven days.
    expectOk(await archive(alice, g.id, daysAgo(7)));
    const seven = await run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(g.version) }, requestDissolution);
    expect(seven).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "groups.errors.archiveStale", params: { days: 7, exportedOn: daysAgo(7) } });
    expect((await group(g.id)).status).toBe("ACTIVE");
    expect(await db.prisma.approvalRequest.count({ where: { subjectId: g.id, type: "GROUP_DISSOLVE" } })).toBe(0);
  });

  it("accepts it after a fresh archive (6 days old counts), DISSOLVED after approval", async () => {
    const g = await activeGroup("CONFIDENTIAL");
    expectOk(await archive(alice, g.id, daysAgo(6)));
    const { requestId } = expectOk(await run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(g.version) }, requestDissolution));
    expect((await group(g.id)).status).toBe("DISSOLUTION_PENDING");
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    // The owner's department (Shanghai-1) decides who the manager is, and the classification adds
    // the privacy officer.
    expect(request).toMatchObject({ type: "GROUP_DISSOLVE", subjectId: g.id });
    expect(request.facts).toEqual({ managerOfDepartmentId: org.dept.sh1.id, classification: "CONFIDENTIAL" });
    expect(await approveAll(db.prisma, requestId)).toBe("APPROVED");
    const done = await group(g.id);
    expect(done.status).toBe("DISSOLVED");
    expect(done.dissolvedAt).not.toBeNull();
    expect(done.reviewDueAt).toBeNull();
    expect(await auditActions(db.prisma, g.id)).toEqual(["workGroup.request", "workGroup.activate", "workGroup.archive", "workGroup.dissolutionRequest", "workGroup.dissolve"]);
    // Nothing more happens to a dissolved group.
    expect(await archive(alice, g.id, daysAgo(0))).toMatchObject({ ok: false, code: "INVALID_STATE" });
    expect(await run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(done.version) }, confirmReview)).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });

  it("checks the archive again when the dissolution takes effect: stale by the final approval, the approval is refused and nothing is applied", async () => {
    const g = await activeGroup("CONFIDENTIAL"); // several steps: the manager, …, the privacy officer
    expectOk(await archive(alice, g.id, daysAgo(1)));
    const { requestId } = expectOk(await run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(g.version) }, requestDissolution));
    // The request waits; meanwhile the archive ages: its export day is now seven days back.
    await db.prisma.workGroupArchive.updateMany({ where: { groupId: g.id }, data: { exportedOn: new Date(`${daysAgo(7)}T00:00:00.000Z`) } });
    const before = { group: await group(g.id), audit: await auditActions(db.prisma, g.id) };
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    const refused = await approveAll(db.prisma, requestId).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: "INVALID_STATE", messageKey: "groups.errors.archiveStaleAtEffect", options: { params: { days: 7, exportedOn: daysAgo(7) } } });
    // The earlier steps were decided (they have no effect); the final one was not: nothing half-applied.
    expect((await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("PENDING");
    const steps = await db.prisma.approvalRequestStep.findMany({ where: { requestId }, orderBy: { position: "asc" } });
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.map((s) => s.status)).toEqual([...steps.slice(0, -1).map(() => "APPROVED"), "PENDING"]);
    const still = await group(g.id);
    expect(still).toMatchObject({ status: "DISSOLUTION_PENDING", version: before.group.version, dissolvedAt: null });
    expect(await auditActions(db.prisma, g.id)).toEqual(before.audit);
    expect(request.status).toBe("PENDING");

    // A new archive: the same final approval now goes through.
    expectOk(await archive(alice, g.id, daysAgo(0)));
    expect(await approveAll(db.prisma, requestId)).toBe("APPROVED");
    expect((await group(g.id)).status).toBe("DISSOLVED");
  });

  it("uses the owner's department, not the requester's, when ADMIN asks for the dissolution", async () => {
    const g = await activeGroup();
    expectOk(await archive(admin, g.id, daysAgo(0)));
    const { requestId } = expectOk(await run(db.prisma, admin, groupRefSchema, { id: g.id, version: String(g.version) }, requestDissolution));
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(request.facts).toMatchObject({ managerOfDepartmentId: org.dept.sh1.id });
  });

  it("goes back to ACTIVE when the dissolution is rejected or withdrawn", async () => {
    const g = await activeGroup();
    expectOk(await archive(alice, g.id, daysAgo(1)));
    const first = expectOk(await run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(g.version) }, requestDissolution));
    await rejectCurrent(db.prisma, first.requestId);
    const rejected = await group(g.id);
    expect(rejected.status).toBe("ACTIVE");

    const second = expectOk(await run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(rejected.version) }, requestDissolution));
    await withdraw(db.prisma, second.requestId);
    expect((await group(g.id)).status).toBe("ACTIVE");
    expect((await auditActions(db.prisma, g.id)).slice(-4)).toEqual(["workGroup.dissolutionRequest", "workGroup.dissolutionReject", "workGroup.dissolutionRequest", "workGroup.dissolutionWithdraw"]);
  });

  it("archive records: owner, group administrator or ADMIN; not others, not in the future", async () => {
    const g = await activeGroup();
    const bob = await actorFor(db.prisma, org.people.bob.id);
    const carol = await actorFor(db.prisma, org.people.carol.id);
    const manager = await actorFor(db.prisma, org.people.eastManager.id);
    expectOk(await archive(bob, g.id, daysAgo(0)));
    expectOk(await archive(admin, g.id, daysAgo(0)));
    expect(await archive(carol, g.id, daysAgo(0))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    // The manager reads the group (their subtree) but does not keep its archives.
    expect(await archive(manager, g.id, daysAgo(0))).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await archive(alice, g.id, daysAgo(-1))).toMatchObject({ ok: false, code: "VALIDATION", field: "exportedOn" });
    const rows = await db.prisma.workGroupArchive.findMany({ where: { groupId: g.id } });
    expect(rows.map((r) => r.recordedById).sort()).toEqual([org.people.admin.id, org.people.bob.id].sort());
  });
});

describe("at the same time", () => {
  it("two dissolution requests for one group: exactly one is accepted", async () => {
    const g = await activeGroup();
    expectOk(await archive(alice, g.id, daysAgo(0)));
    const results = await Promise.all([
      run(db.prisma, alice, groupRefSchema, { id: g.id, version: String(g.version) }, requestDissolution),
      run(db.prisma, admin, groupRefSchema, { id: g.id, version: String(g.version) }, requestDissolution),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, code: "STALE" });
    expect(await db.prisma.approvalRequest.count({ where: { subjectId: g.id, type: "GROUP_DISSOLVE" } })).toBe(1);
    // An archive can still be recorded while the dissolution is being decided.
    expectOk(await archive(alice, g.id, daysAgo(0)));
  });

  it("two requests for the same name: exactly one is accepted", async () => {
    const bob = await actorFor(db.prisma, org.people.bob.id);
    const form = await requestForm(db.prisma, org, { parts: ["同时", "同名"] });
    const results = await Promise.all([
      run(db.prisma, alice, groupRequestSchema, form, requestGroup),
      run(db.prisma, bob, groupRequestSchema, { ...form, ownerId: bob.id, administratorIds: [] }, requestGroup),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, code: "CONFLICT", field: "name" });
  });
});
