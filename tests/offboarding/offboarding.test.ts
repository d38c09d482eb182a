import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assignItem,
  bulkAssign,
  closeCase,
  departNow,
  openCase,
  recordFailure,
  reassignAccountItem,
  recordRefusal,
  requestAccountDissolutionItem,
  signWaiver,
  startItem,
  startTransfers,
} from "@/lib/offboarding/commands";
import { offboardingAttentionFrom } from "@/lib/offboarding/attention";
import { shanghaiToday } from "@/lib/offboarding/time";
import {
  accountDissolveSchema,
  assignItemSchema,
  bulkAssignSchema,
  caseRefSchema,
  departSchema,
  failureSchema,
  itemRefSchema,
  openCaseSchema,
  startTransfersSchema,
  waiverSchema,
} from "@/lib/offboarding/schemas";
import { runCompleteTransfers, runDepartures } from "@/lib/jobs/handlers";
import { newId } from "@/lib/ids";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { expectOk, run } from "../helpers/run-command";
import { untilLockWait } from "../helpers/until-lock-wait";
import { seedOffboardingOrg, type Org } from "./helpers";

let db: TestDb;
let org: Org;
let caseId: string;
const T0 = new Date("2026-11-25T02:00:00Z"); // 10:00 in China
const HOUR = 3600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOffboardingOrg(db.prisma, 20);
});
afterAll(async () => db?.close());

const item = (where: object) => db.prisma.handoverItem.findFirstOrThrow({ where: { caseId, ...where }, orderBy: { label: "asc" } });

describe("opening a case", () => {
  it("refuses a last working day in the past and a non-employee", async () => {
    const past = await run(db.prisma, org.actors.hr, openCaseSchema, { employeeId: org.people.leaver.id, lastWorkingDay: "2026-11-24" }, (ctx) => openCase(ctx, { now: T0 }));
    expect(past).toMatchObject({ ok: false, field: "lastWorkingDay" });
    const forbidden = await run(db.prisma, org.actors.s1, openCaseSchema, { employeeId: org.people.leaver.id, lastWorkingDay: "2026-11-30" }, (ctx) => openCase(ctx, { now: T0 }));
    expect(forbidden).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("builds one item per account, active contact and live group, in one audited transaction", async () => {
    const out = expectOk(
      await run(db.prisma, org.actors.hr, openCaseSchema, { employeeId: org.people.leaver.id, lastWorkingDay: "2026-11-27" }, (ctx) => openCase(ctx, { now: T0 })),
    );
    caseId = out.id;
    expect(out.counts).toEqual({ accounts: 1, contacts: 20, groups: 1 });
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: org.people.leaver.id } })).status).toBe("OFFBOARDING");
    const events = await db.prisma.auditEvent.findMany({ where: { entityId: caseId } });
    expect(events.map((e) => e.action)).toEqual(["offboarding.open"]);
    const again = await run(db.prisma, org.actors.hr2, openCaseSchema, { employeeId: org.people.leaver.id, lastWorkingDay: "2026-11-27" }, (ctx) => openCase(ctx, { now: T0 }));
    expect(again).toMatchObject({ ok: false, field: "employeeId" });
  });
});

