import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownCells } from "@/lib/dashboard/compute";
import { decrypt } from "@/lib/pii";
import type { DbClient } from "@/lib/server/prisma-client";
import { readUnassigned } from "@/lib/wecom/unassigned";
import type { SyncSettings } from "@/lib/wecom/sync/types";
import { makeEmployee } from "@/prisma/factories";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { seedOrganisation, type Organisation } from "../directory/helpers";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { customersClient, injectFaults, simAdmin, usePiiKey } from "./helpers";

// Issue 15 item 4 against the simulator and PostgreSQL: WeCom's list of leavers' unassigned
// customers (get_unassigned_list, paged by cursor until is_last) read into the portal; a leaver
// still ACTIVE here gets an offboarding case (or HR's task, per the setting), a DEPARTED one or a
// userid no employee carries gets HR's notification — once, however often the list is read; rows
// WeCom no longer lists go after a complete read (never after a failed one); and the dashboard's
// "customers at risk" counts the customers of leavers without an open case.

const OPEN_CASE: SyncSettings = { leaverAction: "OPEN_CASE" };
const HR_TASK: SyncSettings = { leaverAction: "HR_TASK" };

beforeAll(() => usePiiKey());

async function atRisk(prisma: DbClient): Promise<number> {
  const cells = await ownCells(prisma, "/", new Date());
  return [...(cells.get("offboarding.contactsAtRisk")?.values() ?? [])].reduce((a, c) => a + c.value, 0);
}

