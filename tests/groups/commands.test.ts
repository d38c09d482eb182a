import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupCreateEffect, groupDissolveEffect } from "@/lib/groups/approval-effects";
import { requestGroup, savePolicy, transferOwnership } from "@/lib/groups/commands";
import { DEFAULT_BLOCKED_WORD_EXEMPTIONS } from "@/lib/groups/naming-rule";
import { groupRequestSchema, policySchema, transferSchema } from "@/lib/groups/schemas";
import type { Actor } from "@/lib/server/actor";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { approveAll, auditActions, currentPolicyVersion, expectOk, requestAs, requestForm, run, seedGroupsOrganisation, type GroupsOrganisation } from "./helpers";

let db: TestDb;
let org: GroupsOrganisation;
let alice: Actor;
let bob: Actor;
let carol: Actor;
let admin: Actor;
let manager: Actor;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedGroupsOrganisation(db.prisma);
  alice = await actorFor(db.prisma, org.people.alice.id);
  bob = await actorFor(db.prisma, org.people.bob.id);
  carol = await actorFor(db.prisma, org.people.carol.id);
  admin = await actorFor(db.prisma, org.people.admin.id);
  manager = await actorFor(db.prisma, org.people.eastManager.id);
});
afterAll(async () => db?.close());

const group = (id: string) => db.prisma.workGroup.findUniqueOrThrow({ where: { id }, include: { administrators: true } });
const counts = async () => ({
  groups: await db.prisma.workGroup.count(),
  requests: await db.prisma.approvalRequest.count(),
  events: await db.prisma.auditEvent.count(),
});

describe("the naming rule on the server", () => {
  it("refuses a name with a blocked word (full-width, any case) and changes nothing", async () => {
    const before = await counts();
    const outcome = await run(db.prisma, alice, groupRequestSchema, await requestForm(db.prisma, org, { parts: ["ＴＥＳＴ", "答疑"] }), requestGroup);
    expect(outcome).toMatchObject({ ok: false, code: "VALIDATION", field: "name", messageKey: "groups.naming.problems.BLOCKED_WORD_VARIANT", params: { word: "test", part: "项目", found: "ＴＥＳＴ" } });
    expect(await counts()).toEqual(before);
  });

  it("refuses a blocked word inside a longer Chinese name, hidden or not, naming what it found (issue 13 item 2)", async () => {
    const before = await counts();
    for (const [parts, params] of [
      [["新品测试群", "答疑"], { word: "测试", part: "项目", found: "测试" }],
      [["双十一", "抢红\u200B包"], { word: "红包", part: "用途", found: "红包" }],
      [["周末臨 時", "值班"], { word: "临时", part: "项目", found: "臨 時" }],
    ] as const) {
      const outcome = await run(db.prisma, alice, groupRequestSchema, await requestForm(db.prisma, org, { parts: [...parts] }), requestGroup);
      expect(outcome, parts.join("/")).toMatchObject({ ok: false, code: "VALIDATION", field: "name", params });
    }
    expect(await counts()).toEqual(before);
  });

  it("the installed policy carries the default exemptions, so 检测试剂 passes", async () => {
    const v1 = await db.prisma.workGroupPolicy.findUniqueOrThrow({ where: { version: 1 } });
    expect(v1.blockedWordExemptions).toEqual([...DEFAULT_BLOCKED_WORD_EXEMPTIONS]);
    const outcome = await run(db.prisma, alice, groupRequestSchema, await requestForm(db.prisma, org, { parts: ["检测试剂", "采购协作"] }), requestGroup);
    expect(outcome).toMatchObject({ ok: true });
  });

  it("refuses a name longer than the rule allows, counted in characters", async () => {
    const outcome = await run(db.prisma, alice, groupRequestSchema, await requestForm(db.prisma, org, { parts: ["很".repeat(20), "答疑"] }), requestGroup);
    // 上海销售一组 (6) + - + 20 + - + 2 = 30 is allowed; 21 is not.
    expect(outcome).toMatchObject({ ok: true });
    const tooLong = await run(db.prisma, alice, groupRequestSchema, await requestForm(db.prisma, org, { parts: ["长".repeat(21), "答疑"] }), requestGroup);
    expect(tooLong).toMatchObject({ ok: false, field: "name", messageKey: "groups.naming.problems.TOO_LONG", params: { length: 31, max: 30 } });
  });

  it("refuses a missing part, a name already in use, and a form made under an older rule", async () => {
    const missing = await run(db.prisma, alice, groupRequestSchema, await requestForm(db.prisma, org, { parts: ["项目", ""] }), requestGroup);
    expect(missing).toMatchObject({ ok: false, messageKey: "groups.naming.problems.PART_REQUIRED", params: { part: "用途" } });

    const form = await requestForm(db.prisma, org, { parts: ["重名", "客户答疑"] });
    expectOk(await run(db.prisma, alice, groupRequestSchema, form, requestGroup));
    expect(await run(db.prisma, bob, groupRequestSchema, { ...form, ownerId: bob.id }, requestGroup)).toMatchObject({ ok: false, code: "CONFLICT", field: "name" });

    const old = await run(db.prisma, alice, groupRequestSchema, await requestForm(db.prisma, org, { policyVersion: "99" }), requestGroup);
    expect(old).toMatchObject({ ok: false, code: "STALE", messageKey: "groups.errors.policyChanged" });
  });
});

