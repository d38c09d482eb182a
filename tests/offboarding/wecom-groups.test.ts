import { describe, expect, it } from "vitest";
import { GROUP_DAILY_CAP, sendOutbox } from "@/lib/offboarding/outbox";
import { groupTransferBacklog } from "@/lib/offboarding/queries";
import { isoDay, shanghaiToday } from "@/lib/offboarding/time";
import type { WeComSim } from "@/scripts/wecom-sim/server";
import type { TestDb } from "../helpers/test-db";
import { withWeComHandoverEnv } from "../helpers/wecom-handover-env";
import { expectOk } from "../helpers/run-command";
import { customersClient, injectFaults } from "../wecom/helpers";
import { simJson, wecomGroupCase } from "./wecom-helpers";

// Group transfers through WeCom (issue 15, item 3 of the issue): the leaver's customer groups with a
// chat id go through groupchat/onjob_transfer or groupchat/transfer, ≤100 a call, 300 of one
// person's groups a day spread over days (the case says the last day), failures kept per group.

let sim: WeComSim;
let db: TestDb;

withWeComHandoverEnv((env) => ({ sim, db } = env));

const groupCase = (tag: string, groups: number, leaverStatus = 1, chatId?: (i: number) => string) => wecomGroupCase(db.prisma, tag, groups, leaverStatus, chatId);

const groupItems = (caseId: string) => db.prisma.handoverItem.findMany({ where: { caseId, kind: "GROUP" }, orderBy: { label: "asc" } });

describe("a leaver's customer groups through WeCom", () => {
  it("350 groups: 300 today in 3 calls, the other 50 on the next day (said on the case); failures kept per group", async () => {
    const k = await groupCase("cap", 350);
    const started = expectOk(await k.start());
    // (The fixture's own group has no chat id: it passes locally, as without WeCom.)
    expect(started).toMatchObject({ groupsViaWecom: 350, groupsDone: 1 });
    expect(started.groupsLastDay).not.toBeNull();
    const rows = await db.prisma.weComOutbox.findMany({ where: { kind: "GROUP_TRANSFER", handoverUserid: k.userid("leaver") } });
    const byDay = new Map<number, number>();
    for (const r of rows) byDay.set(r.notBefore!.getTime(), (byDay.get(r.notBefore!.getTime()) ?? 0) + 1);
    expect([...byDay.values()].sort((a, b) => b - a)).toEqual([GROUP_DAILY_CAP, 50]);

    // The case page says when the rest will go.
    const backlog = await groupTransferBacklog(k.org.actors.hr, db.prisma, k.caseId);
    expect(backlog.waiting).toBe(50);
    expect(isoDay(shanghaiToday(backlog.lastDay!))).toBe(started.groupsLastDay);

    await simJson(sim, "transfers", { failChats: { wrcap0001: 90500 } });
    const today = await sendOutbox(db.prisma, customersClient(db.prisma, sim));
    expect(today).toMatchObject({ batches: 3, sent: 299, failed: 1 });
    const stats = (await simJson(sim, "transfers/stats")) as { groupCalls: number };
    expect(stats.groupCalls).toBe(3);
    expect(sim.stats().calls["/externalcontact/groupchat/onjob_transfer"]).toBeGreaterThanOrEqual(3);
    const items = await groupItems(k.caseId);
    const failed = items.filter((i) => i.status === "FAILED");
    expect(failed.map((i) => [i.label, i.wecomErrcode])).toEqual([["cap-群1", 90500]]);
    // 299 moved by WeCom + the fixture's group passed locally.
    expect(items.filter((i) => i.status === "DONE")).toHaveLength(300);
    expect(items.filter((i) => i.status === "TRANSFERRING")).toHaveLength(50);
    // The registry follows WeCom: the moved groups are the successor's.
    expect(await db.prisma.workGroup.count({ where: { ownerId: k.org.people.s1.id, externalId: { not: null } } })).toBe(299);

    // The next day (the simulator's counts reset), the rest go.
    await simJson(sim, "transfers/reset");
    const tomorrow = new Date(Math.max(...[...byDay.keys()]) + 3600_000);
    expect(await sendOutbox(db.prisma, customersClient(db.prisma, sim), { now: () => tomorrow })).toMatchObject({ batches: 1, sent: 50 });
    expect((await groupItems(k.caseId)).filter((i) => i.status === "DONE")).toHaveLength(350);
  }, 120_000);

  it("a leaver WeCom reports as left: groupchat/transfer", async () => {
    const k = await groupCase("left", 3, 5);
    expectOk(await k.start());
    expect(await sendOutbox(db.prisma, customersClient(db.prisma, sim))).toMatchObject({ batches: 1, sent: 3 });
    expect(sim.stats().calls["/externalcontact/groupchat/transfer"]).toBeGreaterThanOrEqual(1);
    expect(sim.stats().calls["/externalcontact/groupchat/onjob_transfer"]).toBeUndefined();
  }, 120_000);

  it("a group call whose answer was lost (timeout) is reconciled from groupchat/get: chats the successor owns are not sent again", async () => {
    // Chats of the simulated company, so groupchat/get knows them.
    const k = await groupCase("lost", 3, 1, (i) => sim.company.chatId(i));
    expectOk(await k.start());
    // (Twice: the token cached before the simulator's reset may take the first request, answered 40014.)
    await injectFaults(sim, { path: "/externalcontact/groupchat/onjob_transfer", kind: "slowReply", ms: 1500, times: 2 });
    expect(await sendOutbox(db.prisma, customersClient(db.prisma, sim, { timeoutMs: 300 }))).toMatchObject({ unknown: 3 });
    await simJson(sim, "faults", { clear: true });
    const again = await sendOutbox(db.prisma, customersClient(db.prisma, sim));
    expect(again).toMatchObject({ reconciled: 3, requeued: 0, batches: 0 });
    expect(((await simJson(sim, "transfers/stats")) as { groupCalls: number }).groupCalls).toBe(1);
    expect((await groupItems(k.caseId)).filter((i) => i.status === "DONE")).toHaveLength(4);
  }, 120_000);
});