describe("successors", () => {
  it("refuses the leaver and inactive people as successor", async () => {
    const self = await run(db.prisma, org.actors.hr, bulkAssignSchema, { caseId, successorId: org.people.leaver.id }, (ctx) => bulkAssign(ctx, { now: T0 }));
    expect(self).toMatchObject({ ok: false, field: "successorId", messageKey: "offboarding.errors.successorIsLeaver" });
  });

  it("assigns by filter (search) on the server, then everything else, never overwriting", async () => {
    const odd = expectOk(await run(db.prisma, org.actors.hr, bulkAssignSchema, { caseId, kind: "CONTACT", q: "乙公司", successorId: org.people.s2.id }, (ctx) => bulkAssign(ctx, { now: T0 })));
    expect(odd).toEqual({ assigned: 10, matching: 10 });
    const all = expectOk(await run(db.prisma, org.actors.hr, bulkAssignSchema, { caseId, successorId: org.people.s1.id }, (ctx) => bulkAssign(ctx, { now: T0 })));
    expect(all).toEqual({ assigned: 12, matching: 22 });
    expect(await db.prisma.handoverItem.count({ where: { caseId, successorId: org.people.s2.id } })).toBe(10);
    expect(await db.prisma.handoverItem.count({ where: { caseId, successorId: null } })).toBe(0);
  });

  it("two HR users assigning the same contacts at once: each item assigned once, none lost", async () => {
    const c2 = await seedOffboardingOrg(db.prisma, 300);
    const opened = expectOk(await run(db.prisma, c2.actors.hr, openCaseSchema, { employeeId: c2.people.leaver.id, lastWorkingDay: "2026-11-30" }, (ctx) => openCase(ctx, { now: T0 })));
    const [a, b] = await Promise.all([
      run(db.prisma, c2.actors.hr, bulkAssignSchema, { caseId: opened.id, kind: "CONTACT", successorId: c2.people.s1.id }, (ctx) => bulkAssign(ctx, { now: T0 })),
      run(db.prisma, c2.actors.hr2, bulkAssignSchema, { caseId: opened.id, kind: "CONTACT", successorId: c2.people.s2.id }, (ctx) => bulkAssign(ctx, { now: T0 })),
    ]);
    const sum = expectOk(a).assigned + expectOk(b).assigned;
    expect(sum).toBe(300);
    const s1 = await db.prisma.handoverItem.count({ where: { caseId: opened.id, kind: "CONTACT", successorId: c2.people.s1.id } });
    const s2 = await db.prisma.handoverItem.count({ where: { caseId: opened.id, kind: "CONTACT", successorId: c2.people.s2.id } });
    expect(s1).toBe(expectOk(a).assigned);
    expect(s2).toBe(expectOk(b).assigned);
    expect(await db.prisma.handoverItem.count({ where: { caseId: opened.id, kind: "CONTACT", successorId: null } })).toBe(0);
    // Every item's version moved exactly once (nobody overwrote anybody).
    expect(await db.prisma.handoverItem.count({ where: { caseId: opened.id, kind: "CONTACT", version: { not: 2 } } })).toBe(0);
  });
  it("interleaved: the second assignment waits for the first's row locks, then skips what it took", async () => {
    const c4 = await seedOffboardingOrg(db.prisma, 50);
    const opened = expectOk(await run(db.prisma, c4.actors.hr, openCaseSchema, { employeeId: c4.people.leaver.id, lastWorkingDay: "2026-11-30" }, (ctx) => openCase(ctx, { now: T0 })));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let firstDone!: () => void;
    const firstUpdated = new Promise<void>((r) => (firstDone = r));
    // A assigns and holds its transaction (and the rows' locks) open until released.
    const a = run(db.prisma, c4.actors.hr, bulkAssignSchema, { caseId: opened.id, kind: "CONTACT", successorId: c4.people.s1.id }, async (ctx) => {
      const out = await bulkAssign(ctx, { now: T0 });
      firstDone();
      await gate;
      return out;
    });
    await firstUpdated;
    const b = run(db.prisma, c4.actors.hr2, bulkAssignSchema, { caseId: opened.id, kind: "CONTACT", successorId: c4.people.s2.id }, (ctx) => bulkAssign(ctx, { now: T0 }));
    await untilLockWait(db.url);
    release();
    expect(expectOk(await a).assigned).toBe(50);
    expect(expectOk(await b).assigned).toBe(0);
    expect(await db.prisma.handoverItem.count({ where: { caseId: opened.id, kind: "CONTACT", successorId: c4.people.s1.id } })).toBe(50);
  });
});

