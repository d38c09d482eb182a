import { describe, expect, it } from "vitest";
import { assignItem, recordRefusal, startItem } from "@/lib/offboarding/commands";
import { applyExternalContactEvent } from "@/lib/wecom/sync/contacts";
import { pollTransferResults, REFRESH_ACTION, REFRESH_INTERVAL_MS, refreshCaseResults, sendOutbox } from "@/lib/offboarding/outbox";
import { assignItemSchema, itemRefSchema } from "@/lib/offboarding/schemas";
import { runCompleteTransfers } from "@/lib/jobs/handlers";
import type { WeComSim } from "@/scripts/wecom-sim/server";
import type { TestDb } from "../helpers/test-db";
import { withWeComHandoverEnv } from "../helpers/wecom-handover-env";
import { expectOk, run } from "../helpers/run-command";
import { customersClient } from "../wecom/helpers";
import { sends, simJson, wecomCase } from "./wecom-helpers";

// Customer transfers through WeCom (issue 15) against the simulator and PostgreSQL: the outbox
// written with the decision, sent ≤100 a call, one call per contact however many people or
// workers start it, each customer's errcode on its item, and the items following WeCom's results.

let sim: WeComSim;
let db: TestDb;

withWeComHandoverEnv((env) => ({ sim, db } = env));

const items = (caseId: string) => db.prisma.handoverItem.findMany({ where: { caseId, kind: "CONTACT" }, orderBy: { id: "asc" } });

