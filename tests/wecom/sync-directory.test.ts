import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wecomFlag } from "@/lib/directory/format";
import { listEmployees } from "@/lib/directory/queries";
import { employeeListSchema } from "@/lib/directory/schemas";
import { en, zhCN } from "@/lib/i18n/messages";
import { createTranslator, hasMessage } from "@/lib/i18n/translate";
import type { DbClient } from "@/lib/server/prisma-client";
import { applyContactEvent, directoryStep, SYNC_CASE_OPENER } from "@/lib/wecom/sync/directory";
import { runStepForTest } from "@/lib/wecom/sync/runner";
import type { EventContext, SyncSettings } from "@/lib/wecom/sync/types";
import { makeEmployee } from "@/prisma/factories";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { seedOrganisation, type Organisation } from "../directory/helpers";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { contactsClient, injectFaults, simAdmin, usePiiKey } from "./helpers";

// The directory step against the simulator and PostgreSQL: WeCom's departments and members into
// the department tree and employees (matched by userid, then e-mail, else created), the tree moved
// as WeCom has it, leavers flagged and given one offboarding case (or HR's notification), members
// WeCom deleted marked with when they were last seen, resume after a failure mid-way, and the
// change_contact callback.

const OPEN_CASE: SyncSettings = { leaverAction: "OPEN_CASE" };
const HR_TASK: SyncSettings = { leaverAction: "HR_TASK" };

beforeAll(() => usePiiKey());

async function sync(prisma: DbClient, sim: WeComSim, settings: SyncSettings = OPEN_CASE) {
  const { runId, outcome } = await runStepForTest(prisma, directoryStep, { contacts: contactsClient(prisma, sim), customers: null, settings });
  const run = await prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
  return { runId, outcome, run, counts: run.counts as Record<string, number>, warnings: run.warnings as { code: string; params: Record<string, string> }[] };
}

/** The directory as WeCom ids and codes (no generated ids or times): what two runs must agree on. */
async function snapshot(prisma: DbClient) {
  const departments = await prisma.department.findMany({ select: { id: true, name: true, code: true, wecomId: true, parentId: true, path: true, depth: true, wecomRemovedAt: true } });
  const codeOf = new Map(departments.map((d) => [d.id, d.code]));
  const employees = await prisma.employee.findMany({
    select: { employeeNo: true, name: true, email: true, status: true, wecomUserid: true, wecomStatus: true, wecomRemovedAt: true, departmentId: true, roles: { select: { role: true } } },
    orderBy: { employeeNo: "asc" },
  });
  return {
    departments: departments
      .map((d) => ({ code: d.code, name: d.name, wecomId: d.wecomId, parent: d.parentId ? codeOf.get(d.parentId) : null, path: d.path.split("/").filter(Boolean).map((id) => codeOf.get(id)).join("/"), depth: d.depth, removed: d.wecomRemovedAt !== null }))
      .sort((a, b) => a.code.localeCompare(b.code)),
    employees: employees.map((e) => ({ ...e, departmentId: codeOf.get(e.departmentId), wecomRemovedAt: e.wecomRemovedAt !== null, roles: e.roles.map((r) => r.role).sort() })),
    cases: await prisma.offboardingCase.count(),
    notifications: await prisma.notification.count(),
  };
}

