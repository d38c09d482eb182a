import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDashboard } from "@/lib/dashboard/compute";
import { FIGURES } from "@/lib/dashboard/figures";
import { resolveDashboardScope } from "@/lib/dashboard/scope";
import { registerGroup, savePolicy } from "@/lib/groups/commands";
import { DEFAULT_MEMBERSHIP_RULES } from "@/lib/groups/membership";
import { loadPolicy } from "@/lib/groups/policy";
import { listGroups } from "@/lib/groups/queries";
import { groupListSchema, policySchema, registerSchema } from "@/lib/groups/schemas";
import { UNREGISTERED_NOTICE_KIND, VIOLATIONS_NOTICE_KIND } from "@/lib/groups/tasks";
import type { Actor } from "@/lib/server/actor";
import { governanceStep } from "@/lib/wecom/sync/governance";
import { applyExternalChatEvent, groupsStep } from "@/lib/wecom/sync/groups";
import { runStepForTest } from "@/lib/wecom/sync/runner";
import type { EventContext } from "@/lib/wecom/sync/types";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { actorFor } from "../helpers/actors";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { makePortalGroup, seedWeComDirectory, wecomGroupsSnapshot, type WeComDirectory } from "./groups-helpers";
import { customersClient, simAdmin, usePiiKey } from "./helpers";

// Membership governance (成员准入) against the simulator and PostgreSQL: each rule opened by what
// WeCom reports and resolved when it no longer holds (rows kept), the rules' form, the owners'
// one-a-day task, the dashboard figure equal to its list, the change callback, and registering a
// group found in WeCom.

let sim: WeComSim;
let db: TestDb;
let owner: pg.Client;
let dir: WeComDirectory;
let admin: Actor;
/** A chat with external members, requested here as a CONFIDENTIAL group. */
let confidentialChat: string;
let confidentialId: string;
const DEPARTED_USERID = "u000039"; // status 5 in the simulator, DEPARTED in the directory

beforeAll(async () => {
  usePiiKey();
  sim = await startWeComSim({ size: "small" });
  db = await createTestDb();
  owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  dir = await seedWeComDirectory(db.prisma, sim, sim.company.size.members);
  admin = await actorFor(db.prisma, dir.admin.id);
  const g = Array.from({ length: sim.company.size.groups }, (_, i) => i).find((i) => sim.company.group(i).member_list.some((m) => m.type === 2) && sim.company.groupStatus(i) === 0)!;
  confidentialChat = sim.company.chatId(g);
  const o = dir.byUserid.get(sim.company.group(g).owner)!;
  confidentialId = (await makePortalGroup(db.prisma, { chatId: confidentialChat, ownerId: o.id, departmentId: o.departmentId, classification: "CONFIDENTIAL" })).id;
});
afterAll(async () => {
  await owner?.end();
  await db?.close();
  await sim?.stop();
});

const clients = () => ({ contacts: null, customers: customersClient(db.prisma, sim) });
async function syncAll() {
  expect((await runStepForTest(db.prisma, groupsStep, clients())).outcome).toBe("SUCCEEDED");
  const r = await runStepForTest(db.prisma, governanceStep, clients());
  expect(r.outcome).toBe("SUCCEEDED");
  return db.prisma.weComSyncStep.findUniqueOrThrow({ where: { runId_step: { runId: r.runId, step: "governance" } } });
}
const violations = (groupId: string, kind?: string) => db.prisma.workGroupViolation.findMany({ where: { groupId, ...(kind ? { kind } : {}) }, orderBy: { openedAt: "asc" } });
const groupOf = (chatId: string) => db.prisma.workGroup.findFirstOrThrow({ where: { platform: "WECOM", externalId: chatId } });
const eventCtx = (): EventContext => ({ prisma: db.prisma, contacts: null, customers: customersClient(db.prisma, sim), settings: { leaverAction: "OPEN_CASE" }, now: () => new Date(), log: () => undefined });

/** A synced INTERNAL group (externals allowed, leavers not) without any departed member, not the confidential one. */
async function cleanInternalChat(): Promise<string> {
  for (let i = 0; i < sim.company.size.groups; i++) {
    const chat = sim.company.group(i);
    if (chat.chat_id !== confidentialChat && sim.company.groupStatus(i) === 0 && !chat.member_list.some((m) => m.userid === DEPARTED_USERID) && chat.member_list.length < 10) return chat.chat_id;
  }
  throw new Error("no clean group");
}

