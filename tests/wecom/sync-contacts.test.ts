import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { externalIdFields } from "@/lib/accounts/contact-ids";
import { listContacts } from "@/lib/accounts/queries";
import { contactListSchema } from "@/lib/accounts/schemas";
import { newId } from "@/lib/ids";
import { decrypt, hashValue, protect } from "@/lib/pii";
import type { DbClient } from "@/lib/server/prisma-client";
import { applyExternalContactEvent, COMMIT_ROWS, contactsStep } from "@/lib/wecom/sync/contacts";
import { runStepForTest } from "@/lib/wecom/sync/runner";
import type { EventContext } from "@/lib/wecom/sync/types";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import type { CompanySize } from "@/scripts/wecom-sim/company";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { customersClient, injectFaults, simAdmin, usePiiKey } from "./helpers";

// The customer-contact step against the simulator and a real PostgreSQL: the first sync, a second
// that changes nothing, a contact removed in WeCom marked with its last-seen time, contacts and
// accounts already in the portal matched (never duplicated), resume after a fault giving the same
// state as an uninterrupted run, external ids only ever stored encrypted, a member WeCom refuses,
// and the change_external_contact callback.

// 230 members with 10 customers each: three batches of members (100, 100, the rest), the first
// batches' 1 000 customers committed in one transaction each, page after page of 100.
const SIZE: CompanySize = { departments: 4, members: 230, contacts: 2_300, groups: 0 };

let sim: WeComSim;
let owner: pg.Client;
let db: TestDb;

beforeAll(async () => {
  usePiiKey();
  sim = await startWeComSim({ size: SIZE });
});
afterAll(async () => {
  await sim?.stop();
});

/** The members WeCom lists (get_follow_user_list) and every customer it gives for them. */
function expectedContacts() {
  const followed = sim.company.followUsers();
  return { followed, contacts: followed.reduce((n, u) => n + sim.company.contactCount(sim.company.memberIndex(u)!), 0) };
}

async function setUpOrganisation(prisma: DbClient) {
  const root = await makeDepartment(prisma, { name: "示例科技", code: `ROOT${Date.now().toString(36)}` });
  const sales = await makeDepartment(prisma, { name: "销售部", code: `SALES${Date.now().toString(36)}`, parentId: root.id });
  const people = [];
  for (const i of [0, 1, 2, 5, 6]) {
    const e = await makeEmployee(prisma, { departmentId: sales.id, name: `销售${i}` });
    await prisma.employee.update({ where: { id: e.id }, data: { wecomUserid: sim.company.userid(i) } });
    people.push(e);
  }
  return { root, sales, people };
}

const run = (prisma: DbClient, runId?: string) => runStepForTest(prisma, contactsStep, { contacts: null, customers: customersClient(prisma, sim), runId });
const stepOf = (prisma: DbClient, runId: string) => prisma.weComSyncStep.findUniqueOrThrow({ where: { runId_step: { runId, step: "contacts" } } });
const accountOf = (prisma: DbClient, userid: string) => prisma.account.findMany({ where: { type: "WECOM_MEMBER", platformIdHash: hashValue("identifier", userid) } });
const contactOf = async (prisma: DbClient, userid: string, externalUserid: string) => {
  const [account] = await accountOf(prisma, userid);
  return prisma.customerContact.findUnique({ where: { accountId_externalIdHash: { accountId: account.id, externalIdHash: hashValue("identifier", externalUserid) } } });
};
const ext = (i: number, j: number) => sim.company.contact(i, j).external_contact.external_userid;