/** Every department's path and depth agree with its parent's. */
async function expectConsistentTree(prisma: DbClient) {
  const rows = await prisma.department.findMany({ select: { id: true, parentId: true, path: true, depth: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of rows) {
    const parent = r.parentId ? byId.get(r.parentId) : null;
    expect(r.path).toBe(`${parent?.path ?? "/"}${r.id}/`);
    expect(r.depth).toBe(parent ? parent.depth + 1 : 0);
  }
}

describe("the directory step on a small company", () => {
  let db: TestDb;
  let sim: WeComSim;
  let org: Organisation;
  let byUserid: { id: string; employeeNo: string };
  let byEmail: { id: string; employeeNo: string };
  let leaver: { id: string };
  let admin: { id: string };

  beforeAll(async () => {
    db = await createTestDb();
    sim = await startWeComSim({ size: "small" });
    org = await seedOrganisation(db.prisma);
    await db.prisma.$transaction(async (tx) => {
      byUserid = await makeEmployee(tx, { departmentId: org.dept.south.id, name: "旧名字", email: "someone.else@example.test", employeeNo: "K-007" });
      await tx.employee.update({ where: { id: byUserid.id }, data: { wecomUserid: "u000007" } });
      byEmail = await makeEmployee(tx, { departmentId: org.dept.east.id, name: "邮箱匹配", email: "u000005@example.test", employeeNo: "K-005" });
      // Every 40th simulated member has left: u000039 is an ACTIVE employee here.
      leaver = await makeEmployee(tx, { departmentId: org.dept.east.id, name: "将离职", email: "U000039@Example.test".toLowerCase(), employeeNo: "K-039" });
      // An administrator WeCom says has left: offboarded like anyone, never demoted.
      admin = await makeEmployee(tx, { departmentId: org.dept.hq.id, name: "管理员乙", email: "u000038@example.test", employeeNo: "K-038", roles: ["ADMIN", "EMPLOYEE"], passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$abc$def" });
    });
    await simAdmin(sim, "directory", { members: { u000038: { status: 5 } } });
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.close();
  });

  it("first sync: WeCom's tree adopted onto the portal's top department, members matched by userid and by e-mail, the rest created", async () => {
    const r = await sync(db.prisma, sim);
    expect(r.outcome).toBe("SUCCEEDED");

    // WeCom's top department (id 1) is the portal's only top department, renamed as WeCom has it.
    const hq = await db.prisma.department.findUniqueOrThrow({ where: { id: org.dept.hq.id } });
    expect(hq).toMatchObject({ wecomId: 1, name: "示例科技有限公司", code: "HQ", parentId: null });
    const linked = await db.prisma.department.findMany({ where: { wecomId: { not: null } }, orderBy: { wecomId: "asc" } });
    expect(linked.map((d) => d.wecomId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const byWecom = new Map(linked.map((d) => [d.wecomId, d]));
    for (const d of linked.filter((d) => d.wecomId !== 1)) {
      expect(d.parentId).toBe(byWecom.get(Math.floor((d.wecomId! - 2) / 6) + 1)!.id);
      // WeCom's 人力资源部 under the top is the portal's own (same name, same parent): adopted.
      expect(d.code).toBe(d.wecomId === 7 ? "HR" : `WECOM-${d.wecomId}`);
    }
    expect(byWecom.get(7)!.id).toBe(org.dept.hr.id);
    expect(byWecom.get(2)!.name).toBe("销售部");
    // The portal's own departments stay where they were, under the adopted top.
    expect(await db.prisma.department.findUniqueOrThrow({ where: { id: org.dept.sales.id } })).toMatchObject({ parentId: hq.id, wecomId: null });
    await expectConsistentTree(db.prisma);

    // Matched: same record, same number; name and department as WeCom has them.
    const u7 = await db.prisma.employee.findUniqueOrThrow({ where: { id: byUserid.id } });
    const m7 = sim.company.member(7);
    expect(u7).toMatchObject({ employeeNo: "K-007", wecomUserid: "u000007", name: m7.name, email: "someone.else@example.test", departmentId: byWecom.get(m7.main_department)!.id, wecomStatus: 1 });
    expect(u7.version).toBe(2);
    const u5 = await db.prisma.employee.findUniqueOrThrow({ where: { id: byEmail.id } });
    expect(u5).toMatchObject({ employeeNo: "K-005", wecomUserid: "u000005", wecomStatus: 1 });

    // Created: the other 56 members, with WeCom's e-mail, a WECOM- number and the EMPLOYEE role.
    const created = await db.prisma.employee.findMany({ where: { employeeNo: { startsWith: "WECOM-" } }, include: { roles: true }, omit: { passwordHash: false } });
    expect(created).toHaveLength(56);
    const u1 = created.find((e) => e.wecomUserid === "u000001")!;
    expect(u1).toMatchObject({ employeeNo: "WECOM-u000001", email: "u000001@example.test", name: sim.company.member(1).name, status: "ACTIVE", passwordHash: null });
    expect(u1.roles.map((x) => x.role)).toEqual(["EMPLOYEE"]);
    expect(await db.prisma.employee.count({ where: { wecomUserid: { not: null } } })).toBe(60);

    // The leaver (status 5) who was ACTIVE here: one case, opened by the sync, last day today.
    const cases = await db.prisma.offboardingCase.findMany({ where: { employeeId: leaver.id } });
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ status: "OPEN", openedById: SYNC_CASE_OPENER });
    expect(await db.prisma.employee.findUniqueOrThrow({ where: { id: leaver.id } })).toMatchObject({ status: "OFFBOARDING", wecomStatus: 5 });
    // The administrator who left: a case too, roles and password untouched.
    const a = await db.prisma.employee.findUniqueOrThrow({ where: { id: admin.id }, include: { roles: true }, omit: { passwordHash: false } });
    expect(a.status).toBe("OFFBOARDING");
    expect(a.roles.map((x) => x.role).sort()).toEqual(["ADMIN", "EMPLOYEE"]);
    expect(a.passwordHash).toBe("$argon2id$v=19$m=19456,t=2,p=1$abc$def");

    expect(r.counts).toMatchObject({ "departments.created": 6, "departments.matched": 2, "employees.created": 56, "employees.matchedByEmail": 3, "offboarding.opened": 2, "leavers.flagged": 2 });
    // One audit event for the run (plus its start), and openCase's own per case.
    const events = await db.prisma.auditEvent.findMany({ where: { entityType: "WeComSyncRun", entityId: r.runId } });
    expect(events.map((e) => e.action).sort()).toEqual(["wecom.sync.run", "wecom.sync.start"]);
    expect(await db.prisma.auditEvent.count({ where: { action: "offboarding.open", actorLabel: "system:wecom-sync" } })).toBe(2);
    expect(await db.prisma.auditEvent.count({ where: { action: { startsWith: "employee." } } })).toBe(0);
  });

  it("a second run changes nothing and opens no second case", async () => {
    const before = await snapshot(db.prisma);
    const versions = await db.prisma.employee.findMany({ select: { id: true, version: true }, orderBy: { id: "asc" } });
    const r = await sync(db.prisma, sim);
    expect(r.outcome).toBe("SUCCEEDED");
    expect(await snapshot(db.prisma)).toEqual(before);
    expect(await db.prisma.employee.findMany({ select: { id: true, version: true }, orderBy: { id: "asc" } })).toEqual(versions);
    expect(await db.prisma.offboardingCase.count({ where: { employeeId: leaver.id } })).toBe(1);
    expect(r.counts["offboarding.opened"] ?? 0).toBe(0);
    expect(r.counts["employees.created"] ?? 0).toBe(0);
  });

  it("moves the tree and the members as WeCom has them", async () => {
    // Department 2 (with its child 8) moves under department 3; member u000010 moves to department 4.
    await simAdmin(sim, "directory", { departments: { 2: { parentid: 3, name: "销售一部" } }, members: { u000010: { main_department: 4 } } });
    const r = await sync(db.prisma, sim);
    expect(r.outcome).toBe("SUCCEEDED");
    const d = new Map((await db.prisma.department.findMany({ where: { wecomId: { not: null } } })).map((x) => [x.wecomId, x]));
    expect(d.get(2)).toMatchObject({ parentId: d.get(3)!.id, name: "销售一部", depth: 2, path: `${d.get(3)!.path}${d.get(2)!.id}/` });
    expect(d.get(8)).toMatchObject({ parentId: d.get(2)!.id, depth: 3, path: `${d.get(3)!.path}${d.get(2)!.id}/${d.get(8)!.id}/` });
    await expectConsistentTree(db.prisma);
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { wecomUserid: "u000010" } })).departmentId).toBe(d.get(4)!.id);
    expect(r.counts).toMatchObject({ "departments.moved": 1, "departments.renamed": 1, "employees.moved": 1 });
  });

  it("a member deleted from WeCom is flagged with when it was last seen, and offboarded once; a deleted department is kept and marked", async () => {
    const seenBefore = (await db.prisma.employee.findUniqueOrThrow({ where: { wecomUserid: "u000021" } })).wecomLastSeenAt!;
    await simAdmin(sim, "directory", { members: { u000021: { deleted: true } }, departments: { 7: { deleted: true } } });
    const r = await sync(db.prisma, sim);
    expect(r.outcome).toBe("SUCCEEDED");
    const gone = await db.prisma.employee.findUniqueOrThrow({ where: { wecomUserid: "u000021" } });
    expect(gone.wecomRemovedAt).not.toBeNull();
    expect(gone.wecomLastSeenAt).toEqual(seenBefore);
    expect(gone.wecomLastSeenAt!.getTime()).toBeLessThan(r.run.startedAt.getTime());
    expect(gone.status).toBe("OFFBOARDING");
    const dept7 = await db.prisma.department.findUniqueOrThrow({ where: { wecomId: 7 } });
    expect(dept7.wecomRemovedAt).not.toBeNull();
    expect(dept7.wecomLastSeenAt!.getTime()).toBeLessThan(r.run.startedAt.getTime());
    expect(r.counts).toMatchObject({ "leavers.flagged": 1, "departments.removed": 1, "offboarding.opened": 1 });

    const again = await sync(db.prisma, sim);
    expect(again.counts["leavers.flagged"] ?? 0).toBe(0);
    expect(await db.prisma.offboardingCase.count({ where: { employeeId: gone.id } })).toBe(1);
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: gone.id } })).wecomLastSeenAt).toEqual(seenBefore);

    // Back in WeCom: the flag goes, the history stays.
    await simAdmin(sim, "directory", { members: { u000021: { deleted: false } }, departments: { 7: { deleted: false } } });
    await sync(db.prisma, sim);
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: gone.id } })).wecomRemovedAt).toBeNull();
    expect((await db.prisma.department.findUniqueOrThrow({ where: { wecomId: 7 } })).wecomRemovedAt).toBeNull();
  });

  it("HR_TASK: every HR person is notified once per leaver, no case is opened; disabled members are flagged, not offboarded", async () => {
    const hr2 = await db.prisma.$transaction((tx) => makeEmployee(tx, { departmentId: org.dept.hr.id, name: "人事乙", email: "hr2@example.test", employeeNo: "H-002", roles: ["HR", "EMPLOYEE"] }));
    await simAdmin(sim, "directory", { members: { u000020: { status: 5 }, u000022: { status: 2 } } });
    const r = await sync(db.prisma, sim, HR_TASK);
    expect(r.outcome).toBe("SUCCEEDED");
    const e20 = await db.prisma.employee.findUniqueOrThrow({ where: { wecomUserid: "u000020" } });
    expect(e20).toMatchObject({ status: "ACTIVE", wecomStatus: 5 });
    expect(await db.prisma.offboardingCase.count({ where: { employeeId: e20.id } })).toBe(0);
    const notes = await db.prisma.notification.findMany({ where: { kind: "wecom.leaver" }, orderBy: { recipientId: "asc" } });
    expect(notes.map((n) => n.recipientId).sort()).toEqual([org.people.hr.id, hr2.id].sort());
    expect(notes[0]).toMatchObject({ messageKey: "directory.wecom.notify.leaver", href: `/offboarding/new?employee=${e20.id}`, params: { name: e20.name, employeeNo: e20.employeeNo } });
    expect(r.counts).toMatchObject({ "hrTasks.sent": 2, "leavers.flagged": 1, "members.disabled": 1 });
    const e22 = await db.prisma.employee.findUniqueOrThrow({ where: { wecomUserid: "u000022" } });
    expect(e22).toMatchObject({ status: "ACTIVE", wecomStatus: 2 });

    const again = await sync(db.prisma, sim, HR_TASK);
    expect(again.counts["hrTasks.sent"] ?? 0).toBe(0);
    expect(await db.prisma.notification.count({ where: { kind: "wecom.leaver" } })).toBe(2);
  });

  it("the directory lists what WeCom flagged, and says it in words", async () => {
    const everyone = { permissions: new Set(["directory.read:all"]) as never, departmentPath: "/" };
    const flagged = await listEmployees(everyone, employeeListSchema.parse({ wecom: "flagged", pageSize: "100" }), db.prisma);
    expect(flagged.rows.map((e) => e.wecomUserid).sort()).toEqual(["u000020", "u000022", "u000038", "u000039"]);
    const left = await listEmployees(everyone, employeeListSchema.parse({ wecom: "left", pageSize: "100" }), db.prisma);
    expect(left.rows.map((e) => e.wecomUserid).sort()).toEqual(["u000020", "u000038", "u000039"]);
    const zh = createTranslator(zhCN);
    const say = (e: Parameters<typeof wecomFlag>[0]) => ((f) => (f ? zh(f.key, f.params) : null))(wecomFlag(e));
    expect(say(flagged.rows.find((e) => e.wecomUserid === "u000022")!)).toBe("企业微信：已禁用");
    expect(say(flagged.rows.find((e) => e.wecomUserid === "u000039")!)).toBe("企业微信：已离职");
    expect(say({ wecomUserid: "x", wecomStatus: 1, wecomRemovedAt: new Date("2026-12-01T20:00:00Z"), wecomLastSeenAt: new Date("2026-11-30T17:00:00Z") })).toBe("企业微信中已不存在（最后出现于 2026-12-01）");
    expect(say({ wecomUserid: "x", wecomStatus: 4, wecomRemovedAt: null, wecomLastSeenAt: null })).toBe("企业微信：未激活");
    expect(say({ wecomUserid: "x", wecomStatus: 1, wecomRemovedAt: null, wecomLastSeenAt: null })).toBeNull();
  });

  it("every message the step leaves for people exists in Chinese and English", () => {
    const keys = [
      "directory.wecom.notify.leaver",
      ...["departmentNames", "departmentCycle", "noDepartment", "emailInUse", "memberRefused", "more", "caseRefused"].map((k) => `directory.wecom.warnings.${k}`),
      ...["2", "4", "5", "removed", "removedNever"].map((k) => `directory.wecom.flag.${k}`),
      "offboarding.fields.openedBySystem",
      // The counts as the settings page names them.
      ...["departments.created", "departments.matched", "departments.moved", "departments.renamed", "departments.removed", "employees.created", "employees.matchedByEmail", "employees.updated", "employees.moved", "leavers.flagged", "members.disabled", "members.refused", "offboarding.opened", "hrTasks.sent"].map((k) => `wecom.sync.count.${k.replace(/\./g, "_")}`),
    ];
    for (const key of keys) {
      expect(hasMessage(zhCN, key), key).toBe(true);
      expect(hasMessage(en, key), key).toBe(true);
    }
  });

  it("a member WeCom refuses (60011) is a warning, the rest of the sync goes on", async () => {
    await injectFaults(sim, { path: "/user/get", kind: "errcode", errcode: 60011, times: 1 });
    const r = await sync(db.prisma, sim);
    expect(r.outcome).toBe("SUCCEEDED");
    expect(r.warnings.map((w) => w.code)).toContain("directory.wecom.warnings.memberRefused");
    expect(r.counts["members.refused"]).toBe(1);
    // The refused member was listed by WeCom, so it is not "gone".
    expect(await db.prisma.employee.count({ where: { wecomRemovedAt: { not: null } } })).toBe(0);
  });

  it("user/list_id refused (48002) fails the run with the errcode", async () => {
    await injectFaults(sim, { path: "/user/list_id", kind: "errcode", errcode: 48002, times: 1 });
    const r = await sync(db.prisma, sim);
    expect(r.outcome).toBe("FAILED");
    expect(r.run).toMatchObject({ status: "FAILED", errorCode: "wecom.sync.errors.api", errorParams: { errcode: 48002, path: "/user/list_id" } });
  });

  describe("change_contact callbacks", () => {
    const ctx = (): EventContext => ({ prisma: db.prisma, contacts: contactsClient(db.prisma, sim), customers: null, settings: OPEN_CASE, now: () => new Date(), log: () => undefined });

    it("update_user applies the member's new name and department at once; repeated, it changes nothing more", async () => {
      await simAdmin(sim, "directory", { members: { u000011: { name: "改名后", main_department: 6 } } });
      expect(await applyContactEvent(ctx(), { Event: "change_contact", ChangeType: "update_user", UserID: "u000011" })).toEqual({ applied: true });
      const e = await db.prisma.employee.findUniqueOrThrow({ where: { wecomUserid: "u000011" }, include: { department: true } });
      expect(e).toMatchObject({ name: "改名后", department: { wecomId: 6 } });
      expect(await applyContactEvent(ctx(), { Event: "change_contact", ChangeType: "update_user", UserID: "u000011" })).toEqual({ applied: true });
      expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: e.id } })).version).toBe(e.version);
      expect(await db.prisma.auditEvent.count({ where: { action: "wecom.directory.event", entityId: e.id } })).toBe(2);
    });

    it("a changed userid (update_user with NewUserID) moves the link instead of creating a second employee", async () => {
      await db.prisma.employee.updateMany({ where: { wecomUserid: "u000030" }, data: { wecomUserid: "old-u000030" } });
      const before = await db.prisma.employee.count();
      expect(await applyContactEvent(ctx(), { Event: "change_contact", ChangeType: "update_user", UserID: "old-u000030", NewUserID: "u000030" })).toEqual({ applied: true });
      expect(await db.prisma.employee.count()).toBe(before);
      expect(await db.prisma.employee.count({ where: { wecomUserid: "u000030" } })).toBe(1);
    });

    it("delete_user marks the member gone and opens one case, however often it arrives", async () => {
      const e = await db.prisma.employee.findUniqueOrThrow({ where: { wecomUserid: "u000012" } });
      expect(e.status).toBe("ACTIVE");
      await simAdmin(sim, "directory", { members: { u000012: { deleted: true } } });
      expect(await applyContactEvent(ctx(), { Event: "change_contact", ChangeType: "delete_user", UserID: "u000012" })).toEqual({ applied: true });
      expect(await applyContactEvent(ctx(), { Event: "change_contact", ChangeType: "delete_user", UserID: "u000012" })).toEqual({ applied: true });
      const after = await db.prisma.employee.findUniqueOrThrow({ where: { id: e.id } });
      expect(after.wecomRemovedAt).not.toBeNull();
      expect(after.wecomLastSeenAt).toEqual(e.wecomLastSeenAt);
      expect(after.status).toBe("OFFBOARDING");
      expect(await db.prisma.offboardingCase.count({ where: { employeeId: e.id } })).toBe(1);
      expect(await applyContactEvent(ctx(), { Event: "change_contact", ChangeType: "delete_user", UserID: "nobody" })).toEqual({ applied: false });
    });

    it("update_party renames the department; other events are not this handler's", async () => {
      await simAdmin(sim, "directory", { departments: { 4: { name: "客服中心" } } });
      expect(await applyContactEvent(ctx(), { Event: "change_contact", ChangeType: "update_party", Id: "4" })).toEqual({ applied: true });
      expect((await db.prisma.department.findUniqueOrThrow({ where: { wecomId: 4 } })).name).toBe("客服中心");
      expect(await applyContactEvent(ctx(), { Event: "change_external_contact", ChangeType: "add_external_contact" })).toEqual({ applied: false });
    });
  });
});