const policyForm = (version: number, overrides: Record<string, string | string[]> = {}) => ({
  version: String(version),
  template: "{部门}-{项目}-{用途}",
  maxLength: "30",
  blockedWords: "测试",
  blockedWordExemptions: "",
  archiveWindowDays: "7",
  reviewDaysPublic: "180",
  reviewDaysInternal: "180",
  reviewDaysConfidential: "90",
  reviewDaysSecret: "30",
  externalAllowed: ["PUBLIC", "INTERNAL"],
  departedMayStay: ["PUBLIC"],
  maxMembersPublic: "500",
  maxMembersInternal: "500",
  maxMembersConfidential: "200",
  maxMembersSecret: "50",
  ...overrides,
});
const policyVersion = async () => (await loadPolicy(db.prisma)).version;

describe("the membership rules' form", () => {
  it("starts from the documented defaults", async () => {
    expect((await loadPolicy(db.prisma)).membership).toEqual(DEFAULT_MEMBERSHIP_RULES);
  });

  it("refuses sizes out of range and a higher classification looser than a lower one, on the field to correct", async () => {
    const v = await policyVersion();
    const refused = async (overrides: Record<string, string | string[]>) => {
      const r = await run(db.prisma, admin, policySchema, policyForm(v, overrides), savePolicy);
      expect(r.ok).toBe(false);
      return r.ok ? {} : (r.fieldErrors ?? {});
    };
    expect(await refused({ maxMembersSecret: "1" })).toEqual({ maxMembersSecret: ["groups.v.atLeast"] });
    expect(await refused({ maxMembersPublic: "2001" })).toEqual({ maxMembersPublic: ["groups.v.atMost"] });
    expect(await refused({ maxMembersInternal: "12.5" })).toEqual({ maxMembersInternal: ["errors.v.integer"] });
    expect(await refused({ maxMembersSecret: "300" })).toEqual({ maxMembersSecret: ["groups.v.stricterSize"] });
    expect(await refused({ externalAllowed: ["PUBLIC", "SECRET"] })).toEqual({ externalAllowed: ["groups.v.stricterExternal"] });
    expect(await refused({ departedMayStay: ["CONFIDENTIAL"] })).toEqual({ departedMayStay: ["groups.v.stricterDeparted"] });
    expect(await refused({ externalAllowed: ["PUBLIC", "TOP"] })).toEqual({ externalAllowed: ["errors.v.invalidChoice"] });
    // Nothing was saved; a manager may not save at all.
    expect(await policyVersion()).toBe(v);
    const manager = await actorFor(db.prisma, dir.manager.id);
    expect(await run(db.prisma, manager, policySchema, policyForm(v), savePolicy)).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("saves a new version with the rules, audited", async () => {
    const v = await policyVersion();
    expectOk(await run(db.prisma, admin, policySchema, policyForm(v, { externalAllowed: [], departedMayStay: [], maxMembersPublic: "400", maxMembersInternal: "300", maxMembersConfidential: "300", maxMembersSecret: "20" }), savePolicy));
    const saved = await loadPolicy(db.prisma);
    expect(saved.membership).toEqual({
      PUBLIC: { externalAllowed: false, maxMembers: 400, departedMayStay: false },
      INTERNAL: { externalAllowed: false, maxMembers: 300, departedMayStay: false },
      CONFIDENTIAL: { externalAllowed: false, maxMembers: 300, departedMayStay: false },
      SECRET: { externalAllowed: false, maxMembers: 20, departedMayStay: false },
    });
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "workGroupPolicy.update" }, orderBy: { id: "desc" } });
    expect(event.after).toMatchObject({ membership: saved.membership });
    // Back to the defaults for the rest of the file.
    expectOk(await run(db.prisma, admin, policySchema, policyForm(saved.version), savePolicy));
    expect((await loadPolicy(db.prisma)).membership).toEqual(DEFAULT_MEMBERSHIP_RULES);
  });
});

