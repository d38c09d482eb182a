import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { serviceAttentionFrom } from "@/lib/service/attention";
import { createCase, pauseCase, recordFirstResponse } from "@/lib/service/commands";
import { getCase, listCases } from "@/lib/service/queries";
import { caseListSchema, createCaseSchema, firstResponseSchema, pauseSchema } from "@/lib/service/schemas";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedServiceOrg, sh, type ServiceOrg } from "./helpers";

// The queue: sorted by urgency, scoped per person; the case page's state; the home page items.

let db: TestDb;
let org: ServiceOrg;
beforeAll(async () => {
  db = await createTestDb();
  org = await seedServiceOrg(db.prisma);
});
afterAll(async () => db?.close());

const create = async (actor: Actor, fields: Record<string, unknown>, now: Date) =>
  expectOk(await run(db.prisma, actor, createCaseSchema, { customerName: "客户", channel: "WECHAT_OA", ...fields }, (ctx) => createCase({ ...ctx, now })));
const list = (actor: Actor, raw: Record<string, string>, now: Date) => listCases(actor, db.prisma, caseListSchema.parse(raw), now);

describe("the queue", () => {
  it("is sorted by urgency (open work first, earliest due first), each row with its SLA state", async () => {
    const now = sh("2026-05-12T10:00:00");
    const low = await create(org.actors.a1, { title: "低优先级建议", caseType: "SUGGESTION", priority: "LOW", assigneeId: org.people.a1.id, receivedAt: "2026-05-12T09:00" }, now);
    const urgent = await create(org.actors.a1, { title: "紧急投诉", caseType: "COMPLAINT", priority: "URGENT", assigneeId: org.people.a1.id, receivedAt: "2026-05-12T09:55" }, now);
    const inquiry = await create(org.actors.a1, { title: "普通咨询", caseType: "INQUIRY", priority: "NORMAL", assigneeId: org.people.a1.id, receivedAt: "2026-05-12T09:40" }, now);
    // Waiting on the customer: after the open ones whatever its due time.
    const r = expectOk(await run(db.prisma, org.actors.a1, firstResponseSchema, { id: low.id, version: low.version }, (ctx) => recordFirstResponse({ ...ctx, now })));
    expectOk(await run(db.prisma, org.actors.a1, pauseSchema, { id: low.id, version: r.version }, (ctx) => pauseCase({ ...ctx, now })));

    const at = sh("2026-05-12T10:04:00");
    const mine = await list(org.actors.a1, { view: "mine" }, at);
    expect(mine.rows.map((c) => c.title)).toEqual(["紧急投诉", "普通咨询", "低优先级建议"]);
    // 紧急投诉: 10 working minutes from 09:55, 9 elapsed → at risk; 普通咨询 due 10:10 → 24 of 30 → at risk.
    expect(mine.rows.map((c) => c.sla.state)).toEqual(["AT_RISK", "AT_RISK", "ON_TRACK"]);
    expect((await list(org.actors.a1, { view: "mine" }, sh("2026-05-12T10:06:00"))).rows[0].sla.state).toBe("BREACHED");
    expect((await list(org.actors.a1, { view: "breached" }, sh("2026-05-12T10:06:00"))).rows.map((c) => c.id)).toEqual([urgent.id]);

    // The manager of the centre sees the team's cases; someone of another department sees none.
    expect((await list(org.actors.manager, { view: "team" }, at)).total).toBe(3);
    expect((await list(org.actors.outsider, { view: "all" }, at)).total).toBe(0);
    expect(await getCase(org.actors.outsider, db.prisma, inquiry.id, at)).toBeNull();
    const detail = await getCase(org.actors.a2, db.prisma, inquiry.id, at);
    // Assigned to a1: a2 of the same team does not see it (only unassigned team cases).
    expect(detail).toBeNull();
    const mgr = await getCase(org.actors.manager, db.prisma, inquiry.id, at);
    expect(mgr?.abilities).toMatchObject({ assign: true, respond: true, take: false });
  });

  it("reads the count and the page at once: a page past the end is the last one, with its rows", async () => {
    const at = sh("2026-05-12T10:04:00");
    const first = await list(org.actors.manager, { view: "all", pageSize: "10" }, at);
    const past = await list(org.actors.manager, { view: "all", pageSize: "10", page: "99" }, at);
    expect(first.total).toBeGreaterThan(0);
    expect(past).toMatchObject({ page: 1, total: first.total });
    expect(past.rows.map((c) => c.id)).toEqual(first.rows.map((c) => c.id));
  });

  it("home page: the agent's breached cases; the manager's escalated complaints still open", async () => {
    const now = sh("2026-05-12T11:00:00");
    const agentItems = await serviceAttentionFrom(org.actors.a1, db.prisma, now);
    expect(agentItems).toEqual([expect.objectContaining({ key: "service.myBreached", params: { count: 2 } })]);
    // The urgent complaint was recorded before its breach: not escalated until a job or the sweep runs.
    expect(await serviceAttentionFrom(org.actors.manager, db.prisma, now)).toEqual([]);
    const { runServiceBreachSweep } = await import("@/lib/jobs/handlers");
    await runServiceBreachSweep(db.prisma, now);
    expect(await serviceAttentionFrom(org.actors.manager, db.prisma, now)).toEqual([expect.objectContaining({ key: "service.escalated", params: { count: 1 } })]);
    expect(await serviceAttentionFrom(org.actors.outsider, db.prisma, now)).toEqual([]);
  });
});
