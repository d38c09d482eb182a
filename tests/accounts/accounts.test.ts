import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markAccountInHandover, reassignAccount, registerAccount, requestAccountDissolution, requestDissolutionCommand, resumeAccount, revealContactIdentifier, revealIdentifier, suspendAccount } from "@/lib/accounts/commands";
import { accountExportPages, getAccount, listAccounts, listContacts } from "@/lib/accounts/queries";
import { accountExportSchema, accountListSchema, accountRegisterSchema, accountRequestSchema, contactListSchema, reasonSchema, resumeSchema, revealContactSchema, revealSchema } from "@/lib/accounts/schemas";
import { externalIdFields } from "@/lib/accounts/contact-ids";
import { decrypt, hashValue } from "@/lib/pii";
import type { Actor } from "@/lib/server/actor";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { approveAll, auditActions, expectOk, rejectCurrent, requestAs, requestForm, run, seedOrganisation, uniquePlatformId, usePiiKey, withdraw, type AccountsOrganisation } from "./helpers";

let db: TestDb;
let org: AccountsOrganisation;
let alice: Actor;
let bob: Actor;
let carol: Actor;
let admin: Actor;
let eastManager: Actor;
let southManager: Actor;
let auditor: Actor;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  [alice, bob, carol, admin, eastManager, southManager, auditor] = await Promise.all(
    [org.people.alice, org.people.bob, org.people.carol, org.people.admin, org.people.eastManager, org.people.southManager, org.people.auditor].map((p) => actorFor(db.prisma, p.id)),
  );
});
afterAll(async () => db?.close());

const account = (id: string) => db.prisma.account.findUniqueOrThrow({ where: { id } });
const list = (actor: Actor, params: Record<string, string> = {}) => listAccounts(actor, db.prisma, accountListSchema.parse(params));

async function activeAccount(overrides: Record<string, unknown> = {}) {
  const { id, requestId } = await requestAs(db.prisma, alice, org.dept.sh1.id, overrides);
  expect(await approveAll(db.prisma, requestId)).toBe("APPROVED");
  return account(id);
}

describe("identifiers are personal information", () => {
  it("stores platform id and phone encrypted, with hash and mask, and never in the audit trail", async () => {
    const platformId = uniquePlatformId("wxid_Secret");
    const { id } = await requestAs(db.prisma, alice, org.dept.sh1.id, { platformId, phone: "+86 138 1234 5678" });
    const a = await account(id);
    expect(a.platformIdCipher).not.toContain(platformId);
    expect(a.phoneCipher).not.toContain("13812345678");
    expect(decrypt(a.platformIdCipher)).toBe(platformId);
    expect(decrypt(a.phoneCipher!)).toBe("13812345678");
    expect(a.platformIdHash).toBe(hashValue("identifier", platformId));
    expect(a.phoneMask).toBe("138****5678");
    expect(a.platformIdMask).toBe(`${platformId.slice(0, 2)}****${platformId.slice(-2)}`);
    const raw = await db.prisma.$queryRaw<{ row: string }[]>`SELECT row_to_json(a)::text AS row FROM accounts a WHERE id = ${id}`;
    expect(raw[0].row).not.toContain(platformId);
    expect(raw[0].row).not.toContain("13812345678");
    const events = await db.prisma.$queryRaw<{ row: string }[]>`SELECT row_to_json(e)::text AS row FROM audit_events e`;
    for (const e of events) {
      expect(e.row).not.toContain(platformId);
      expect(e.row).not.toContain("13812345678");
    }
    const requests = await db.prisma.approvalRequest.findMany({ where: { subjectId: id } });
    expect(JSON.stringify(requests)).not.toContain(platformId);
  });

  it("finds an account by its exact platform id or phone through the hash, masked in the list", async () => {
    const platformId = uniquePlatformId("gh_Find");
    const a = await activeAccount({ platformId, phone: "13900001111", type: "OFFICIAL_ACCOUNT" });
    const byId = await list(admin, { platformId: `  ${platformId} ` });
    expect(byId.rows.map((r) => r.id)).toEqual([a.id]);
    expect(byId.rows[0].platformIdMask).toBe(a.platformIdMask);
    expect(JSON.stringify(byId.rows)).not.toContain(platformId);
    expect((await list(admin, { phone: "+86 139-0000-1111" })).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await list(admin, { platformId: platformId.toLowerCase() })).total).toBe(0);
    expect((await list(admin, { platformId: platformId.slice(0, -1) })).total).toBe(0);
  });

  it("refuses an invalid phone with a message naming the format", async () => {
    const outcome = await run(db.prisma, alice, accountRequestSchema, requestForm(org.dept.sh1.id, { phone: "12345" }), async () => ({}));
    expect(outcome).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { phone: ["accounts.v.phone"] } });
    expect(accountRequestSchema.safeParse(requestForm(org.dept.sh1.id, { phone: "0086 139 1234 5678" })).success).toBe(true);
  });

  it("refuses a duplicate platform id of the same type as a field error", async () => {
    const platformId = uniquePlatformId();
    await requestAs(db.prisma, alice, org.dept.sh1.id, { platformId });
    const outcome = await run(db.prisma, bob, accountRequestSchema, requestForm(org.dept.sh1.id, { platformId: ` ${platformId}` }), (await import("@/lib/accounts/commands")).requestAccount);
    expect(outcome).toMatchObject({ ok: false, code: "CONFLICT", field: "platformId", messageKey: "accounts.errors.duplicatePlatformId" });
    // Another type may carry the same text.
    await requestAs(db.prisma, bob, org.dept.sh1.id, { platformId, type: "VIDEO_CHANNEL" });
  });
});