describe("violations, opened and resolved by the sync", () => {
  beforeAll(async () => {
    await syncAll();
  }, 60_000);

  it("EXTERNAL_MEMBER: customers in a confidential group; resolved when they leave, a new row when one comes back", async () => {
    const chat = sim.company.group(sim.company.groupIndex(confidentialChat)!);
    const externals = chat.member_list.filter((m) => m.type === 2).map((m) => m.userid);
    const [open] = await violations(confidentialId, "EXTERNAL_MEMBER");
    expect(open).toMatchObject({ resolvedAt: null, details: { external: externals.length } });
    // External userids are never written into a violation.
    expect(JSON.stringify(open.details)).not.toContain(externals[0]);
    // The outside groups are INTERNAL (customers allowed): none of them has this violation.
    expect(await db.prisma.workGroupViolation.count({ where: { kind: "EXTERNAL_MEMBER", groupId: { not: confidentialId } } })).toBe(0);

    await simAdmin(sim, "groups", { chatId: confidentialChat, removeMembers: externals });
    const step = await syncAll();
    expect(step.counts).toMatchObject({ "violations.resolved": 1 });
    const [resolved] = await violations(confidentialId, "EXTERNAL_MEMBER");
    expect(resolved.id).toBe(open.id);
    expect(resolved.resolvedAt).not.toBeNull();

    await simAdmin(sim, "groups", { chatId: confidentialChat, addMembers: [{ userid: "wmnewcustomer01", type: 2 }] });
    await syncAll();
    const rows = await violations(confidentialId, "EXTERNAL_MEMBER");
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.resolvedAt === null)).toEqual([false, true]);
    expect(rows[1].details).toEqual({ external: 1 });
  }, 60_000);

  it("DEPARTED_MEMBER: a leaver still inside; resolved when removed; the owner of an ownerless group is not counted", async () => {
    const chatId = await cleanInternalChat();
    const g = await groupOf(chatId);
    expect(await violations(g.id)).toEqual([]);
    await simAdmin(sim, "groups", { chatId, addMembers: [{ userid: DEPARTED_USERID, type: 1 }] });
    await syncAll();
    const [open] = await violations(g.id, "DEPARTED_MEMBER");
    expect(open).toMatchObject({ resolvedAt: null, details: { departed: 1, userids: [DEPARTED_USERID] } });

    // Someone the directory marks DEPARTED (the directory step's doing) is found by the governance step alone.
    const other = (await groupOf(chatId)).internalMemberUserids.find((u) => u !== DEPARTED_USERID && u !== g.wecomOwnerUserid);
    if (other) {
      await db.prisma.employee.update({ where: { wecomUserid: other }, data: { status: "DEPARTED" } });
      await runStepForTest(db.prisma, governanceStep, clients());
      expect((await violations(g.id, "DEPARTED_MEMBER"))[0].details).toEqual({ departed: 2, userids: [DEPARTED_USERID, other].sort() });
      await db.prisma.employee.update({ where: { wecomUserid: other }, data: { status: "ACTIVE" } });
      // A member WeCom reports as left (status 5) while still ACTIVE here (before HR's case ends) counts too.
      await db.prisma.employee.update({ where: { wecomUserid: other }, data: { wecomStatus: 5 } });
      await runStepForTest(db.prisma, governanceStep, clients());
      expect((await violations(g.id, "DEPARTED_MEMBER"))[0].details).toEqual({ departed: 2, userids: [DEPARTED_USERID, other].sort() });
      await db.prisma.employee.update({ where: { wecomUserid: other }, data: { wecomStatus: 1 } });
    }

    await simAdmin(sim, "groups", { chatId, removeMembers: [DEPARTED_USERID] });
    await syncAll();
    expect((await violations(g.id, "DEPARTED_MEMBER")).every((v) => v.resolvedAt !== null)).toBe(true);

    // Groups whose owner left (WeCom status 1) are ownerless, not a DEPARTED_MEMBER violation for the owner.
    const awaiting = await db.prisma.workGroup.findMany({ where: { wecomStatus: 1 } });
    expect(awaiting.length).toBeGreaterThan(0);
    for (const a of awaiting) {
      const v = (await violations(a.id, "DEPARTED_MEMBER")).find((x) => x.resolvedAt === null);
      if (v) expect((v.details as { userids: string[] }).userids).not.toContain(a.wecomOwnerUserid);
    }
  }, 60_000);

  it("OVER_SIZE: more members than the classification allows; resolved when the limit is raised", async () => {
    const v = await policyVersion();
    expectOk(await run(db.prisma, admin, policySchema, policyForm(v, { maxMembersInternal: "6", maxMembersConfidential: "6", maxMembersSecret: "6" }), savePolicy));
    await runStepForTest(db.prisma, governanceStep, clients());
    const big = await db.prisma.workGroup.findMany({ where: { platform: "WECOM", classification: "INTERNAL", wecomGoneAt: null } });
    const over = big.filter((g) => (g.internalMemberCount ?? 0) + (g.externalMemberCount ?? 0) > 6);
    expect(over.length).toBeGreaterThan(0);
    const open = await db.prisma.workGroupViolation.findMany({ where: { kind: "OVER_SIZE", resolvedAt: null } });
    expect(open.map((o) => o.groupId).sort()).toEqual(over.map((g) => g.id).sort());
    expect(open[0].details).toMatchObject({ limit: 6 });

    expectOk(await run(db.prisma, admin, policySchema, policyForm(v + 1), savePolicy));
    const step = await runStepForTest(db.prisma, governanceStep, clients());
    expect(step.outcome).toBe("SUCCEEDED");
    expect(await db.prisma.workGroupViolation.count({ where: { kind: "OVER_SIZE", resolvedAt: null } })).toBe(0);
    expect(await db.prisma.workGroupViolation.count({ where: { kind: "OVER_SIZE" } })).toBe(over.length);
  }, 60_000);

  it("re-checking changes nothing further; violations are never deleted", async () => {
    const before = await wecomGroupsSnapshot(db.prisma);
    await syncAll();
    expect(await wecomGroupsSnapshot(db.prisma)).toEqual(before);
    await expect(owner.query("DELETE FROM work_group_violations")).rejects.toThrow(/never deleted/);
  }, 60_000);

  it("gives each owner of violating groups one notice a day, with the count its link shows", async () => {
    const notes = await db.prisma.notification.findMany({ where: { kind: VIOLATIONS_NOTICE_KIND } });
    const owners = await db.prisma.workGroup.groupBy({ by: ["ownerId"], where: { status: "ACTIVE", wecomGoneAt: null, violations: { some: { resolvedAt: null } }, ownerId: { not: null } }, _count: true });
    expect(owners.length).toBeGreaterThan(0);
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    expect(notes.every((n) => n.dedupeKey === `${VIOLATIONS_NOTICE_KIND}:${n.recipientId}:${day}`)).toBe(true);
    // An owner whose violations were all resolved today keeps today's notice, settled (0, read).
    const today = notes.filter((n) => (n.params as { count: number }).count > 0);
    for (const n of notes.filter((x) => !today.includes(x))) expect(n.readAt).not.toBeNull();
    expect(today.map((n) => n.recipientId).sort()).toEqual(owners.map((o) => o.ownerId).sort());
    for (const o of owners) {
      const note = today.find((n) => n.recipientId === o.ownerId)!;
      expect(note.params).toEqual({ count: o._count });
      const actor = await actorFor(db.prisma, o.ownerId!);
      const list = await listGroups(actor, db.prisma, groupListSchema.parse(Object.fromEntries(new URL(note.href!, "http://x").searchParams)));
      expect(list.total).toBe(o._count);
    }
    const count = await db.prisma.notification.count();
    await runStepForTest(db.prisma, governanceStep, clients());
    expect(await db.prisma.notification.count()).toBe(count);
  }, 60_000);

  it("the dashboard figure counts what its list shows, for the company and for a department", async () => {
    const def = FIGURES.find((f) => f.key === "groups.membershipViolations")!;
    expect(def.list!.href(null)).toBe("/groups?violations=1");
    for (const department of [null, dir.sales.id, dir.root.id]) {
      const scope = await resolveDashboardScope(admin, db.prisma, department);
      const figure = (await loadDashboard(db.prisma, scope, new Date())).figures.find((f) => f.def.key === def.key)!;
      const href = def.list!.href(scope.departmentId);
      const list = await listGroups(admin, db.prisma, groupListSchema.parse(Object.fromEntries(new URL(href, "http://x").searchParams)));
      expect(figure.cell.value, href).toBe(list.total);
      expect(figure.cell.total).toBe(await db.prisma.workGroup.count({ where: { platform: "WECOM", wecomLastSeenAt: { not: null }, wecomGoneAt: null, status: "ACTIVE", ...(department ? { departmentId: { in: department === dir.root.id ? [dir.root.id, dir.sales.id] : [department] } } : {}) } }));
    }
    const company = (await loadDashboard(db.prisma, await resolveDashboardScope(admin, db.prisma, null), new Date())).figures.find((f) => f.def.key === def.key)!;
    expect(company.cell.value).toBeGreaterThan(0);
  });
});