describe("department/list refused (48002)", () => {
  let db: TestDb;
  let sim: WeComSim;
  beforeAll(async () => {
    db = await createTestDb();
    sim = await startWeComSim({ size: "tiny" });
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.close();
  });

  it("without the contact-sync secret the step is skipped with a note for the admin", async () => {
    const { runId, outcome } = await runStepForTest(db.prisma, directoryStep, { contacts: null, customers: null, settings: OPEN_CASE });
    expect(outcome).toBe("SUCCEEDED");
    const run = await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } });
    expect((run.warnings as { code: string }[]).map((w) => w.code)).toEqual(["wecom.sync.warnings.noSecret.contacts"]);
    expect(await db.prisma.department.count()).toBe(0);
  });

  it("falls back to department/simplelist: new departments get a placeholder name, a real name is never overwritten by one", async () => {
    await injectFaults(sim, { path: "/department/list", kind: "errcode", errcode: 48002, times: 1 });
    const r = await sync(db.prisma, sim);
    expect(r.outcome).toBe("SUCCEEDED");
    expect(r.warnings.map((w) => w.code)).toContain("directory.wecom.warnings.departmentNames");
    expect((await db.prisma.department.findUniqueOrThrow({ where: { wecomId: 2 } })).name).toBe("企业微信部门 2");
    expect(await db.prisma.employee.count({ where: { wecomUserid: { not: null } } })).toBe(12);

    await sync(db.prisma, sim);
    expect((await db.prisma.department.findUniqueOrThrow({ where: { wecomId: 2 } })).name).toBe("销售部");
    await injectFaults(sim, { path: "/department/list", kind: "errcode", errcode: 48002, times: 1 });
    await sync(db.prisma, sim);
    expect((await db.prisma.department.findUniqueOrThrow({ where: { wecomId: 2 } })).name).toBe("销售部");
  });
});