describe("the customer-contact step", () => {
  let org: Awaited<ReturnType<typeof setUpOrganisation>>;
  let imported: { accountId: string; contactId: string; strayId: string };

  beforeAll(async () => {
    db = await createTestDb();
    owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    org = await setUpOrganisation(db.prisma);
    // Registered and imported before the connector existed: u000005's account with one customer
    // WeCom has (under another name) and one it does not; u000006's account was dissolved.
    const p = protect("identifier", sim.company.userid(5));
    const account = await db.prisma.account.create({
      data: { id: newId(), type: "WECOM_MEMBER", displayName: "销售5 的企业微信", platformIdCipher: p.cipher, platformIdHash: p.hash, platformIdMask: p.mask, holderId: org.people[3].id, custodianDepartmentId: org.sales.id, status: "ACTIVE", requestedById: org.people[3].id },
    });
    const contact = await db.prisma.customerContact.create({ data: { accountId: account.id, ...externalIdFields(ext(5, 0)), name: "导入时的名字", company: "导入的公司", addedAt: new Date("2024-01-01T00:00:00Z") } });
    const stray = await db.prisma.customerContact.create({ data: { accountId: account.id, ...externalIdFields("wmNotInWeComAtAll01"), name: "只在门户里", addedAt: new Date("2024-01-01T00:00:00Z") } });
    const d = protect("identifier", sim.company.userid(6));
    await db.prisma.account.create({
      data: { id: newId(), type: "WECOM_MEMBER", displayName: "已注销", platformIdCipher: d.cipher, platformIdHash: d.hash, platformIdMask: d.mask, holderId: org.people[4].id, custodianDepartmentId: org.sales.id, status: "DISSOLVED", requestedById: org.people[4].id },
    });
    imported = { accountId: account.id, contactId: contact.id, strayId: stray.id };
  });
  afterAll(async () => {
    await owner?.end();
    await db?.close();
  });

  it("first sync: an account per member, every customer with name, company, remark, add time and tags; counted, not audited per row", async () => {
    const { followed, contacts } = expectedContacts();
    const { runId, outcome } = await run(db.prisma);
    expect(outcome).toBe("SUCCEEDED");
    const closedContacts = sim.company.contactCount(6);
    expect(await db.prisma.customerContact.count({ where: { wecomLastSeenAt: { not: null } } })).toBe(contacts - closedContacts);
    expect(await db.prisma.account.count({ where: { type: "WECOM_MEMBER" } })).toBe(followed.length);

    // A member with an employee: held by them, in their department. Without: no holder, the root.
    const [held] = await accountOf(db.prisma, sim.company.userid(0));
    expect(held).toMatchObject({ holderId: org.people[0].id, custodianDepartmentId: org.sales.id, status: "ACTIVE", requestedById: null, displayName: "销售0（企业微信）" });
    const [unheld] = await accountOf(db.prisma, sim.company.userid(3));
    expect(unheld).toMatchObject({ holderId: null, custodianDepartmentId: org.root.id, status: "ACTIVE", requestedById: null });
    expect(decrypt(unheld.platformIdCipher)).toBe("u000003");
    expect(unheld.displayName).not.toContain("u000003");

    for (const [i, j] of [
      [0, 0],
      [3, 4],
      [17, 9],
      [229, 2],
    ]) {
      const sc = sim.company.contact(i, j);
      const row = await contactOf(db.prisma, sc.follow_info.userid, sc.external_contact.external_userid);
      expect(row).toMatchObject({
        name: sc.external_contact.name,
        company: sc.external_contact.corp_name ?? null,
        remark: sc.follow_info.remark || null,
        tags: sc.follow_info.tag_id,
        addedAt: new Date(sc.follow_info.createtime * 1000),
        status: "ACTIVE",
      });
      expect(decrypt(row!.externalIdCipher!)).toBe(sc.external_contact.external_userid);
    }

    const step = await stepOf(db.prisma, runId);
    expect(step.rows).toBe(contacts);
    expect(step.counts).toMatchObject({ "accounts.created": followed.length - 2, "contacts.created": contacts - closedContacts - 1, "contacts.updated": 1, "contacts.members": followed.length - 1, "contacts.removed": 1 });
    // Several pages per transaction: far fewer commits than pages.
    expect(step.commits).toBeLessThan(Math.ceil(contacts / 100));
    expect(step.commits).toBeGreaterThanOrEqual(Math.ceil(contacts / COMMIT_ROWS));
    const runRow = await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(runRow.warnings).toEqual([expect.objectContaining({ step: "contacts", code: "wecom.sync.warnings.contacts.accountClosed", params: { member: "u0****06" } })]);
    // One audit event for the run (and its start), none per account or contact.
    expect(await db.prisma.auditEvent.count({ where: { entityType: { in: ["Account", "CustomerContact"] } } })).toBe(0);
    expect(await db.prisma.auditEvent.findMany({ where: { entityId: runId }, select: { action: true } })).toEqual([{ action: "wecom.sync.start" }, { action: "wecom.sync.run" }]);
  });

  it("matches what the portal already had: the imported account and contact are updated in place, the one WeCom lacks is marked removed", async () => {
    expect(await accountOf(db.prisma, sim.company.userid(5))).toEqual([expect.objectContaining({ id: imported.accountId, holderId: org.people[3].id, requestedById: org.people[3].id })]);
    const sc = sim.company.contact(5, 0);
    const contact = await db.prisma.customerContact.findUniqueOrThrow({ where: { id: imported.contactId } });
    // WeCom's name; the company WeCom gives (or, for a WeChat user, the one the portal had).
    expect(contact).toMatchObject({ name: sc.external_contact.name, company: sc.external_contact.corp_name ?? "导入的公司", status: "ACTIVE", version: 2 });
    expect(await db.prisma.customerContact.count({ where: { accountId: imported.accountId } })).toBe(sim.company.contactCount(5) + 1);
    expect(await db.prisma.customerContact.findUniqueOrThrow({ where: { id: imported.strayId } })).toMatchObject({ status: "REMOVED", wecomLastSeenAt: null });
    // The dissolved account got nothing.
    const [closed] = await accountOf(db.prisma, sim.company.userid(6));
    expect(await db.prisma.customerContact.count({ where: { accountId: closed.id } })).toBe(0);
  });

  it("stores external ids only encrypted: no plain external or user id in any row, and the page shows masks", async () => {
    const samples = [ext(0, 0), ext(42, 3), ext(229, 9), "u000042"];
    for (const table of ["customer_contacts", "accounts"]) {
      const { rows } = await owner.query(`SELECT count(*)::int AS n FROM ${table} t WHERE strpos(t::text, $1) > 0 OR strpos(t::text, $2) > 0 OR strpos(t::text, $3) > 0 OR strpos(t::text, $4) > 0`, samples);
      expect(rows[0].n, table).toBe(0);
    }
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM customer_contacts WHERE external_id IS NOT NULL OR external_id_cipher NOT LIKE 'v1.%'`);
    expect(rows[0].n).toBe(0);

    const [account] = await accountOf(db.prisma, sim.company.userid(42));
    const admin = await makeEmployee(db.prisma, { departmentId: org.root.id, roles: ["ADMIN"] });
    const page = await listContacts(await actorFor(db.prisma, admin.id), db.prisma, account.id, contactListSchema.parse({ pageSize: "100" }));
    expect(page!.rows).toHaveLength(sim.company.contactCount(42));
    expect(page!.rows.every((r) => /^wm\*{4}.{2}$/.test(r.externalIdMask))).toBe(true);
    expect(JSON.stringify(page)).not.toContain(ext(42, 3));
    // The exact id still finds its contact (by keyed hash).
    const found = await listContacts(await actorFor(db.prisma, admin.id), db.prisma, account.id, contactListSchema.parse({ q: ext(42, 3) }));
    expect(found!.rows.map((r) => r.name)).toEqual([sim.company.contact(42, 3).external_contact.name]);
  });

  it("a second sync changes nothing: no new rows, nothing created or updated, same versions", async () => {
    const before = await owner.query(`SELECT count(*)::int AS n, sum(version)::int AS v FROM customer_contacts`);
    const accounts = await db.prisma.account.count();
    const { runId, outcome } = await run(db.prisma);
    expect(outcome).toBe("SUCCEEDED");
    expect((await owner.query(`SELECT count(*)::int AS n, sum(version)::int AS v FROM customer_contacts`)).rows[0]).toEqual(before.rows[0]);
    expect(await db.prisma.account.count()).toBe(accounts);
    const counts = (await stepOf(db.prisma, runId)).counts as Record<string, number>;
    expect(counts["accounts.created"] ?? 0).toBe(0);
    expect(counts["contacts.created"] ?? 0).toBe(0);
    expect(counts["contacts.updated"] ?? 0).toBe(0);
    expect(counts["contacts.removed"] ?? 0).toBe(0);
    // Every customer was seen by this run.
    const runRow = await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(await db.prisma.customerContact.count({ where: { status: "ACTIVE", wecomLastSeenAt: { lt: runRow.startedAt } } })).toBe(0);
  });

  it("a customer removed in WeCom is marked REMOVED with when it was last seen; an edited remark is updated; back in WeCom, it is ACTIVE again", async () => {
    const previous = await db.prisma.weComSyncRun.findFirstOrThrow({ where: { status: "SUCCEEDED" }, orderBy: { startedAt: "desc" } });
    const seenBefore = (await contactOf(db.prisma, "u000003", ext(3, 1)))!.wecomLastSeenAt!;
    expect(seenBefore.getTime()).toBeGreaterThanOrEqual(previous.startedAt.getTime());
    await simAdmin(sim, "contacts/remove", { userid: "u000003", external_userid: ext(3, 1) });
    await simAdmin(sim, "contacts/edit", { userid: "u000004", external_userid: ext(4, 0), remark: "已签约" });
    const { runId } = await run(db.prisma);
    expect(await contactOf(db.prisma, "u000003", ext(3, 1))).toMatchObject({ status: "REMOVED", wecomLastSeenAt: seenBefore });
    expect(await contactOf(db.prisma, "u000003", ext(3, 2))).toMatchObject({ status: "ACTIVE" });
    expect(await contactOf(db.prisma, "u000004", ext(4, 0))).toMatchObject({ remark: "已签约", status: "ACTIVE" });
    expect((await stepOf(db.prisma, runId)).counts).toMatchObject({ "contacts.removed": 1, "contacts.updated": 1 });

    await simAdmin(sim, "contacts/reset");
    const again = await run(db.prisma);
    expect(await contactOf(db.prisma, "u000003", ext(3, 1))).toMatchObject({ status: "ACTIVE" });
    expect((await stepOf(db.prisma, again.runId)).counts).toMatchObject({ "contacts.updated": 2 });
  });

  it("a member WeCom refuses is a warning; its customers stay as they were, the others are read", async () => {
    await simAdmin(sim, "contacts/refuse", { userid: "u000150" });
    await simAdmin(sim, "contacts/remove", { userid: "u000151", external_userid: ext(151, 0) });
    const { runId, outcome } = await run(db.prisma);
    expect(outcome).toBe("SUCCEEDED");
    const run150 = await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run150.warnings).toContainEqual(expect.objectContaining({ code: "wecom.sync.warnings.contacts.memberRefused", params: { member: "u0****50", errcode: 60011 } }));
    expect(await db.prisma.customerContact.count({ where: { accountId: (await accountOf(db.prisma, "u000150"))[0].id, status: "ACTIVE" } })).toBe(10);
    expect(await contactOf(db.prisma, "u000151", ext(151, 0))).toMatchObject({ status: "REMOVED" });
    expect((await stepOf(db.prisma, runId)).counts).toMatchObject({ "contacts.membersRefused": 1, "contacts.removed": 1 });
    await simAdmin(sim, "contacts/reset");
  });

  it("a permission WeCom refuses for the whole API (48002) fails the run with the errcode", async () => {
    await injectFaults(sim, { path: "/externalcontact/batch/get_by_user", kind: "errcode", errcode: 48002 });
    const { runId, outcome } = await run(db.prisma);
    expect(outcome).toBe("FAILED");
    expect(await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "FAILED", errorCode: "wecom.sync.errors.api", errorParams: expect.objectContaining({ errcode: 48002 }) });
  });
});

describe("resume after a fault", () => {
  /** What the portal holds, keyed so two databases compare (same PII key: same hashes). */
  async function snapshot(prisma: DbClient) {
    const accounts = await prisma.account.findMany({ select: { id: true, platformIdHash: true, holderId: true, status: true, custodianDepartmentId: true } });
    const byId = new Map(accounts.map((a) => [a.id, a.platformIdHash]));
    const contacts = await prisma.customerContact.findMany({ select: { accountId: true, externalIdHash: true, name: true, company: true, remark: true, tags: true, addedAt: true, status: true, version: true } });
    return {
      accounts: accounts.map((a) => [a.platformIdHash, a.holderId === null, a.status].join("|")).sort(),
      contacts: contacts.map((c) => [byId.get(c.accountId), c.externalIdHash, c.name, c.company, c.remark, c.tags.join(","), c.addedAt.toISOString(), c.status, c.version].join("|")).sort(),
    };
  }

  it("a run stopped mid-way by WeCom errors resumes from its checkpoint and ends as an uninterrupted run does", async () => {
    const straight = await createTestDb();
    const faulted = await createTestDb();
    try {
      await setUpOrganisation(straight.prisma);
      await setUpOrganisation(faulted.prisma);
      expect((await run(straight.prisma)).outcome).toBe("SUCCEEDED");

      // The 13th page and the retries after it fail: the worker gives the run back (RETRY).
      await injectFaults(sim, { path: "/externalcontact/batch/get_by_user", kind: "http", status: 502, times: 5, after: 12 });
      const first = await run(faulted.prisma);
      expect(first.outcome).toBe("RETRY");
      const halfway = await stepOf(faulted.prisma, first.runId);
      expect(halfway.checkpoint).toMatchObject({ batch: 1, done: false });
      expect(halfway.rows).toBeGreaterThan(0);
      const written = await faulted.prisma.customerContact.count();
      expect(written).toBe(halfway.rows);

      const resumed = await run(faulted.prisma, first.runId);
      expect(resumed).toEqual({ runId: first.runId, outcome: "SUCCEEDED" });
      expect(await snapshot(faulted.prisma)).toEqual(await snapshot(straight.prisma));
      // Nothing redone twice: every contact is at its first version, and counted once.
      expect(await faulted.prisma.customerContact.count({ where: { version: { gt: 1 } } })).toBe(0);
      expect((await stepOf(faulted.prisma, first.runId)).counts).toMatchObject({ "contacts.created": expectedContacts().contacts, "accounts.created": expectedContacts().followed.length });
    } finally {
      await straight.close();
      await faulted.close();
    }
  });
});

describe("the change_external_contact callback", () => {
  let cb: TestDb;
  let ctx: EventContext;
  const lines: string[] = [];
  const event = (ChangeType: string, UserID: string, ExternalUserID: string, extra: Record<string, string> = {}) =>
    applyExternalContactEvent(ctx, { ToUserName: sim.config.corpId, MsgType: "event", Event: "change_external_contact", ChangeType, UserID, ExternalUserID, ...extra });

  beforeAll(async () => {
    cb = await createTestDb();
    await setUpOrganisation(cb.prisma);
    ctx = { prisma: cb.prisma, contacts: null, customers: customersClient(cb.prisma, sim), settings: { leaverAction: "OPEN_CASE" }, now: () => new Date(), log: (l) => void lines.push(l) };
    await simAdmin(sim, "contacts/reset");
  });
  afterAll(async () => {
    await simAdmin(sim, "contacts/reset");
    await cb?.close();
  });

  it("add: the customer is read from WeCom and written on the member's account (created); the same event again changes nothing", async () => {
    expect(await event("add_external_contact", "u000002", ext(2, 3))).toEqual({ applied: true });
    const sc = sim.company.contact(2, 3);
    const row = await contactOf(cb.prisma, "u000002", ext(2, 3));
    expect(row).toMatchObject({ name: sc.external_contact.name, remark: sc.follow_info.remark || null, tags: sc.follow_info.tag_id, status: "ACTIVE", version: 1 });
    expect(row!.wecomLastSeenAt).toBeInstanceOf(Date);
    expect(await accountOf(cb.prisma, "u000002")).toEqual([expect.objectContaining({ status: "ACTIVE", requestedById: null })]);
    expect(await event("add_external_contact", "u000002", ext(2, 3))).toEqual({ applied: false });
    expect(await cb.prisma.customerContact.count()).toBe(1);
    expect((await contactOf(cb.prisma, "u000002", ext(2, 3)))!.version).toBe(1);
  });

  it("edit: the remark WeCom now has is written", async () => {
    await simAdmin(sim, "contacts/edit", { userid: "u000002", external_userid: ext(2, 3), remark: "改过的备注" });
    expect(await event("edit_external_contact", "u000002", ext(2, 3))).toEqual({ applied: true });
    expect(await contactOf(cb.prisma, "u000002", ext(2, 3))).toMatchObject({ remark: "改过的备注", version: 2 });
  });

  it("del_follow_user / del_external_contact: marked REMOVED for that member, last seen kept; again, nothing", async () => {
    const seen = (await contactOf(cb.prisma, "u000002", ext(2, 3)))!.wecomLastSeenAt;
    expect(await event("del_follow_user", "u000002", ext(2, 3))).toEqual({ applied: true });
    expect(await contactOf(cb.prisma, "u000002", ext(2, 3))).toMatchObject({ status: "REMOVED", wecomLastSeenAt: seen });
    expect(await event("del_external_contact", "u000002", ext(2, 3))).toEqual({ applied: false });
    // A customer of a member the portal does not know: nothing to mark.
    expect(await event("del_external_contact", "u000009", ext(9, 0))).toEqual({ applied: false });
    expect(await accountOf(cb.prisma, "u000009")).toEqual([]);
  });

  it("an add for a relationship WeCom no longer has leaves it removed; once WeCom has it again, it is ACTIVE", async () => {
    await simAdmin(sim, "contacts/remove", { userid: "u000002", external_userid: ext(2, 3) });
    expect(await event("add_external_contact", "u000002", ext(2, 3))).toEqual({ applied: false });
    expect(await contactOf(cb.prisma, "u000002", ext(2, 3))).toMatchObject({ status: "REMOVED" });
    await simAdmin(sim, "contacts/restore", { userid: "u000002", external_userid: ext(2, 3) });
    expect(await event("add_external_contact", "u000002", ext(2, 3))).toEqual({ applied: true });
    expect(await contactOf(cb.prisma, "u000002", ext(2, 3))).toMatchObject({ status: "ACTIVE" });
  });

  it("transfer_fail is recorded and logged only; other change types and events are ignored", async () => {
    const before = await cb.prisma.customerContact.findMany({ orderBy: { id: "asc" } });
    expect(await event("transfer_fail", "u000002", ext(2, 3), { FailReason: "customer_refused" })).toEqual({ applied: false });
    expect(lines.some((l) => l.includes("transfer_fail") && l.includes("customer_refused") && !l.includes("u000002"))).toBe(true);
    expect(await event("edit_external_chat", "u000002", ext(2, 3))).toEqual({ applied: false });
    expect(await applyExternalContactEvent(ctx, { Event: "change_contact", ChangeType: "update_user", UserID: "u000002" })).toEqual({ applied: false });
    expect(await cb.prisma.customerContact.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});