describe("transfers", () => {
  it("start: contacts wait 24 h; groups pass to the successor at once", async () => {
    const out = expectOk(await run(db.prisma, org.actors.hr, startTransfersSchema, { caseId }, (ctx) => startTransfers(ctx, { now: T0 })));
    expect(out).toEqual({ started: 20, groupsDone: 1, groupsWaiting: 0, limited: 0, noWecomUser: 0, groupsViaWecom: 0, groupsLastDay: null });
    const group = await db.prisma.workGroup.findUniqueOrThrow({ where: { id: org.group.id } });
    expect(group.ownerId).toBe(org.people.s1.id);
    expect((await item({ kind: "GROUP" })).status).toBe("DONE");
    const t = await db.prisma.contactTransfer.findMany({ where: { status: "WAITING" } });
    expect(t).toHaveLength(20);
    expect(t[0].dueAt.getTime()).toBe(T0.getTime() + 24 * HOUR);
  });

  it("a refusal within the window; none after it", async () => {
    const first = await item({ kind: "CONTACT", label: { startsWith: "客户1 " } });
    expectOk(await run(db.prisma, org.actors.hr, itemRefSchema, { itemId: first.id, version: first.version }, (ctx) => recordRefusal(ctx, { now: at(23 * HOUR) })));
    expect((await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("REFUSED");
    // The successor was told when the items were handed to them, and now of the refusal (lib/notifications).
    const told = await db.prisma.notification.findMany({ where: { recipientId: first.successorId!, kind: { in: ["offboarding.assigned", "offboarding.refused"] } }, orderBy: { createdAt: "asc" } });
    expect(told.map((n) => n.kind)).toEqual(expect.arrayContaining(["offboarding.assigned", "offboarding.refused"]));
    expect(told.find((n) => n.kind === "offboarding.refused")).toMatchObject({ messageKey: "offboarding.notify.refused", href: "/offboarding/mine" });
    const second = await item({ kind: "CONTACT", label: { startsWith: "客户2 " } });
    const late = await run(db.prisma, org.actors.hr, itemRefSchema, { itemId: second.id, version: second.version }, (ctx) => recordRefusal(ctx, { now: at(24 * HOUR) }));
    expect(late).toMatchObject({ ok: false, messageKey: "offboarding.errors.windowPassed" });
  });

  it("a failure with a reason", async () => {
    const third = await item({ kind: "CONTACT", label: { startsWith: "客户3 " } });
    expectOk(await run(db.prisma, org.actors.hr, failureSchema, { itemId: third.id, version: third.version, reason: "接替人客户数已满" }, (ctx) => recordFailure(ctx, { now: at(HOUR) })));
    const after = await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: third.id } });
    expect(after).toMatchObject({ status: "FAILED", failureReason: "接替人客户数已满" });
  });

  it("completes only when now ≥ start + 24 h, and running the job twice changes nothing more", async () => {
    expect(await runCompleteTransfers(db.prisma, at(24 * HOUR - 1))).toEqual({ completed: 0 });
    expect(await runCompleteTransfers(db.prisma, at(24 * HOUR))).toEqual({ completed: 18 });
    expect(await runCompleteTransfers(db.prisma, at(25 * HOUR))).toEqual({ completed: 0 });
    expect(await db.prisma.handoverItem.count({ where: { caseId, kind: "CONTACT", status: "DONE" } })).toBe(18);
    expect(await db.prisma.customerContact.count({ where: { accountId: org.account.id, status: "TRANSFERRED" } })).toBe(18);
  });

  it("a refused item is reassigned to another successor and started again", async () => {
    const refused = await item({ status: "REFUSED" });
    expectOk(await run(db.prisma, org.actors.hr, assignItemSchema, { itemId: refused.id, version: refused.version, successorId: org.people.s2.id }, (ctx) => assignItem(ctx, { now: at(25 * HOUR) })));
    const re = await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: refused.id } });
    expectOk(await run(db.prisma, org.actors.hr, itemRefSchema, { itemId: re.id, version: re.version }, (ctx) => startItem(ctx, { now: at(25 * HOUR) })));
    expect((await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: refused.id } })).status).toBe("TRANSFERRING");
    await runCompleteTransfers(db.prisma, at(49 * HOUR));
    expect((await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: refused.id } })).status).toBe("DONE");
  });

  it("a customer transferred twice in 90 days cannot move again: the date is said", async () => {
    const failed = await item({ status: "FAILED" });
    const contact = await db.prisma.customerContact.findUniqueOrThrow({ where: { id: failed.contactId! } });
    const older = new Date("2026-10-01T00:00:00Z");
    for (const finishedAt of [older, new Date("2026-11-01T00:00:00Z")]) {
      await db.prisma.contactTransfer.create({
        data: { id: newId(), contactId: contact.id, externalIdCipher: contact.externalIdCipher, externalIdHash: contact.externalIdHash, externalIdMask: contact.externalIdMask, fromAccountId: "elsewhere0000000000000", toEmployeeId: org.people.s1.id, status: "DONE", startedAt: older, dueAt: finishedAt, finishedAt },
      });
    }
    const refused = await run(db.prisma, org.actors.hr, itemRefSchema, { itemId: failed.id, version: failed.version }, (ctx) => startItem(ctx, { now: at(50 * HOUR) }));
    expect(refused).toMatchObject({ ok: false, messageKey: "offboarding.errors.transferLimit", params: { until: "2026-12-30" } });
    const bulk = expectOk(await run(db.prisma, org.actors.hr, startTransfersSchema, { caseId }, (ctx) => startTransfers(ctx, { now: at(50 * HOUR) })));
    expect(bulk).toMatchObject({ started: 0, limited: 1 });
  });
});