describe("requesting with bad input (forged posts) changes nothing and never fails unexpectedly", () => {
  it.each([
    ["an unknown classification", { classification: "TOP_SECRET" }, "classification"],
    ["an unknown platform", { platform: "QQ" }, "platform"],
    ["a malformed department id", { departmentId: "../../etc" }, "departmentId"],
    ["no owner", { ownerId: "" }, "ownerId"],
    ["a size over WeChat's 500", { platform: "WECHAT", expectedSize: "501" }, "expectedSize"],
    ["a size of 1", { expectedSize: "1" }, "expectedSize"],
    ["a size that is not a number", { expectedSize: "lots" }, "expectedSize"],
    ["markup in the name", { parts: ["<script>", "x"] }, "parts.0"],
    ["eleven administrators", { administratorIds: Array.from({ length: 11 }, (_, i) => `c${String(i).padStart(24, "0")}`) }, "administratorIds"],
  ])("%s: a validation error on its field", async (_label, overrides, field) => {
    const before = await counts();
    const outcome = await run(db.prisma, alice, groupRequestSchema, await requestForm(db.prisma, org, overrides), requestGroup);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.code).toBe("VALIDATION");
    expect(Object.keys(outcome.fieldErrors ?? {})).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["a department that does not exist", { departmentId: "cdoesnotexist000000000000" }, "departmentId"],
    ["an owner who does not exist", { ownerId: "cdoesnotexist000000000000" }, "ownerId"],
    ["an owner who has left", { ownerId: "DEPARTED" }, "ownerId"],
    ["an administrator who has left", { administratorIds: ["DEPARTED"] }, "administratorIds"],
  ])("%s: refused on its field", async (_label, overrides, field) => {
    const fix = (v: unknown): unknown => (v === "DEPARTED" ? org.people.departed.id : Array.isArray(v) ? v.map(fix) : v);
    const resolved = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, fix(v)]));
    const before = await counts();
    const outcome = await run(db.prisma, alice, groupRequestSchema, await requestForm(db.prisma, org, resolved), requestGroup);
    expect(outcome).toMatchObject({ ok: false, code: "VALIDATION", field });
    expect(await counts()).toEqual(before);
  });

  it("drops the owner from the administrators and duplicates from the list", async () => {
    const { id } = await requestAs(db.prisma, alice, org, { administratorIds: [alice.id, bob.id, bob.id] });
    expect((await group(id)).administrators.map((a) => a.employeeId)).toEqual([bob.id]);
  });
});