describe("starting a case's transfers with WeCom connected", () => {
  it("two HR people at once record one outbox row per contact; two workers at once send each contact once, ≤100 a call", async () => {
    const k = await wecomCase(db.prisma, 230, { tag: "conc" });
    const both = await Promise.all([k.start(k.org.actors.hr), k.start(k.org.actors.hr2)]);
    // One starts all 230; the other, having waited on the rows' locks, finds nothing left and says so.
    const ok = both.filter((o) => o.ok);
    expect(ok).toHaveLength(1);
    expect(expectOk(ok[0]).started).toBe(230);
    expect(both.find((o) => !o.ok)).toMatchObject({ ok: false, code: "CONFLICT", messageKey: "offboarding.errors.nothingToStart" });
    const rows = await db.prisma.weComOutbox.findMany({ where: { handoverUserid: k.userid("leaver") } });
    expect(rows).toHaveLength(230);
    expect(new Set(rows.map((r) => r.contactTransferId)).size).toBe(230);
    // The local timer does not touch them.
    expect((await runCompleteTransfers(db.prisma, new Date(Date.now() + 3 * 86_400_000))).completed).toBe(0);

    const client = () => customersClient(db.prisma, sim);
    const [w1, w2] = await Promise.all([sendOutbox(db.prisma, client()), sendOutbox(db.prisma, client())]);
    expect(w1.sent + w2.sent).toBe(230);
    const counts = Object.values(await sends(sim));
    expect(counts).toHaveLength(230);
    expect(counts.every((n) => n === 1)).toBe(true);
    expect(w1.batches + w2.batches).toBeGreaterThanOrEqual(3);
    expect(sim.stats().calls["/externalcontact/transfer_customer"]).toBe(w1.batches + w2.batches);
    expect(await db.prisma.weComOutbox.count({ where: { handoverUserid: k.userid("leaver"), state: "SENT" } })).toBe(230);
    const after = await items(k.caseId);
    expect(after.every((i) => i.status === "TRANSFERRING" && i.wecomErrcode === 0 && i.wecomTransferStatus === 2)).toBe(true);
    // Sending again sends nothing.
    expect((await sendOutbox(db.prisma, client())).batches).toBe(0);
  }, 120_000);

  it("stores each refused customer's errcode; a refused contact is FAILED and can go to another successor", async () => {
    const k = await wecomCase(db.prisma, 5, { tag: "refuse" });
    expectOk(await k.start());
    const first = (await db.prisma.weComOutbox.findMany({ where: { handoverUserid: k.userid("leaver") }, orderBy: { createdAt: "asc" } }))[0];
    const { decrypt } = await import("@/lib/pii");
    const unrelated = decrypt(first.targetCipher!);
    await simJson(sim, "transfers", { unrelated: [unrelated] });
    const res = await sendOutbox(db.prisma, customersClient(db.prisma, sim));
    expect(res).toMatchObject({ sent: 4, failed: 1 });
    const failed = await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: first.handoverItemId! } });
    expect(failed).toMatchObject({ status: "FAILED", wecomErrcode: 84061 });
    expect((await db.prisma.contactTransfer.findUniqueOrThrow({ where: { id: first.contactTransferId! } })).status).toBe("FAILED");

    // Re-assigned and started again: a new attempt, a new key, one more call for that contact.
    await simJson(sim, "transfers", { unrelated: [] });
    expectOk(await run(db.prisma, k.org.actors.hr, assignItemSchema, { itemId: failed.id, version: failed.version, successorId: k.org.people.s2.id }, (ctx) => assignItem(ctx)));
    const again = await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: failed.id } });
    expectOk(await run(db.prisma, k.org.actors.hr, itemRefSchema, { itemId: again.id, version: again.version }, (ctx) => startItem(ctx)));
    expect((await sendOutbox(db.prisma, customersClient(db.prisma, sim))).sent).toBe(1);
    expect((await sends(sim))[unrelated]).toBe(2);
    const retried = await db.prisma.weComOutbox.findMany({ where: { handoverItemId: failed.id }, orderBy: { createdAt: "asc" } });
    expect(retried.map((r) => [r.state, r.takeoverUserid])).toEqual([["FAILED", k.userid("s1")], ["SENT", k.userid("s2")]]);
  }, 120_000);

  it("a leaver WeCom reports as left goes through resigned/transfer_customer; items follow transfer_result (done, refused)", async () => {
    const k = await wecomCase(db.prisma, 40, { tag: "resigned", leaverStatus: 5 });
    expectOk(await k.start());
    expect(await sendOutbox(db.prisma, customersClient(db.prisma, sim))).toMatchObject({ batches: 1, sent: 40 });
    // (The simulator may count one more call: the token cached before its reset answers 40014 and
    // the client retries with a new one; WeCom acts on neither twice.)
    expect(Object.values(await sends(sim))).toEqual(Array(40).fill(1));
    expect(sim.stats().calls["/externalcontact/transfer_customer"]).toBeUndefined();
    // Still waiting in WeCom: polling changes nothing.
    expect((await pollTransferResults(db.prisma, customersClient(db.prisma, sim))).changed).toBe(0);
    await simJson(sim, "transfers", { refuseShare: 0.3 });
    await simJson(sim, "transfers/complete");
    const polled = await pollTransferResults(db.prisma, customersClient(db.prisma, sim));
    expect(polled.changed).toBe(40);
    const after = await items(k.caseId);
    const done = after.filter((i) => i.status === "DONE");
    const refused = after.filter((i) => i.status === "REFUSED");
    expect(done.length + refused.length).toBe(40);
    expect(refused.length).toBeGreaterThan(0);
    expect(done.length).toBeGreaterThan(0);
    expect(refused.every((i) => i.wecomTransferStatus === 3)).toBe(true);
    expect(sim.stats().calls["/externalcontact/resigned/transfer_result"]).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it("a transfer_fail callback settles the item at once; the successor's limit (40099) fails the rest with its errcode", async () => {
    const k = await wecomCase(db.prisma, 6, { tag: "cb" });
    expectOk(await k.start());
    await simJson(sim, "transfers", { takeoverLimit: 4 });
    expect(await sendOutbox(db.prisma, customersClient(db.prisma, sim))).toMatchObject({ sent: 4, failed: 2 });
    const all = await items(k.caseId);
    expect(all.filter((i) => i.status === "FAILED").map((i) => i.wecomErrcode)).toEqual([40099, 40099]);
    // HR cannot record by hand what WeCom decides.
    const waiting = all.find((i) => i.status === "TRANSFERRING")!;
    expect(await run(db.prisma, k.org.actors.hr, itemRefSchema, { itemId: waiting.id, version: waiting.version }, (ctx) => recordRefusal(ctx))).toMatchObject({ ok: false, messageKey: "offboarding.errors.followsWecom" });

    await simJson(sim, "transfers", { refuseShare: 1 });
    const { finished } = (await simJson(sim, "transfers/complete")) as { finished: { external_userid: string; takeover: string }[] };
    expect(finished).toHaveLength(4);
    const lines: string[] = [];
    const ctx = { prisma: db.prisma, contacts: null, customers: customersClient(db.prisma, sim), settings: { leaverAction: "OPEN_CASE" as const }, now: () => new Date(), log: (l: string) => void lines.push(l) };
    const fail = (f: { external_userid: string; takeover: string }) =>
      applyExternalContactEvent(ctx, { ToUserName: sim.config.corpId, MsgType: "event", Event: "change_external_contact", ChangeType: "transfer_fail", UserID: f.takeover, ExternalUserID: f.external_userid, FailReason: "customer_refused" });
    expect(await fail(finished[0])).toEqual({ applied: true });
    // The same event again (WeCom retries callbacks) changes nothing more.
    expect(await fail(finished[0])).toEqual({ applied: false });
    const after = await items(k.caseId);
    expect(after.filter((i) => i.status === "REFUSED")).toHaveLength(1);
    expect(after.filter((i) => i.status === "TRANSFERRING")).toHaveLength(3);
    // The poll settles the other three; the one the callback settled is not counted again.
    expect((await pollTransferResults(db.prisma, customersClient(db.prisma, sim))).changed).toBe(3);
    expect((await items(k.caseId)).filter((i) => i.status === "REFUSED")).toHaveLength(4);
  }, 120_000);

  it("the 90-day rule: WeCom's 40128 wins over a local count that allowed it; a waiting item shows WeCom's takeover time", async () => {
    const k = await wecomCase(db.prisma, 3, { tag: "ninety" });
    expectOk(await k.start());
    const rows = await db.prisma.weComOutbox.findMany({ where: { handoverUserid: k.userid("leaver") }, orderBy: { createdAt: "asc" } });
    const { decrypt } = await import("@/lib/pii");
    // WeCom knows of two earlier transfers of this customer the portal never recorded.
    await simJson(sim, "transfers", { history: { [decrypt(rows[0].targetCipher!)]: 2 } });
    expect(await sendOutbox(db.prisma, customersClient(db.prisma, sim))).toMatchObject({ sent: 2, failed: 1 });
    expect(await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: rows[0].handoverItemId! } })).toMatchObject({ status: "FAILED", wecomErrcode: 40128 });

    const transfers = (await simJson(sim, "transfers/stats")) as { transfers: number };
    expect(transfers.transfers).toBe(2);
    expect((await pollTransferResults(db.prisma, customersClient(db.prisma, sim))).changed).toBe(0);
    const waiting = await db.prisma.handoverItem.findUniqueOrThrow({ where: { id: rows[1].handoverItemId! } });
    // The simulator's takeover time for a waiting transfer: 24 h after WeCom accepted it (whole seconds).
    expect(waiting.transferDueAt!.getTime() % 1000).toBe(0);
    expect(Math.abs(waiting.transferDueAt!.getTime() - (Date.now() + 86_400_000))).toBeLessThan(60_000);
  }, 120_000);

  it("a successor without a WeCom account receives nothing in WeCom: the items stay PENDING and HR is told", async () => {
    const k = await wecomCase(db.prisma, 4, { tag: "nouser" });
    await db.prisma.employee.update({ where: { id: k.org.people.s1.id }, data: { wecomUserid: null } });
    expect(await k.start()).toMatchObject({ ok: false, code: "VALIDATION", messageKey: "offboarding.errors.successorNotInWecom", params: { count: 4 } });
    expect((await items(k.caseId)).every((i) => i.status === "PENDING")).toBe(true);
    expect(await db.prisma.weComOutbox.count({ where: { handoverUserid: k.userid("leaver") } })).toBe(0);
  }, 120_000);

  it("HR's 刷新结果 asks WeCom for that case only, now; audited; a second refresh within 30 s is refused", async () => {
    const k = await wecomCase(db.prisma, 3, { tag: "refresh" });
    const other = await wecomCase(db.prisma, 2, { tag: "refother" });
    expectOk(await k.start());
    expectOk(await other.start());
    expect(await sendOutbox(db.prisma, customersClient(db.prisma, sim))).toMatchObject({ sent: 5 });
    await simJson(sim, "transfers/complete");
    const hr = { id: k.org.actors.hr.id, label: k.org.actors.hr.email, ip: "203.0.113.7" };
    const now = new Date();
    const out = await refreshCaseResults(db.prisma, customersClient(db.prisma, sim), hr, k.caseId, now);
    expect(out).toMatchObject({ waiting: 3, pairs: 1, changed: 3 });
    expect((await items(k.caseId)).every((i) => i.status === "DONE")).toBe(true);
    // The other case waits for its own refresh (or the schedule): nothing of it was asked.
    expect((await items(other.caseId)).every((i) => i.status === "TRANSFERRING")).toBe(true);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: REFRESH_ACTION, entityId: k.caseId } });
    expect(audit).toMatchObject({ actorId: hr.id, actorLabel: hr.label, after: { waiting: 3 } });
    expect(await db.prisma.auditEvent.count({ where: { action: "offboarding.wecom.results", entityId: k.caseId } })).toBe(1);

    // Once per 30 s per case, by anyone: refused with the seconds to wait, and nothing asked of WeCom.
    const calls = sim.stats().calls["/externalcontact/transfer_result"] ?? 0;
    const soon = await refreshCaseResults(db.prisma, customersClient(db.prisma, sim), { ...hr, id: k.org.actors.hr2.id }, k.caseId, new Date(now.getTime() + 1000)).catch((e: unknown) => e);
    expect(soon).toMatchObject({ messageKey: "offboarding.errors.refreshTooSoon" });
    const seconds = Number((soon as { options: { params: { seconds: number } } }).options.params.seconds);
    expect(seconds).toBeGreaterThanOrEqual(28);
    expect(seconds).toBeLessThanOrEqual(30);
    expect(sim.stats().calls["/externalcontact/transfer_result"] ?? 0).toBe(calls);
    // After the interval: allowed; nothing waits on WeCom any more, so WeCom is not asked.
    const later = await refreshCaseResults(db.prisma, customersClient(db.prisma, sim), hr, k.caseId, new Date(now.getTime() + REFRESH_INTERVAL_MS + 1000));
    expect(later).toEqual({ pairs: 0, changed: 0, waiting: 0 });
    expect(sim.stats().calls["/externalcontact/transfer_result"] ?? 0).toBe(calls);
    expect(await db.prisma.auditEvent.count({ where: { action: REFRESH_ACTION, entityId: k.caseId } })).toBe(2);
  }, 120_000);
});