describe("reveal", () => {
  it("gives the clear value to accounts.reveal only, audited without the value", async () => {
    const platformId = uniquePlatformId("wxid_Reveal");
    const a = await activeAccount({ platformId, phone: "13712345678" });
    expect(await run(db.prisma, alice, revealSchema, { id: a.id, field: "platformId" }, revealIdentifier)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await run(db.prisma, auditor, revealSchema, { id: a.id, field: "platformId" }, revealIdentifier)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(expectOk(await run(db.prisma, admin, revealSchema, { id: a.id, field: "platformId" }, revealIdentifier))).toEqual({ value: platformId });
    expect(expectOk(await run(db.prisma, admin, revealSchema, { id: a.id, field: "phone" }, revealIdentifier))).toEqual({ value: "13712345678" });
    const reveals = await db.prisma.auditEvent.findMany({ where: { entityId: a.id, action: "account.reveal" } });
    expect(reveals).toHaveLength(2);
    expect(reveals[0].actorId).toBe(admin.id);
    expect(reveals.map((r) => (r.after as { field: string }).field)).toEqual(["platformId", "phone"]);
    expect(JSON.stringify(reveals, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(platformId);
    expect(JSON.stringify(reveals, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain("13712345678");
  });
});

describe("scope", () => {
  it("an employee sees the accounts they hold or requested; a manager those of their subtree; read:all everything", async () => {
    const mine = await requestAs(db.prisma, alice, org.dept.sh1.id);
    const carols = await requestAs(db.prisma, carol, org.dept.south.id);
    const forBob = await requestAs(db.prisma, alice, org.dept.sh1.id, { holderId: bob.id });
    const ids = async (actor: Actor) => new Set((await list(actor, { pageSize: "100" })).rows.map((r) => r.id));
    const aliceSees = await ids(alice);
    expect(aliceSees.has(mine.id) && aliceSees.has(forBob.id)).toBe(true);
    expect(aliceSees.has(carols.id)).toBe(false);
    const bobSees = await ids(bob);
    expect(bobSees.has(forBob.id)).toBe(true);
    expect(bobSees.has(mine.id)).toBe(false);
    const east = await ids(eastManager);
    expect(east.has(mine.id)).toBe(true);
    expect(east.has(carols.id)).toBe(false);
    const south = await ids(southManager);
    expect(south.has(carols.id)).toBe(true);
    expect(south.has(mine.id)).toBe(false);
    const all = await ids(auditor);
    expect(all.has(mine.id) && all.has(carols.id)).toBe(true);
    expect(await getAccount(carol, db.prisma, mine.id)).toBeNull();
    expect(await listContacts(carol, db.prisma, mine.id, contactListSchema.parse({}))).toBeNull();
  });

  it("filters by department subtree, type, status and holder; the export is masked and scoped", async () => {
    const a = await activeAccount({ type: "MINI_PROGRAM" });
    const bySales = await list(admin, { department: org.dept.sales.id, type: "MINI_PROGRAM", status: "ACTIVE", pageSize: "100" });
    expect(bySales.rows.map((r) => r.id)).toContain(a.id);
    expect((await list(admin, { department: org.dept.it.id, pageSize: "100" })).rows.map((r) => r.id)).not.toContain(a.id);
    expect((await list(admin, { holder: "李小雨", pageSize: "100" })).rows.every((r) => r.holderId === alice.id)).toBe(true);
    const exported: string[] = [];
    for await (const page of accountExportPages(southManager, db.prisma, accountExportSchema.parse({}))) exported.push(...page.map((r) => r.id));
    expect(exported).not.toContain(a.id);
  });

  it("lists the accounts still held by people who have left (the dashboard's figure), not the closed ones", async () => {
    const held = await activeAccount();
    const closed = await activeAccount();
    const kept = await activeAccount();
    const departed = org.people.departed.id;
    await db.prisma.account.updateMany({ where: { id: { in: [held.id, closed.id] } }, data: { holderId: departed } });
    await db.prisma.account.update({ where: { id: closed.id }, data: { status: "DISSOLVED" } });
    const ids = (await list(admin, { holderDeparted: "1", pageSize: "100" })).rows.map((r) => r.id);
    expect(ids).toContain(held.id);
    expect(ids).not.toContain(closed.id);
    expect(ids).not.toContain(kept.id);
    expect((await list(admin, { holderDeparted: "1", department: org.dept.it.id, pageSize: "100" })).rows.map((r) => r.id)).not.toContain(held.id);
    // The manager of the custodian department sees it too; the export carries the filter.
    expect((await list(eastManager, { holderDeparted: "1", pageSize: "100" })).rows.map((r) => r.id)).toContain(held.id);
    const exported: string[] = [];
    for await (const page of accountExportPages(admin, db.prisma, accountExportSchema.parse({ holderDeparted: "1" }))) exported.push(...page.map((r) => r.id));
    expect(exported).toContain(held.id);
    expect(exported).not.toContain(kept.id);
  });
});

describe("lifecycle", () => {
  it("request → approval → ACTIVE; rejection → REJECTED; withdrawal → WITHDRAWN", async () => {
    const { id, requestId } = await requestAs(db.prisma, alice, org.dept.sh1.id);
    expect((await account(id)).status).toBe("REQUESTED");
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: requestId }, include: { steps: { orderBy: { position: "asc" } } } });
    expect(request).toMatchObject({ type: "ACCOUNT_CREATE", subjectType: "Account", subjectId: id, facts: { managerOfDepartmentId: org.dept.sh1.id } });
    expect(request.steps[0].approverId).toBe(eastManager.id);
    expect(await approveAll(db.prisma, requestId)).toBe("APPROVED");
    expect(await account(id)).toMatchObject({ status: "ACTIVE", version: 2 });
    expect(await auditActions(db.prisma, id)).toEqual(["account.request", "account.activate"]);

    const rejected = await requestAs(db.prisma, alice, org.dept.sh1.id);
    await rejectCurrent(db.prisma, rejected.requestId, "不需要");
    expect((await account(rejected.id)).status).toBe("REJECTED");
    const withdrawn = await requestAs(db.prisma, alice, org.dept.sh1.id);
    await withdraw(db.prisma, withdrawn.requestId);
    expect((await account(withdrawn.id)).status).toBe("WITHDRAWN");
  });

  it("accounts.manage registers an existing account ACTIVE, audited; others may not", async () => {
    const form = requestForm(org.dept.south.id, { holderId: carol.id });
    expect(await run(db.prisma, alice, accountRegisterSchema, form, registerAccount)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    const { id } = expectOk(await run(db.prisma, admin, accountRegisterSchema, form, registerAccount));
    expect(await account(id)).toMatchObject({ status: "ACTIVE", holderId: carol.id, requestedById: admin.id });
    expect(await auditActions(db.prisma, id)).toEqual(["account.register"]);
  });

  it("suspends and resumes with a reason; a stale version is refused", async () => {
    const a = await activeAccount();
    expect(await run(db.prisma, alice, reasonSchema, { id: a.id, version: a.version, reason: "x" }, suspendAccount)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    const s = expectOk(await run(db.prisma, admin, reasonSchema, { id: a.id, version: a.version, reason: "手机丢失" }, suspendAccount));
    expect(s.status).toBe("SUSPENDED");
    expect(await run(db.prisma, admin, resumeSchema, { id: a.id, version: a.version, reason: "" }, resumeAccount)).toMatchObject({ ok: false, code: "STALE" });
    expect(expectOk(await run(db.prisma, admin, resumeSchema, { id: a.id, version: s.version, reason: "找回" }, resumeAccount)).status).toBe("ACTIVE");
    expect(await run(db.prisma, admin, resumeSchema, { id: a.id, version: s.version + 1, reason: "" }, resumeAccount)).toMatchObject({ ok: false, code: "INVALID_STATE" });
    const events = await db.prisma.auditEvent.findMany({ where: { entityId: a.id, action: "account.suspend" } });
    expect((events[0].after as { reason: string }).reason).toBe("手机丢失");
  });

  it("dissolution → DISSOLVED on approval; back to the prior state when rejected or withdrawn", async () => {
    const a = await activeAccount();
    const r = expectOk(await run(db.prisma, alice, reasonSchema, { id: a.id, version: a.version, reason: "项目结束" }, requestDissolutionCommand));
    expect((await account(a.id)).status).toBe("DISSOLUTION_PENDING");
    const request = await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: r.requestId } });
    expect(request).toMatchObject({ type: "ACCOUNT_DISSOLVE", facts: { managerOfDepartmentId: org.dept.sh1.id } });
    expect(await approveAll(db.prisma, r.requestId)).toBe("APPROVED");
    expect((await account(a.id)).status).toBe("DISSOLVED");

    const b = await activeAccount();
    const suspended = expectOk(await run(db.prisma, admin, reasonSchema, { id: b.id, version: b.version, reason: "暂停" }, suspendAccount));
    const r2 = expectOk(await run(db.prisma, admin, reasonSchema, { id: b.id, version: suspended.version, reason: "不再使用" }, requestDissolutionCommand));
    await rejectCurrent(db.prisma, r2.requestId, "仍有客户");
    expect((await account(b.id)).status).toBe("SUSPENDED");
    const r3 = await inUnitOfWork(db.prisma, admin, ({ tx, audit }) => requestAccountDissolution({ actor: admin, tx, audit }, { accountId: b.id, reason: "再次申请" }));
    await withdraw(db.prisma, r3.requestId);
    expect((await account(b.id)).status).toBe("SUSPENDED");
    // Someone who does not hold it may not ask.
    const c = await activeAccount();
    expect(await run(db.prisma, bob, reasonSchema, { id: c.id, version: c.version, reason: "x" }, requestDissolutionCommand)).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  it("offboarding: handover then reassignment to a new holder, audited and version-checked", async () => {
    const hr = await actorFor(db.prisma, org.people.hr.id);
    const a = await activeAccount();
    const run1 = (fn: () => Promise<unknown>) => fn();
    const h = await inUnitOfWork(db.prisma, hr, ({ tx, audit }) => markAccountInHandover({ actor: hr, tx, audit }, { accountId: a.id, expectedVersion: a.version }));
    expect(h).toMatchObject({ status: "HANDOVER", changed: true });
    await expect(run1(() => inUnitOfWork(db.prisma, hr, ({ tx, audit }) => reassignAccount({ actor: hr, tx, audit }, { accountId: a.id, newHolderId: bob.id, expectedVersion: a.version })))).rejects.toMatchObject({ code: "STALE" });
    await expect(inUnitOfWork(db.prisma, alice, ({ tx, audit }) => reassignAccount({ actor: alice, tx, audit }, { accountId: a.id, newHolderId: bob.id }))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(inUnitOfWork(db.prisma, hr, ({ tx, audit }) => reassignAccount({ actor: hr, tx, audit }, { accountId: a.id, newHolderId: org.people.departed.id }))).rejects.toMatchObject({ code: "VALIDATION" });
    const r = await inUnitOfWork(db.prisma, hr, ({ tx, audit }) => reassignAccount({ actor: hr, tx, audit }, { accountId: a.id, newHolderId: bob.id, expectedVersion: h.version }));
    expect(r.status).toBe("REASSIGNED");
    expect(await account(a.id)).toMatchObject({ status: "REASSIGNED", holderId: bob.id });
    expect(await auditActions(db.prisma, a.id)).toEqual(["account.request", "account.activate", "account.handover", "account.reassign"]);
  });

  it("lists an account's contacts, paged and searchable", async () => {
    const a = await activeAccount();
    await db.prisma.customerContact.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({ id: `contact${a.id.slice(0, 12)}${String(i).padStart(3, "0")}`, accountId: a.id, ...externalIdFields(`wm_ext_${i}`), name: i === 7 ? "张晓明" : `客户${i}`, company: i % 2 ? "上海华谊贸易有限公司" : null, addedAt: new Date(Date.UTC(2026, 0, 1 + i)) })),
    });
    const page = await listContacts(alice, db.prisma, a.id, contactListSchema.parse({ pageSize: "10" }));
    expect(page).toMatchObject({ total: 30, pageSize: 10 });
    expect(page!.rows).toHaveLength(10);
    expect((await listContacts(alice, db.prisma, a.id, contactListSchema.parse({ q: "晓明" })))!.rows.map((r) => r.name)).toEqual(["张晓明"]);
    expect((await listContacts(alice, db.prisma, a.id, contactListSchema.parse({ q: "华谊" })))!.total).toBe(15);
    expect((await listContacts(alice, db.prisma, a.id, contactListSchema.parse({ q: "wm_ext_3" })))!.total).toBe(1);
    expect((await listContacts(alice, db.prisma, a.id, contactListSchema.parse({ q: "wm_ext_" })))!.total).toBe(0); // exact ids only (a hash)
    expect((await list(alice, { pageSize: "100" })).rows.find((r) => r.id === a.id)!.contacts).toBe(30);
  });

  it("shows a contact's external id masked; accounts.reveal reveals it, audited without the value", async () => {
    const a = await activeAccount();
    const contact = await db.prisma.customerContact.create({ data: { accountId: a.id, ...externalIdFields("wmRevealThisOne42"), name: "揭示", addedAt: new Date() } });
    const rows = (await listContacts(alice, db.prisma, a.id, contactListSchema.parse({ q: "揭示" })))!.rows;
    expect(rows).toEqual([expect.objectContaining({ externalIdMask: "wm****42" })]);
    expect(JSON.stringify(rows)).not.toContain("wmRevealThisOne42");
    const input = { id: a.id, contactId: contact.id };
    expect(await run(db.prisma, alice, revealContactSchema, input, revealContactIdentifier)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await run(db.prisma, admin, revealContactSchema, { ...input, id: (await activeAccount()).id }, revealContactIdentifier)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(expectOk(await run(db.prisma, admin, revealContactSchema, input, revealContactIdentifier))).toEqual({ value: "wmRevealThisOne42" });
    const events = await db.prisma.auditEvent.findMany({ where: { entityId: a.id, action: "account.contactReveal" } });
    expect(events.map((e) => e.after)).toEqual([{ contactId: contact.id, mask: "wm****42" }]);
  });
});