describe("transferring ownership", () => {
  it("the owner hands the group to an ACTIVE employee, audited, with a version check", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org, { administratorIds: [bob.id] });
    await approveAll(db.prisma, requestId);
    const g = await group(id);
    expectOk(await run(db.prisma, alice, transferSchema, { id, version: String(g.version), ownerId: bob.id }, transferOwnership));
    const after = await group(id);
    expect(after.ownerId).toBe(bob.id);
    expect(after.version).toBe(g.version + 1);
    // The new owner is no longer listed as an administrator as well.
    expect(after.administrators).toEqual([]);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: id, action: "workGroup.transfer" } });
    expect(event.before).toMatchObject({ ownerId: alice.id });
    expect(event.after).toMatchObject({ ownerId: bob.id, removedFromAdministrators: true });

    // alice is no longer the owner; her stale form is refused (she still sees it as its requester).
    expect(await run(db.prisma, alice, transferSchema, { id, version: String(after.version), ownerId: alice.id }, transferOwnership)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await run(db.prisma, bob, transferSchema, { id, version: String(g.version), ownerId: alice.id }, transferOwnership)).toMatchObject({ ok: false, code: "STALE" });
  });

  it("refuses a departed or unknown new owner, the same owner, and people who are not the owner", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org, { administratorIds: [bob.id] });
    await approveAll(db.prisma, requestId);
    const v = String((await group(id)).version);
    expect(await run(db.prisma, alice, transferSchema, { id, version: v, ownerId: org.people.departed.id }, transferOwnership)).toMatchObject({ ok: false, field: "ownerId" });
    expect(await run(db.prisma, alice, transferSchema, { id, version: v, ownerId: "cnobody000000000000000000" }, transferOwnership)).toMatchObject({ ok: false, field: "ownerId" });
    expect(await run(db.prisma, alice, transferSchema, { id, version: v, ownerId: alice.id }, transferOwnership)).toMatchObject({ ok: false, field: "ownerId" });
    // A group administrator, a manager of the subtree and a stranger may not.
    expect(await run(db.prisma, bob, transferSchema, { id, version: v, ownerId: bob.id }, transferOwnership)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await run(db.prisma, manager, transferSchema, { id, version: v, ownerId: bob.id }, transferOwnership)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await run(db.prisma, carol, transferSchema, { id, version: v, ownerId: carol.id }, transferOwnership)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await run(db.prisma, alice, transferSchema, { id: "cnotagroup000000000000000", version: v, ownerId: bob.id }, transferOwnership)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect((await group(id)).ownerId).toBe(alice.id);
  });

  it("ADMIN hands an ownerless group (owner departed) to a new owner", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org, { administratorIds: [] });
    await approveAll(db.prisma, requestId);
    await db.prisma.workGroup.update({ where: { id }, data: { ownerId: org.people.departed.id } });
    const v = String((await group(id)).version);
    expectOk(await run(db.prisma, admin, transferSchema, { id, version: v, ownerId: carol.id }, transferOwnership));
    expect((await group(id)).ownerId).toBe(carol.id);
  });
});

describe("the effects, called directly as the engine would", () => {
  it("apply once: a repeated approval changes nothing and audits nothing", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org);
    const request = { id: requestId, type: "GROUP_CREATE" as const, subjectType: "WorkGroup", subjectId: id, requesterId: alice.id, payload: null };
    await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => groupCreateEffect.onApproved({ tx, audit, actor: admin, request }));
    const once = await group(id);
    expect(once.status).toBe("ACTIVE");
    await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => groupCreateEffect.onApproved({ tx, audit, actor: admin, request }), { mutation: false });
    const twice = await group(id);
    expect(twice.version).toBe(once.version);
    expect(twice.reviewDueAt).toEqual(once.reviewDueAt);
    expect(await auditActions(db.prisma, id)).toEqual(["workGroup.request", "workGroup.activate"]);
  });

  it("refuse a move the group's state does not allow (a rejection of an ACTIVE group's creation)", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org);
    const request = { id: requestId, type: "GROUP_CREATE" as const, subjectType: "WorkGroup", subjectId: id, requesterId: alice.id, payload: null };
    await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => groupCreateEffect.onApproved({ tx, audit, actor: admin, request }));
    await expect(
      inUnitOfWork(db.prisma, admin, ({ tx, audit }) => groupCreateEffect.onRejected({ tx, audit, actor: admin, request, comment: "晚了" })),
    ).rejects.toMatchObject({ code: "INVALID_STATE", messageKey: "groups.errors.effectState" });
    expect((await group(id)).status).toBe("ACTIVE");
  });

  it("refuse a request of the wrong type or about something else", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org);
    const wrongType = { id: requestId, type: "GROUP_CREATE" as const, subjectType: "WorkGroup", subjectId: id, requesterId: alice.id, payload: null };
    await expect(inUnitOfWork(db.prisma, admin, ({ tx, audit }) => groupDissolveEffect.onApproved({ tx, audit, actor: admin, request: wrongType }))).rejects.toThrow(/reached the GROUP_DISSOLVE/);
    const account = { ...wrongType, subjectType: "Account" };
    await expect(inUnitOfWork(db.prisma, admin, ({ tx, audit }) => groupCreateEffect.onApproved({ tx, audit, actor: admin, request: account }))).rejects.toThrow(/about Account/);
    expect((await group(id)).status).toBe("PENDING_APPROVAL");
  });
});