describe("unassigned leavers", () => {
  let db: TestDb;
  let sim: WeComSim;
  let org: Organisation;
  let stillActive: { id: string };
  let departed: { id: string };
  let hrTaskOnly: { id: string };

  beforeAll(async () => {
    db = await createTestDb();
    // small: 60 members of 10 customers each; u000039 has left (every 40th member).
    sim = await startWeComSim({ size: "small" });
    org = await seedOrganisation(db.prisma);
    await db.prisma.$transaction(async (tx) => {
      stillActive = await makeEmployee(tx, { departmentId: org.dept.south.id, name: "未同步离职", email: "u39@example.test", employeeNo: "U-039" });
      departed = await makeEmployee(tx, { departmentId: org.dept.east.id, name: "早已离职", email: "u45@example.test", employeeNo: "U-045", status: "DEPARTED" });
      hrTaskOnly = await makeEmployee(tx, { departmentId: org.dept.east.id, name: "人事处理", email: "u51@example.test", employeeNo: "U-051" });
      await tx.employee.update({ where: { id: stillActive.id }, data: { wecomUserid: "u000039" } });
      await tx.employee.update({ where: { id: departed.id }, data: { wecomUserid: "u000045" } });
      await tx.employee.update({ where: { id: hrTaskOnly.id }, data: { wecomUserid: "u000051" } });
    });
    // u000045 (an employee already DEPARTED here) and u000019 (no employee here) have left too.
    await simAdmin(sim, "directory", { members: { u000045: { status: 5 }, u000019: { status: 5 } } });
  });
  afterAll(async () => {
    await sim?.stop();
    await db?.close();
  });

  const hrNotes = () => db.prisma.notification.findMany({ where: { recipientId: org.people.hr.id, kind: { in: ["wecom.unassigned", "wecom.leaver"] } }, orderBy: { messageKey: "asc" } });

  it("reads every page, opens a case for the ACTIVE leaver and tells HR about the others", async () => {
    const client = customersClient(db.prisma, sim);
    const counts = await readUnassigned(db.prisma, client, OPEN_CASE, { pageSize: 7 });
    expect(counts).toMatchObject({ customers: 30, leavers: 3, opened: 1, covered: 0, removed: 0 });
    // 30 customers, 7 a page: 5 pages (the cursor followed until is_last).
    expect(counts.calls).toBe(5 + 1); // + gettoken
    expect(sim.stats().calls["/externalcontact/get_unassigned_list"]).toBe(5);

    const rows = await db.prisma.weComUnassignedCustomer.findMany({ orderBy: [{ handoverUserid: "asc" }] });
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((r) => r.handoverUserid))).toEqual(new Set(["u000019", "u000039", "u000045"]));
    // The external userid is stored only as a token, a keyed hash and a mask.
    const first = rows[0];
    // (Not "contains no wm": a random ciphertext holds any two letters now and then.)
    const external = decrypt(first.externalIdCipher);
    expect(external).toMatch(/^wm/);
    expect(first.externalIdCipher).not.toContain(external);
    expect(first.employeeId).toBeNull(); // u000019: no employee here
    expect(rows.find((r) => r.handoverUserid === "u000039")!.employeeId).toBe(stillActive.id);
    expect(rows.find((r) => r.handoverUserid === "u000039")!.dimissionTime).toBeInstanceOf(Date);

    const cases = await db.prisma.offboardingCase.findMany({ where: { employeeId: stillActive.id } });
    expect(cases).toHaveLength(1);
    expect(cases[0].status).toBe("OPEN");
    const notes = await hrNotes();
    expect(notes.map((n) => [n.messageKey, n.params])).toEqual([
      ["directory.wecom.notify.unassigned", { name: "早已离职", employeeNo: "U-045", count: 10 }],
      ["directory.wecom.notify.unassignedUnknown", { userid: "u000019", count: 10 }],
    ]);
    const audit = await db.prisma.auditEvent.findMany({ where: { action: "wecom.unassigned.read" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ customers: 30, opened: 1, hrTasks: 2 });
  });

  it("is idempotent: a second read opens no case and notifies no one again", async () => {
    const counts = await readUnassigned(db.prisma, customersClient(db.prisma, sim), OPEN_CASE);
    expect(counts).toMatchObject({ customers: 30, leavers: 3, opened: 0, hrTasks: 0, covered: 1, removed: 0 });
    expect(await db.prisma.offboardingCase.count({ where: { employeeId: stillActive.id } })).toBe(1);
    expect(await hrNotes()).toHaveLength(2);
    expect(await db.prisma.weComUnassignedCustomer.count()).toBe(30);
  });

  it("counts the customers of leavers without an open case as at risk", async () => {
    // u000045 (DEPARTED, no case) — 10; u000039's customers are in its open case (no items here:
    // it holds no accounts), so they are not counted twice; u000019 has no department here.
    expect(await atRisk(db.prisma)).toBe(10);
  });

  it("applies the HR_TASK setting to an ACTIVE leaver: HR's leaver task, no case", async () => {
    await simAdmin(sim, "directory", { members: { u000051: { status: 5 } } });
    const counts = await readUnassigned(db.prisma, customersClient(db.prisma, sim), HR_TASK);
    expect(counts).toMatchObject({ customers: 40, leavers: 4, opened: 0, hrTasks: 1, covered: 1 });
    expect(await db.prisma.offboardingCase.count({ where: { employeeId: hrTaskOnly.id } })).toBe(0);
    const leaverNote = (await hrNotes()).find((n) => n.messageKey === "directory.wecom.notify.leaver");
    expect(leaverNote?.params).toEqual({ name: "人事处理", employeeNo: "U-051" });
    expect(await atRisk(db.prisma)).toBe(20);
  });

  it("keeps the rows of a read that failed part-way, and drops customers WeCom assigned after a complete one", async () => {
    await simAdmin(sim, "compliance/assigned", { userids: ["u000045"] });
    await injectFaults(sim, { path: "/externalcontact/get_unassigned_list", after: 1, kind: "errcode", errcode: 48002 });
    await expect(readUnassigned(db.prisma, customersClient(db.prisma, sim), OPEN_CASE, { pageSize: 7 })).rejects.toMatchObject({ errcode: 48002 });
    expect(await db.prisma.weComUnassignedCustomer.count()).toBe(40);

    const counts = await readUnassigned(db.prisma, customersClient(db.prisma, sim), HR_TASK);
    expect(counts).toMatchObject({ customers: 30, removed: 10 });
    expect(await db.prisma.weComUnassignedCustomer.count({ where: { handoverUserid: "u000045" } })).toBe(0);
    expect(await atRisk(db.prisma)).toBe(10);
  });
});
