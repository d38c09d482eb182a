import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInClosed } from "@/lib/auth/access-rule";
import { takeSignInSlot } from "@/lib/auth/rate-limit";
import { oidcCallbackQuery, queryOf, wecomCallbackQuery, wecomStartQuery } from "@/lib/auth/sso-query";
import { createPrismaClient, type DbClient } from "@/lib/server/prisma-client";
import { createTestDb, type TestDb } from "../helpers/test-db";

// The public sign-in routes (app/api/auth/{wecom,oidc}/{start,callback}; lib/auth/public-route.ts):
// their per-address rate limit is kept in the database, so two portal processes (two clients with
// their own connection pools here) share one count; their query is parsed with zod, a bad value
// becoming null for the flow to refuse; and one rule for leavers, whatever the method.

let db: TestDb;
let other: DbClient;

beforeAll(async () => {
  db = await createTestDb();
  other = createPrismaClient(db.appUrl, 2);
});
afterAll(async () => {
  await other?.$disconnect();
  await db?.close();
});

describe("per-address rate limit", () => {
  it("counts requests from one address across processes; the first over the limit is flagged; another address and the next minute are free", async () => {
    const t0 = new Date("2026-12-07T01:00:10Z");
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await takeSignInSlot(i % 2 ? other : db.prisma, "203.0.113.9", new Date(t0.getTime() + i * 1000), 5));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, false, false]);
    expect(results[5]).toEqual({ ok: false, count: 6, retryAt: new Date("2026-12-07T01:01:00Z"), firstOver: true });
    expect(results[6]).toMatchObject({ ok: false, firstOver: false });
    expect(await takeSignInSlot(other, "198.51.100.7", t0, 5)).toEqual({ ok: true, count: 1 });
    expect(await takeSignInSlot(db.prisma, "203.0.113.9", new Date("2026-12-07T01:01:00Z"), 5)).toEqual({ ok: true, count: 1 });
  });

  it("two processes racing for the last slots never let more than the limit through", async () => {
    const t = new Date("2026-12-07T02:00:00Z");
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => takeSignInSlot(i % 2 ? other : db.prisma, "192.0.2.1", t, 8)));
    expect(all.filter((r) => r.ok)).toHaveLength(8);
    expect(all.filter((r) => !r.ok && r.firstOver)).toHaveLength(1);
  });

  it("drops windows older than an hour when a new window starts", async () => {
    await takeSignInSlot(db.prisma, "192.0.2.50", new Date("2026-12-07T03:00:00Z"), 5);
    await takeSignInSlot(db.prisma, "192.0.2.51", new Date("2026-12-07T05:00:00Z"), 5);
    const left = await db.prisma.signInRateLimit.findMany({ where: { windowStart: { lt: new Date("2026-12-07T04:00:00Z") } } });
    expect(left).toEqual([]);
  });
});

describe("the routes' query, with zod", () => {
  const q = (s: string) => queryOf(new Request(`https://portal.example.test/api/auth/x?${s}`));
  it("takes one value per name; a repeated, empty, over-long or control-character value is null (the flow then refuses it)", () => {
    expect(wecomCallbackQuery.parse(q("code=abc&state=xyz"))).toEqual({ code: "abc", state: "xyz" });
    expect(wecomCallbackQuery.parse(q("code=abc&state=1&state=2"))).toEqual({ code: "abc", state: null });
    expect(wecomCallbackQuery.parse(q("code=&state=%01x"))).toEqual({ code: null, state: null });
    expect(wecomCallbackQuery.parse(q(""))).toEqual({ code: null, state: null });
    expect(oidcCallbackQuery.parse(q(`code=${"a".repeat(2049)}&state=s&error=access_denied`))).toEqual({ code: null, state: "s", error: "access_denied" });
  });
  it("starts in WeCom's client unless mode=qr, and lands only on a path inside the portal", () => {
    expect(wecomStartQuery.parse(q("mode=qr&returnTo=%2Fapprovals%3Fx%3D1"))).toEqual({ mode: "qr", returnTo: "/approvals?x=1" });
    expect(wecomStartQuery.parse(q("mode=evil&returnTo=https%3A%2F%2Fevil.example"))).toEqual({ mode: "oauth", returnTo: "/" });
    expect(wecomStartQuery.parse(q("returnTo=%2F%2Fevil.example&returnTo=%2Fa"))).toEqual({ mode: "oauth", returnTo: "/" });
  });
});

describe("leavers, whatever the method", () => {
  it("OFFBOARDING may sign in until 18:00 China time of the last working day; DEPARTED never", () => {
    const lastDay = new Date("2026-12-09T00:00:00Z"); // a DATE column: 2026-12-09
    const at = (local: string) => new Date(`${local}+08:00`);
    expect(signInClosed({ status: "OFFBOARDING", leaveDate: lastDay }, at("2026-12-09T17:59:59"))).toBe(false);
    expect(signInClosed({ status: "OFFBOARDING", leaveDate: lastDay }, at("2026-12-09T18:00:00"))).toBe(true);
    expect(signInClosed({ status: "OFFBOARDING", leaveDate: null }, at("2026-12-09T18:00:00"))).toBe(false);
    expect(signInClosed({ status: "ACTIVE", leaveDate: null }, at("2026-12-09T18:00:00"))).toBe(false);
    expect(signInClosed({ status: "DEPARTED", leaveDate: null }, at("2020-01-01T00:00:00"))).toBe(true);
  });
});
