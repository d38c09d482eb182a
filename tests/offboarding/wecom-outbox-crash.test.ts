import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sendOutbox } from "@/lib/offboarding/outbox";
import type { WeComSim } from "@/scripts/wecom-sim/server";
import type { TestDb } from "../helpers/test-db";
import { withWeComHandoverEnv } from "../helpers/wecom-handover-env";
import { expectOk } from "../helpers/run-command";
import { customersClient, injectFaults } from "../wecom/helpers";
import { sends, simJson, wecomCase, wecomGroupCase } from "./wecom-helpers";

// The outbox never sends a transfer twice (issue 15). A sending worker PROCESS is killed with
// SIGKILL while WeCom is acting on its second batch of 100 (the call reached WeCom, the answer was
// never recorded): after its lease lapses, the next run asks transfer_result, records those 100 as
// sent without calling transfer_customer for them again, and sends the rest. Also: a batch claimed
// but never sent is sent once; a timed-out call (outcome unknown) is reconciled, not resent. The same
// kill for group transfers: the lost batch is reconciled from groupchat/get (the chats' owner), not resent.

const ROOT = path.resolve(import.meta.dirname, "../..");
// Long enough that the checks made "while the lease holds" run inside it on a loaded machine.
const LEASE_MS = 8000;
let sim: WeComSim;
let db: TestDb;

function worker(url: string): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(ROOT, "scripts/wecom-transfers.ts")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, WECOM_OUTBOX_LEASE_MS: String(LEASE_MS) },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function until(what: string, check: () => Promise<boolean>, child?: ChildProcess): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    if (child && child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}) before ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const states = async (leaver: string, kind: "CUSTOMER_TRANSFER" | "GROUP_TRANSFER" = "CUSTOMER_TRANSFER") => {
  const rows = await db.prisma.weComOutbox.groupBy({ by: ["state"], where: { handoverUserid: leaver, kind }, _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.state, r._count._all]));
};

// 250 customer groups in the simulated company: groupchat/get knows their owners (group reconciliation).
withWeComHandoverEnv((env) => ({ sim, db } = env), { size: { departments: 4, members: 12, contacts: 40, groups: 250 } });