describe("the policy (naming rule, archive window, review intervals)", () => {
  const form = (version: number, overrides: Record<string, string> = {}) => ({
    version: String(version),
    template: "{部门代码}_{项目}",
    maxLength: "40",
    blockedWords: "测试\n红包, 内部-机密",
    blockedWordExemptions: "测试仪\n检测试剂",
    archiveWindowDays: "14",
    reviewDaysPublic: "365",
    reviewDaysInternal: "180",
    reviewDaysConfidential: "60",
    reviewDaysSecret: "14",
    externalAllowed: ["PUBLIC", "INTERNAL"],
    departedMayStay: ["PUBLIC"],
    maxMembersPublic: "500",
    maxMembersInternal: "500",
    maxMembersConfidential: "200",
    maxMembersSecret: "50",
    ...overrides,
  });

  it("only naming.configure may save it; it becomes a new version, audited; a stale version is refused", async () => {
    const v = await currentPolicyVersion(db.prisma);
    expect(await run(db.prisma, manager, policySchema, form(v), savePolicy)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(expectOk(await run(db.prisma, admin, policySchema, form(v), savePolicy))).toEqual({ version: v + 1 });
    const saved = await db.prisma.workGroupPolicy.findUniqueOrThrow({ where: { version: v + 1 } });
    expect(saved).toMatchObject({ template: "{部门代码}_{项目}", maxLength: 40, blockedWords: ["测试", "红包", "内部-机密"], blockedWordExemptions: ["测试仪", "检测试剂"], archiveWindowDays: 14, reviewDaysSecret: 14, createdById: admin.id });
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "workGroupPolicy.update" }, orderBy: { id: "desc" } });
    expect(event.before).toMatchObject({ version: v });
    expect(event.after).toMatchObject({ version: v + 1, template: "{部门代码}_{项目}", blockedWordExemptions: ["测试仪", "检测试剂"] });
    // The old version stays as the record of what earlier names were checked against.
    expect(await db.prisma.workGroupPolicy.count({ where: { version: v } })).toBe(1);
    expect(await run(db.prisma, admin, policySchema, form(v), savePolicy)).toMatchObject({ ok: false, code: "STALE" });
  });

  it("new requests follow the new rule; the new review interval applies at activation", async () => {
    const v = await currentPolicyVersion(db.prisma);
    const { id, requestId } = expectOk(
      await run(db.prisma, alice, groupRequestSchema, { ...(await requestForm(db.prisma, org)), parts: ["新规则"], classification: "SECRET" }, requestGroup),
    );
    const g = await group(id);
    expect(g.name).toBe("SALES-EAST-SH1_新规则");
    expect(g.policyVersion).toBe(v);
    await approveAll(db.prisma, requestId);
    const active = await group(id);
    expect(active.reviewDueAt!.getTime() - active.activatedAt!.getTime()).toBe(14 * 86_400_000);
    // "内部-机密" is a two-word blocked term.
    const blocked = await run(db.prisma, alice, groupRequestSchema, { ...(await requestForm(db.prisma, org)), parts: ["内部 机密"] }, requestGroup);
    expect(blocked).toMatchObject({ ok: false, messageKey: "groups.naming.problems.BLOCKED_WORD_VARIANT", params: { word: "内部-机密", found: "内部 机密" } });
    // The administrator's exemption: 测试 inside 测试仪 does not count, elsewhere it does.
    const exempt = await run(db.prisma, alice, groupRequestSchema, { ...(await requestForm(db.prisma, org)), parts: ["测试仪采购"] }, requestGroup);
    expect(exempt).toMatchObject({ ok: true });
    const notExempt = await run(db.prisma, alice, groupRequestSchema, { ...(await requestForm(db.prisma, org)), parts: ["测试仪测试"] }, requestGroup);
    expect(notExempt).toMatchObject({ ok: false, messageKey: "groups.naming.problems.BLOCKED_WORD", params: { word: "测试" } });
  });

  it("refuses a broken rule with the problem on its field", async () => {
    const v = await currentPolicyVersion(db.prisma);
    expect(await run(db.prisma, admin, policySchema, form(v, { template: "{部门}-固定" }), savePolicy)).toMatchObject({ ok: false, field: "template", messageKey: "groups.naming.ruleProblems.NO_FREE_PART" });
    expect(await run(db.prisma, admin, policySchema, form(v, { blockedWords: "***" }), savePolicy)).toMatchObject({ ok: false, field: "blockedWords" });
    expect(await run(db.prisma, admin, policySchema, form(v, { blockedWordExemptions: "——" }), savePolicy)).toMatchObject({ ok: false, field: "blockedWordExemptions", messageKey: "groups.naming.ruleProblems.EXEMPTION_NO_LETTERS" });
    expect(await run(db.prisma, admin, policySchema, form(v, { maxLength: "3" }), savePolicy)).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(await run(db.prisma, admin, policySchema, form(v, { reviewDaysSecret: "0" }), savePolicy)).toMatchObject({ ok: false, code: "VALIDATION" });
    expect(await currentPolicyVersion(db.prisma)).toBe(v);
  });
});