describe("waivers, accounts, closing and departure", () => {
  it("close is refused while items are open, with what is open", async () => {
    const c = await db.prisma.offboardingCase.findUniqueOrThrow({ where: { id: caseId } });
    const out = await run(db.prisma, org.actors.hr, caseRefSchema, { caseId, version: c.version }, (ctx) => closeCase(ctx, { now: at(50 * HOUR) }));
    expect(out).toMatchObject({ ok: false, messageKey: "offboarding.errors.itemsOpen", params: { count: 2 } });
  });

  it("a waiver needs an HR and an ADMIN signature by two different people", async () => {
    const failed = await item({ status: "FAILED" });
    const notAdmin = await run(db.prisma, org.actors.hr, waiverSchema, { itemId: failed.id, version: failed.version, reason: "客户已注销", as: "ADMIN" }, (ctx) => signWaiver(ctx));
    expect(notAdmin).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(expectOk(await run(db.prisma, org.actors.both, waiverSchema, { itemId: failed.id, version: failed.version, reason: "客户已注销", as: "HR" }, (ctx) => signWaiver(ctx))).status).toBe("SIGNED");
    const v2 = (await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: failed.id } })).version;
    const twice = await run(db.prisma, org.actors.both, waiverSchema, { itemId: failed.id, version: v2, reason: "客户已注销", as: "ADMIN" }, (ctx) => signWaiver(ctx));
    expect(twice).toMatchObject({ ok: false, messageKey: "offboarding.errors.waiverSamePerson" });
    const hrAgain = await run(db.prisma, org.actors.hr, waiverSchema, { itemId: failed.id, version: v2, reason: "x", as: "HR" }, (ctx) => signWaiver(ctx));
    expect(hrAgain).toMatchObject({ ok: false, messageKey: "offboarding.errors.waiverAlreadySigned" });
    expect(expectOk(await run(db.prisma, org.actors.admin, waiverSchema, { itemId: failed.id, version: v2, reason: "同意", as: "ADMIN" }, (ctx) => signWaiver(ctx))).status).toBe("WAIVED");
    const done = await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: failed.id } });
    expect(done).toMatchObject({ status: "WAIVED", waiverReason: "客户已注销", waivedByHrId: org.people.both.id, waivedByAdminId: org.people.admin.id });
  });

  it("the account went to HANDOVER at opening; its item ends in a dissolution request", async () => {
    const acc = await item({ kind: "ACCOUNT" });
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: org.account.id } })).status).toBe("HANDOVER");
    const out = expectOk(await run(db.prisma, org.actors.hr, accountDissolveSchema, { itemId: acc.id, version: acc.version, reason: "不再使用" }, (ctx) => requestAccountDissolutionItem(ctx)));
    expect(await db.prisma.approvalRequest.findUniqueOrThrow({ where: { id: out.requestId } })).toMatchObject({ type: "ACCOUNT_DISSOLVE", subjectId: org.account.id });
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: org.account.id } })).status).toBe("DISSOLUTION_PENDING");
    expect(await item({ kind: "ACCOUNT" })).toMatchObject({ status: "DONE", outcome: "DISSOLVE_REQUESTED", approvalRequestId: out.requestId });
  });

  it("closes when everything is DONE or WAIVED", async () => {
    const c = await db.prisma.offboardingCase.findUniqueOrThrow({ where: { id: caseId } });
    expectOk(await run(db.prisma, org.actors.hr, caseRefSchema, { caseId, version: c.version }, (ctx) => closeCase(ctx, { now: at(50 * HOUR) })));
    expect((await db.prisma.offboardingCase.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("CLOSED");
  });

  it("the leaver becomes DEPARTED at 18:00 China time on the last working day (job, idempotent)", async () => {
    // Last working day 2026-11-27: 18:00 in China is 10:00 UTC.
    expect(await runDepartures(db.prisma, new Date("2026-11-27T09:59:59Z"))).toEqual({ departed: 0 });
    expect((await runDepartures(db.prisma, new Date("2026-11-27T10:00:00Z"))).departed).toBeGreaterThanOrEqual(1);
    expect(await runDepartures(db.prisma, new Date("2026-11-27T10:05:00Z"))).toEqual({ departed: 0 });
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: org.people.leaver.id } })).status).toBe("DEPARTED");
    expect((await db.prisma.offboardingCase.findUniqueOrThrow({ where: { id: caseId } })).departedAt).not.toBeNull();
    expect(await db.prisma.auditEvent.count({ where: { action: "offboarding.departed", entityId: org.people.leaver.id } })).toBe(1);
  });

  it("HR can run the departure by hand, not before the last day", async () => {
    const c3 = await seedOffboardingOrg(db.prisma, 1);
    const opened = expectOk(await run(db.prisma, c3.actors.hr, openCaseSchema, { employeeId: c3.people.leaver.id, lastWorkingDay: "2026-12-31" }, (ctx) => openCase(ctx, { now: T0 })));
    // Its account item ends REASSIGNED to the successor (through the accounts module).
    const bulk = expectOk(await run(db.prisma, c3.actors.hr, bulkAssignSchema, { caseId: opened.id, kind: "ACCOUNT", successorId: c3.people.s1.id }, (ctx) => bulkAssign(ctx, { now: T0 })));
    expect(bulk.assigned).toBe(1);
    const acc = await db.prisma.handoverItem.findFirstOrThrow({ where: { caseId: opened.id, kind: "ACCOUNT" } });
    expectOk(await run(db.prisma, c3.actors.hr, itemRefSchema, { itemId: acc.id, version: acc.version }, (ctx) => reassignAccountItem(ctx)));
    expect(await db.prisma.account.findUniqueOrThrow({ where: { id: c3.account.id } })).toMatchObject({ holderId: c3.people.s1.id, status: "REASSIGNED" });
    expect(await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: acc.id } })).toMatchObject({ status: "DONE", outcome: "REASSIGNED" });
    const early = await run(db.prisma, c3.actors.hr, departSchema, { caseId: opened.id }, (ctx) => departNow(ctx, { now: T0 }));
    expect(early).toMatchObject({ ok: false, messageKey: "offboarding.errors.notYetLastDay" });
    // The evening before the last working day (23:30 China time) is still too early...
    const eve = await run(db.prisma, c3.actors.hr, departSchema, { caseId: opened.id }, (ctx) => departNow(ctx, { now: new Date("2026-12-30T15:30:00Z") }));
    expect(eve).toMatchObject({ ok: false, messageKey: "offboarding.errors.notYetLastDay" });
    // ...and 09:00 China time on the last working day is allowed by hand (the sweep waits for 18:00).
    expectOk(await run(db.prisma, c3.actors.hr, departSchema, { caseId: opened.id }, (ctx) => departNow(ctx, { now: new Date("2026-12-31T01:00:00Z") })));
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: c3.people.leaver.id } })).status).toBe("DEPARTED");
  });

  it("attention: HR sees open cases and contacts at risk; a successor their items", async () => {
    const hr = await offboardingAttentionFrom(org.actors.hr, db.prisma, T0);
    expect(hr.map((i) => i.key)).toEqual(expect.arrayContaining(["offboarding.openCases", "offboarding.contactsAtRisk"]));
    const s = await offboardingAttentionFrom(org.actors.s1, db.prisma, T0);
    expect(s.every((i) => i.key === "offboarding.mine")).toBe(true);
  });

  it("attention: the one statement counts what the registry's own conditions count, past the last working day too", async () => {
    const unfinished = { in: ["PENDING", "TRANSFERRING", "REFUSED", "FAILED"] as ("PENDING" | "TRANSFERRING" | "REFUSED" | "FAILED")[] };
    // A closed case whose contacts were left unfinished (closed in the database, as a case closed
    // before its items were done would be): not at risk, not the successor's.
    const closing = await db.prisma.handoverItem.findFirstOrThrow({ where: { kind: "CONTACT", status: unfinished, case: { status: "OPEN" } } });
    const openCases = await db.prisma.offboardingCase.count({ where: { status: "OPEN" } });
    await db.prisma.offboardingCase.update({ where: { id: closing.caseId }, data: { status: "CLOSED" } });
    await db.prisma.handoverItem.update({ where: { id: closing.id }, data: { successorId: org.actors.s1.id } });
    expect(await db.prisma.handoverItem.count({ where: { kind: "CONTACT", status: unfinished, successorId: org.actors.s1.id, case: { status: "CLOSED" } } })).toBeGreaterThan(0);
    expect(openCases).toBeGreaterThan(1);
    for (const now of [T0, new Date("2027-03-01T00:00:00Z")]) {
      const expected = {
        open: await db.prisma.offboardingCase.count({ where: { status: "OPEN" } }),
        pastDue: await db.prisma.offboardingCase.count({ where: { status: "OPEN", lastWorkingDay: { lt: shanghaiToday(now) } } }),
        atRisk: await db.prisma.handoverItem.count({ where: { kind: "CONTACT", status: unfinished, case: { status: "OPEN" } } }),
        mine: await db.prisma.handoverItem.count({ where: { successorId: org.actors.s1.id, status: unfinished, case: { status: "OPEN" } } }),
      };
      const counts = (items: Awaited<ReturnType<typeof offboardingAttentionFrom>>) => Object.fromEntries(items.map((i) => [i.key, i.params?.count]));
      const hr = counts(await offboardingAttentionFrom(org.actors.hr, db.prisma, now));
      expect(hr["offboarding.openCases"] ?? 0).toBe(expected.open);
      expect(hr["offboarding.pastDue"] ?? 0).toBe(expected.pastDue);
      expect(hr["offboarding.contactsAtRisk"] ?? 0).toBe(expected.atRisk);
      expect(counts(await offboardingAttentionFrom(org.actors.s1, db.prisma, now))["offboarding.mine"] ?? 0).toBe(expected.mine);
    }
    expect(await db.prisma.offboardingCase.count({ where: { status: "OPEN", lastWorkingDay: { lt: new Date("2027-03-01T00:00:00Z") } } })).toBeGreaterThan(0);
    await db.prisma.handoverItem.update({ where: { id: closing.id }, data: { successorId: closing.successorId } });
    await db.prisma.offboardingCase.update({ where: { id: closing.caseId }, data: { status: "OPEN" } });
  });
});