describe("resume after a failure mid-way (a medium company: 2,000 members, 60 departments)", () => {
  let a: TestDb;
  let b: TestDb;
  let sim: WeComSim;
  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDb(), createTestDb()]);
    sim = await startWeComSim({ size: "medium" });
    for (const db of [a, b]) {
      await seedOrganisation(db.prisma);
      // A few employees already linked, matched by e-mail, and leaving.
      await db.prisma.$transaction(async (tx) => {
        const dept = (await tx.department.findFirstOrThrow({ where: { code: "SALES" } })).id;
        for (const i of [3, 79, 119, 500]) await makeEmployee(tx, { departmentId: dept, name: `预置${i}`, email: `u${String(i).padStart(6, "0")}@example.test`, employeeNo: `PRE-${i}` });
      });
    }
  });
  afterAll(async () => {
    await sim?.stop();
    await Promise.all([a?.close(), b?.close()]);
  });

  it("the rerun continues from the last committed batch and ends in the same state as an uninterrupted run", async () => {
    const calls = async () => ((await (await fetch(`${sim.url}/__sim/stats`)).json()) as { calls: Record<string, number> }).calls["/user/get"] ?? 0;

    const started = Date.now();
    const c0 = await calls();
    const whole = await sync(a.prisma, sim);
    const wholeCalls = (await calls()) - c0;
    expect(whole.outcome).toBe("SUCCEEDED");
    console.info(`[directory] medium company, uninterrupted: ${Date.now() - started} ms, ${whole.run.steps[0].calls} WeCom calls (${wholeCalls} user/get), ${whole.run.steps[0].commits} commits`);
    expect(wholeCalls).toBe(2000);

    // The same on B, but after 700 user/get calls WeCom's gateway answers 502 (retried, then given up).
    let seen = 0;
    let injected = false;
    const faulty: typeof fetch = async (input, init) => {
      if (String(input).includes("/cgi-bin/user/get") && ++seen === 700 && !injected) {
        injected = true;
        await injectFaults(sim, { path: "/user/get", kind: "http", status: 502, times: 10_000 });
      }
      return fetch(input, init);
    };
    const first = await runStepForTest(b.prisma, directoryStep, { contacts: contactsClient(b.prisma, sim, { fetch: faulty, maxRetries: 1 }), customers: null, settings: OPEN_CASE });
    expect(first.outcome).toBe("RETRY");
    await fetch(`${sim.url}/__sim/faults`, { method: "POST", body: JSON.stringify({ clear: true }) });
    const step = await b.prisma.weComSyncStep.findUniqueOrThrow({ where: { runId_step: { runId: first.runId, step: "directory" } } });
    expect(step.checkpoint).toMatchObject({ phase: "members", cursor: "" });
    const committed = (step.checkpoint as { offset: number }).offset;
    expect(committed).toBeGreaterThanOrEqual(400);
    expect(committed).toBeLessThan(2000);
    expect(await b.prisma.employee.count({ where: { wecomUserid: { not: null } } })).toBe(committed);

    const c1 = await calls();
    const second = await runStepForTest(b.prisma, directoryStep, { contacts: contactsClient(b.prisma, sim), customers: null, settings: OPEN_CASE, runId: first.runId });
    expect(second.outcome).toBe("SUCCEEDED");
    // Only the members not yet committed were fetched again.
    expect((await calls()) - c1).toBe(2000 - committed);

    expect(await snapshot(b.prisma)).toEqual(await snapshot(a.prisma));
    expect(await b.prisma.employee.count({ where: { wecomUserid: { not: null } } })).toBe(2000);
    const runB = await b.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: first.runId } });
    expect((runB.counts as Record<string, number>)["employees.created"]).toBe(whole.counts["employees.created"]);
    // Leavers among the pre-existing employees (u000079, u000119: every 40th has left): one case each.
    expect(await b.prisma.offboardingCase.count()).toBe(2);
  });
});