describe("the change_external_chat callback", () => {
  it("update (add_member) reads the chat again and re-checks it at once; the same event twice changes nothing", async () => {
    await simAdmin(sim, "groups", { chatId: confidentialChat, addMembers: [{ userid: "wmnewcustomer02", type: 2 }] });
    const fields = { Event: "change_external_chat", ChatId: confidentialChat, ChangeType: "update", UpdateDetail: "add_member", JoinScene: "1", MemChangeCnt: "1" };
    expect(await applyExternalChatEvent(eventCtx(), fields)).toEqual({ applied: true });
    const g = await groupOf(confidentialChat);
    expect(g.externalMemberCount).toBe(2);
    expect((await violations(confidentialId, "EXTERNAL_MEMBER")).find((v) => v.resolvedAt === null)?.details).toEqual({ external: 2 });
    const before = await wecomGroupsSnapshot(db.prisma);
    const notes = await db.prisma.notification.findMany({ orderBy: { id: "asc" } });
    expect(await applyExternalChatEvent(eventCtx(), fields)).toEqual({ applied: true });
    expect(await wecomGroupsSnapshot(db.prisma)).toEqual(before);
    expect(await db.prisma.notification.findMany({ orderBy: { id: "asc" } })).toEqual(notes);
  });

  it("change_owner hands the group and its task to the new owner", async () => {
    const chatId = await cleanInternalChat();
    const g = await groupOf(chatId);
    expect(g.outsidePortal).toBe(true);
    const newOwner = sim.company.userid(7) === g.wecomOwnerUserid ? sim.company.userid(8) : sim.company.userid(7);
    const oldNote = await db.prisma.notification.findUniqueOrThrow({ where: { dedupeKey: `${UNREGISTERED_NOTICE_KIND}:${g.ownerId}` } });
    await simAdmin(sim, "groups", { chatId, owner: newOwner });
    expect(await applyExternalChatEvent(eventCtx(), { Event: "change_external_chat", ChatId: chatId, ChangeType: "update", UpdateDetail: "change_owner" })).toEqual({ applied: true });
    const after = await groupOf(chatId);
    expect(after).toMatchObject({ ownerId: dir.byUserid.get(newOwner)!.id, wecomOwnerUserid: newOwner, version: g.version + 1 });
    const oldCount = (oldNote.params as { count: number }).count;
    expect((await db.prisma.notification.findUniqueOrThrow({ where: { id: oldNote.id } })).params).toEqual({ count: oldCount - 1 });
    const newNote = await db.prisma.notification.findUniqueOrThrow({ where: { dedupeKey: `${UNREGISTERED_NOTICE_KIND}:${after.ownerId}` } });
    expect(newNote.readAt).toBeNull();
  });

  it("dismiss marks the group dismissed in WeCom (kept) and resolves its violations", async () => {
    await simAdmin(sim, "groups", { chatId: confidentialChat, dismiss: true });
    const fields = { Event: "change_external_chat", ChatId: confidentialChat, ChangeType: "dismiss" };
    expect(await applyExternalChatEvent(eventCtx(), fields)).toEqual({ applied: true });
    const g = await groupOf(confidentialChat);
    expect(g).toMatchObject({ wecomGoneReason: "DISMISSED", status: "ACTIVE" });
    expect((await violations(confidentialId)).every((v) => v.resolvedAt !== null)).toBe(true);
    const at = g.wecomGoneAt;
    expect(await applyExternalChatEvent(eventCtx(), fields)).toEqual({ applied: true });
    expect((await groupOf(confidentialChat)).wecomGoneAt).toEqual(at);
    // An update for a chat that is gone applies nothing.
    expect(await applyExternalChatEvent(eventCtx(), { ...fields, ChangeType: "update", UpdateDetail: "change_name" })).toEqual({ applied: false });
  });

  it("create records a chat nobody requested here as created outside the portal, with its owner's task; nonsense is ignored", async () => {
    const fresh = await createTestDb();
    try {
      await seedWeComDirectory(fresh.prisma, sim, sim.company.size.members);
      const ctx = { ...eventCtx(), prisma: fresh.prisma, customers: customersClient(fresh.prisma, sim) };
      const chat = sim.company.group(5);
      expect(await applyExternalChatEvent(ctx, { Event: "change_external_chat", ChatId: chat.chat_id, ChangeType: "create" })).toEqual({ applied: true });
      const g = await fresh.prisma.workGroup.findFirstOrThrow({ where: { externalId: chat.chat_id } });
      expect(g).toMatchObject({ outsidePortal: true, wecomOwnerUserid: chat.owner, wecomStatus: 0 });
      expect(await fresh.prisma.notification.count({ where: { recipientId: g.ownerId!, kind: UNREGISTERED_NOTICE_KIND } })).toBe(1);
      expect(await applyExternalChatEvent(ctx, { Event: "change_external_chat", ChatId: chat.chat_id, ChangeType: "explode" })).toEqual({ applied: false });
      expect(await applyExternalChatEvent(ctx, { Event: "change_external_chat", ChangeType: "create" })).toEqual({ applied: false });
      expect(await applyExternalChatEvent(ctx, { Event: "change_external_chat", ChatId: "wrsim9999999", ChangeType: "create" })).toEqual({ applied: false });
      expect(await fresh.prisma.workGroup.count()).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});

describe("registering a group found in WeCom", () => {
  it("its owner fills in purpose, classification and department: the flag is cleared, audited, re-checked, the task updated", async () => {
    const g = await db.prisma.workGroup.findFirstOrThrow({ where: { outsidePortal: true, wecomGoneAt: null, ownerId: { not: null }, externalMemberCount: { gt: 0 } }, orderBy: { externalId: "asc" } });
    const ownerActor = await actorFor(db.prisma, g.ownerId!);
    const form = { id: g.id, version: String(g.version), purpose: "华东区重点客户的售后答疑", classification: "CONFIDENTIAL", departmentId: dir.sales.id };

    // Someone else may not; the form needs its fields.
    const stranger = await actorFor(db.prisma, dir.byUserid.get([...dir.byUserid.keys()].find((u) => dir.byUserid.get(u)!.id !== g.ownerId && !g.internalMemberUserids.includes(u))!)!.id);
    expect(await run(db.prisma, stranger, registerSchema, form, registerGroup)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await run(db.prisma, ownerActor, registerSchema, { ...form, purpose: "" }, registerGroup)).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { purpose: expect.any(Array) } });
    expect(await run(db.prisma, ownerActor, registerSchema, { ...form, version: String(g.version + 1) }, registerGroup)).toMatchObject({ ok: false, code: "STALE" });

    const before = (await db.prisma.notification.findUniqueOrThrow({ where: { dedupeKey: `${UNREGISTERED_NOTICE_KIND}:${g.ownerId}` } })).params as { count: number };
    expectOk(await run(db.prisma, ownerActor, registerSchema, form, registerGroup));
    const after = await db.prisma.workGroup.findUniqueOrThrow({ where: { id: g.id } });
    expect(after).toMatchObject({ outsidePortal: false, purpose: form.purpose, classification: "CONFIDENTIAL", departmentId: dir.sales.id, version: g.version + 1 });
    expect(after.foundInWecomAt).toEqual(g.foundInWecomAt);
    expect(after.reviewDueAt!.getTime() - after.lastReviewedAt!.getTime()).toBe(90 * 86_400_000);
    // Customers in a confidential group: the violation opens at once, not at the next sync.
    expect((await violations(g.id, "EXTERNAL_MEMBER")).filter((v) => v.resolvedAt === null)).toHaveLength(1);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityType: "WorkGroup", entityId: g.id, action: "workGroup.register" } });
    expect(event.after).toMatchObject({ outsidePortal: false, classification: "CONFIDENTIAL", violationsOpened: 1 });
    const note = await db.prisma.notification.findUniqueOrThrow({ where: { dedupeKey: `${UNREGISTERED_NOTICE_KIND}:${g.ownerId}` } });
    expect(note.params).toEqual({ count: before.count - 1 });

    // Registered once: a second registration is refused.
    expect(await run(db.prisma, ownerActor, registerSchema, { ...form, version: String(after.version) }, registerGroup)).toMatchObject({ ok: false, messageKey: "groups.errors.notOutsidePortal" });
    // The next sync keeps what the owner registered.
    await syncAll();
    expect(await db.prisma.workGroup.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({ outsidePortal: false, purpose: form.purpose, classification: "CONFIDENTIAL" });
  }, 60_000);
});