describe("a sending worker killed between WeCom's answer and its record", () => {
  it("is reconciled from transfer_result after its lease: no customer is transferred twice", async () => {
    const k = await wecomCase(db.prisma, 250, { tag: "crash" });
    expect(expectOk(await k.start()).started).toBe(250);
    const leaver = k.userid("leaver");
    // The first batch is answered at once; WeCom acts on the second at once but answers it 3 s later.
    await injectFaults(sim, { path: "/externalcontact/transfer_customer", kind: "slowReply", ms: 3000, after: 1, times: 5 });
    const child = worker(db.appUrl);
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    await until("one batch sent and the next in WeCom's hands", async () => {
      const s = await states(leaver);
      return s.SENT === 100 && s.SENDING === 100 && Object.keys(await sends(sim)).length === 200;
    }, child).catch((e: Error) => {
      throw new Error(`${e.message}\n${output}`);
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    // WeCom acted on the call the dead worker made.
    expect(Object.keys(await sends(sim))).toHaveLength(200);
    expect(await states(leaver)).toEqual({ SENT: 100, SENDING: 100, PENDING: 50 });

    // While the lease holds, nobody touches the in-flight rows.
    const early = await sendOutbox(db.prisma, customersClient(db.prisma, sim), { leaseMs: LEASE_MS });
    expect(early).toMatchObject({ reconciled: 0, requeued: 0, sent: 50 });
    expect(await states(leaver)).toEqual({ SENT: 150, SENDING: 100 });

    await new Promise((r) => setTimeout(r, LEASE_MS + 100));
    const after = await sendOutbox(db.prisma, customersClient(db.prisma, sim), { leaseMs: LEASE_MS });
    expect(after).toMatchObject({ reconciled: 100, requeued: 0, batches: 0 });
    expect(await states(leaver)).toEqual({ SENT: 250 });
    const counts = Object.values(await sends(sim));
    expect(counts).toHaveLength(250);
    expect(counts.every((n) => n === 1)).toBe(true);
    const items = await db.prisma.handoverItem.findMany({ where: { caseId: k.caseId, kind: "CONTACT" } });
    expect(items.every((i) => i.status === "TRANSFERRING" && i.wecomTransferStatus === 2)).toBe(true);
  }, 300_000);

  it("a batch claimed but never sent (killed before the call left) is sent once after its lease", async () => {
    const k = await wecomCase(db.prisma, 30, { tag: "claimed" });
    expectOk(await k.start());
    const leaver = k.userid("leaver");
    // What a worker killed right after claiming leaves: SENDING, lease lapsed, nothing in WeCom.
    await db.prisma.weComOutbox.updateMany({ where: { handoverUserid: leaver }, data: { state: "SENDING", batchId: "dead", api: "/externalcontact/transfer_customer", leaseUntil: new Date(Date.now() - 1000) } });
    const res = await sendOutbox(db.prisma, customersClient(db.prisma, sim));
    expect(res).toMatchObject({ reconciled: 0, requeued: 30, sent: 30 });
    expect(Object.values(await sends(sim))).toEqual(Array(30).fill(1));
    expect(await states(leaver)).toEqual({ SENT: 30 });
  }, 120_000);

  it("a call that timed out is UNKNOWN, then reconciled from transfer_result without a second call", async () => {
    const k = await wecomCase(db.prisma, 20, { tag: "timeout" });
    expectOk(await k.start());
    const leaver = k.userid("leaver");
    // (Twice: the token cached before the simulator's reset may take the first request, answered 40014.)
    await injectFaults(sim, { path: "/externalcontact/transfer_customer", kind: "slowReply", ms: 1500, times: 2 });
    const first = await sendOutbox(db.prisma, customersClient(db.prisma, sim, { timeoutMs: 300 }));
    await simJson(sim, "faults", { clear: true });
    expect(first).toMatchObject({ unknown: 20, sent: 0 });
    expect(await states(leaver)).toEqual({ UNKNOWN: 20 });
    expect(Object.keys(await sends(sim))).toHaveLength(20);
    // transfer_result unavailable (HTTP 502 on every attempt): nothing is resent, the rows wait.
    await injectFaults(sim, { path: "/externalcontact/transfer_result", kind: "http", status: 502, times: 5 });
    expect(await sendOutbox(db.prisma, customersClient(db.prisma, sim))).toMatchObject({ reconciled: 0, requeued: 0, batches: 0 });
    expect(await states(leaver)).toEqual({ UNKNOWN: 20 });
    const second = await sendOutbox(db.prisma, customersClient(db.prisma, sim));
    expect(second).toMatchObject({ reconciled: 20, requeued: 0, batches: 0 });
    expect(Object.values(await sends(sim))).toEqual(Array(20).fill(1));
    expect(await states(leaver)).toEqual({ SENT: 20 });
  }, 120_000);

  it("group transfers: a worker killed while WeCom moves its second batch of 100 chats; after the lease they are reconciled from groupchat/get, not resent", async () => {
    const k = await wecomGroupCase(db.prisma, "gkill", 250, 1, (i) => sim.company.chatId(i));
    expect(expectOk(await k.start())).toMatchObject({ groupsViaWecom: 250 });
    const leaver = k.userid("leaver");
    const groupStats = async () => (await simJson(sim, "transfers/stats")) as { groupCalls: number; groupSends: Record<string, number> };
    await injectFaults(sim, { path: "/externalcontact/groupchat/onjob_transfer", kind: "slowReply", ms: 3000, after: 1, times: 5 });
    const child = worker(db.appUrl);
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    await until("one group batch moved and the next in WeCom's hands", async () => {
      const s = await states(leaver, "GROUP_TRANSFER");
      return s.SENT === 100 && s.SENDING === 100 && Object.keys((await groupStats()).groupSends).length === 200;
    }, child).catch((e: Error) => {
      throw new Error(`${e.message}\n${output}`);
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    // WeCom moved the 100 chats of the dead worker's call; the portal never learnt it.
    expect((await groupStats()).groupCalls).toBe(2);
    expect(await states(leaver, "GROUP_TRANSFER")).toEqual({ SENT: 100, SENDING: 100, PENDING: 50 });

    // While the lease holds, the in-flight 100 are left alone; the last 50 go.
    await simJson(sim, "faults", { clear: true });
    expect(await sendOutbox(db.prisma, customersClient(db.prisma, sim), { leaseMs: LEASE_MS })).toMatchObject({ reconciled: 0, requeued: 0, sent: 50 });
    await new Promise((r) => setTimeout(r, LEASE_MS + 100));
    expect(await sendOutbox(db.prisma, customersClient(db.prisma, sim), { leaseMs: LEASE_MS })).toMatchObject({ reconciled: 100, requeued: 0, batches: 0 });
    expect(await states(leaver, "GROUP_TRANSFER")).toEqual({ SENT: 250 });
    const stats = await groupStats();
    expect(stats.groupCalls).toBe(3);
    const counts = Object.values(stats.groupSends);
    expect(counts).toHaveLength(250);
    expect(counts.every((n) => n === 1)).toBe(true);
    // Every group item is done and the registry names the successor as owner.
    const items = await db.prisma.handoverItem.findMany({ where: { caseId: k.caseId, kind: "GROUP", wecomErrcode: 0 } });
    expect(items).toHaveLength(250);
    expect(items.every((i) => i.status === "DONE" && i.outcome === "OWNER_TRANSFERRED")).toBe(true);
    expect(await db.prisma.workGroup.count({ where: { ownerId: k.org.people.s1.id, externalId: { not: null } } })).toBe(250);
  }, 300_000);
});
