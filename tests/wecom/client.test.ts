import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import pg from "pg";
import { decrypt, encrypt } from "@/lib/pii";
import { tokenCacheKey } from "@/lib/wecom/token-store";
import { createPrismaClient } from "@/lib/server/prisma-client";
import { pruneCalls } from "@/lib/wecom/call-log";
import { WeComError } from "@/lib/wecom/errors";
import { Pacer, type Clock } from "@/lib/wecom/pacer";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { contactsClient, customersClient, injectFaults, simAdmin, usePiiKey } from "./helpers";

// The real client (lib/wecom/client.ts) against the simulator on a loopback port and a real
// PostgreSQL: the shared token cache, retries, typed errors, timeouts, pacing, the call record.

let db: TestDb;
let sim: WeComSim;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  sim = await startWeComSim({ size: "small" });
});
afterAll(async () => {
  await sim?.stop();
  await db?.close();
});
beforeEach(async () => {
  await simAdmin(sim, "reset");
  await db.prisma.weComAccessToken.deleteMany();
  await db.prisma.weComApiCall.deleteMany();
});

async function failure(p: Promise<unknown>): Promise<WeComError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WeComError) return e;
    throw e;
  }
  throw new Error("expected a WeComError");
}

describe("the access token", () => {
  it("is cached in PostgreSQL and shared by two client instances (one gettoken), stored encrypted and keyed without the secret", async () => {
    await contactsClient(db.prisma, sim).departmentSimpleList();
    await contactsClient(db.prisma, sim).userGet("u000001");
    expect(sim.stats().gettoken).toBe(1);
    const rows = await db.prisma.weComAccessToken.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0].cacheKey).not.toContain(sim.config.contactSecret);
    expect(rows[0].tokenCipher.startsWith("v1.")).toBe(true);
    expect(decrypt(rows[0].tokenCipher).length).toBeGreaterThan(10);
  });

  it("is fetched once when several processes need it at the same time (advisory lock across connections)", async () => {
    // Four Prisma clients, each with its own pool, stand for four server or worker processes.
    const pools = Array.from({ length: 4 }, () => createPrismaClient(db.url, 2));
    onTestFinished(() => Promise.all(pools.map((p) => p.$disconnect())).then(() => undefined));
    await Promise.all(pools.map((p) => p.$queryRaw`SELECT 1`));
    const clients = pools.map((p) => contactsClient(p, sim));
    // A slow gettoken keeps the first refresh in flight while the others arrive.
    await injectFaults(sim, { path: "/gettoken", kind: "slow", ms: 1500, times: 4 });
    await Promise.all(clients.map((c) => c.departmentSimpleList()));
    expect(sim.stats().gettoken).toBe(1);
    expect(sim.stats().calls["/department/simplelist"]).toBe(4);
  });

  it("a process that finds another one refreshing waits for it and uses its token (no second gettoken)", async () => {
    // Another "process" (a raw connection) holds the refresh lock of this secret's cache key.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    onTestFinished(() => other.end());
    const key = tokenCacheKey(sim.config.corpId, sim.config.contactSecret);
    await other.query("BEGIN");
    await other.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 4242))", [key]);
    const call = contactsClient(db.prisma, sim).departmentSimpleList();
    // Wait until our client is blocked on that lock (PostgreSQL's own view of it, not a timer).
    for (let polls = 0; ; polls++) {
      const { rows } = await other.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
      if (rows[0].n > 0) break;
      if (polls > 500) throw new Error("the client never waited for the refresh lock");
      await new Promise((r) => setTimeout(r, 20));
    }
    // The other process got a token from WeCom and stores it, then commits.
    const fetched = (await (await fetch(`${sim.url}/cgi-bin/gettoken?corpid=${sim.config.corpId}&corpsecret=${sim.config.contactSecret}`)).json()) as { access_token: string };
    await other.query("INSERT INTO wecom_access_tokens (cache_key, token_cipher, expires_at, fetched_at) VALUES ($1, $2, now() + interval '2 hours', now())", [key, encrypt(fetched.access_token)]);
    await other.query("COMMIT");
    await call;
    expect(sim.stats().gettoken).toBe(1);
  });

  it("one per app secret: the customer-contact secret gets its own", async () => {
    await contactsClient(db.prisma, sim).departmentSimpleList();
    await customersClient(db.prisma, sim).followUserList();
    expect(sim.stats().gettoken).toBe(2);
    expect(await db.prisma.weComAccessToken.count()).toBe(2);
  });

  it("is refreshed early, before WeCom's expiry", async () => {
    await contactsClient(db.prisma, sim).departmentSimpleList();
    await db.prisma.weComAccessToken.updateMany({ data: { expiresAt: new Date(Date.now() + 60_000) } });
    await contactsClient(db.prisma, sim).departmentSimpleList();
    expect(sim.stats().gettoken).toBe(2);
  });

  it("is refreshed once on 42001 (expired) and the call succeeds; a second 42001 is reported, not looped on", async () => {
    const client = contactsClient(db.prisma, sim);
    await client.departmentSimpleList();
    await simAdmin(sim, "expire-tokens");
    const r = await client.departmentSimpleList();
    expect(r.department_id.length).toBe(sim.company.size.departments);
    expect(sim.stats().gettoken).toBe(2);
    // Another client instance uses the refreshed token from the cache, not the expired one.
    await contactsClient(db.prisma, sim).departmentSimpleList();
    expect(sim.stats().gettoken).toBe(2);

    await injectFaults(sim, { path: "/department/simplelist", kind: "errcode", errcode: 42001, times: 2 });
    const e = await failure(client.departmentSimpleList());
    expect(e.errcode).toBe(42001);
    expect(sim.stats().gettoken).toBe(3);
  });

  it("also on 40014 (invalid token)", async () => {
    const client = contactsClient(db.prisma, sim);
    await client.departmentSimpleList();
    await injectFaults(sim, { path: "/department/simplelist", kind: "errcode", errcode: 40014 });
    await client.departmentSimpleList();
    expect(sim.stats().gettoken).toBe(2);
  });

  it("a wrong secret or corp id is a typed error with the admin's explanation, not retried", async () => {
    const e = await failure(contactsClient(db.prisma, sim, { secret: "wrong" }).departmentSimpleList());
    expect(e).toMatchObject({ kind: "API", errcode: 40001, path: "/gettoken" });
    expect(e.zh).toContain("Secret");
    const c = await failure(contactsClient(db.prisma, sim, { corpId: "wwnotours" }).departmentSimpleList());
    expect(c.errcode).toBe(40013);
    expect(sim.stats().gettoken).toBe(2);
  });
});

describe("retries and errors", () => {
  it("45009 is retried with backoff and then succeeds; the record says how many retries", async () => {
    const client = contactsClient(db.prisma, sim);
    await injectFaults(sim, { path: "/user/get", kind: "errcode", errcode: 45009, times: 2 });
    const user = await client.userGet("u000002");
    expect(user.userid).toBe("u000002");
    const row = await db.prisma.weComApiCall.findFirstOrThrow({ where: { path: "/user/get" } });
    expect(row).toMatchObject({ errcode: 0, retries: 2, method: "GET" });
  });

  it("45033 and -1 too; retries are bounded: a lasting 45009 is reported after maxRetries", async () => {
    const client = contactsClient(db.prisma, sim, { maxRetries: 3 });
    await injectFaults(sim, { path: "/user/get", kind: "errcode", errcode: 45033 }, { path: "/department/list", kind: "errcode", errcode: -1 });
    await client.userGet("u000003");
    await client.departmentList();
    await injectFaults(sim, { path: "/user/get", kind: "errcode", errcode: 45009, times: 10 });
    const e = await failure(client.userGet("u000003"));
    expect(e.errcode).toBe(45009);
    expect(sim.stats().calls["/user/get"]).toBe(2 + 4);
    const last = await db.prisma.weComApiCall.findFirstOrThrow({ where: { path: "/user/get" }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ errcode: 45009, retries: 3 });
  });

  it("48002 (no API permission) is a typed error with a Chinese explanation, not retried", async () => {
    // The contact-sync secret may not call customer-contact APIs.
    const e = await failure(contactsClient(db.prisma, sim).followUserList());
    expect(e).toMatchObject({ kind: "API", errcode: 48002, path: "/externalcontact/get_follow_user_list" });
    expect(e.zh).toMatch(/没有此接口的权限/);
    expect(e.explain("en-US")).toMatch(/no permission/);
    expect(sim.stats().calls["/externalcontact/get_follow_user_list"]).toBe(1);
    await injectFaults(sim, { path: "/user/get", kind: "errcode", errcode: 60011 });
    expect((await failure(contactsClient(db.prisma, sim).userGet("u000001"))).zh).toMatch(/可见范围/);
  });

  it("an HTML page, broken JSON, a redirect and a lasting 502 are typed errors; a single 502 is retried", async () => {
    const client = contactsClient(db.prisma, sim, { maxRetries: 2 });
    await client.departmentSimpleList();
    await injectFaults(sim, { path: "/department/simplelist", kind: "html" });
    expect(await failure(client.departmentSimpleList())).toMatchObject({ kind: "MALFORMED", errcode: null });
    await injectFaults(sim, { path: "/department/simplelist", kind: "malformed" });
    expect((await failure(client.departmentSimpleList())).kind).toBe("MALFORMED");
    await injectFaults(sim, { path: "/department/simplelist", kind: "redirect" });
    expect(await failure(client.departmentSimpleList())).toMatchObject({ kind: "REDIRECT", httpStatus: 302 });
    await injectFaults(sim, { path: "/department/simplelist", kind: "http", status: 502, times: 5 });
    expect(await failure(client.departmentSimpleList())).toMatchObject({ kind: "HTTP", httpStatus: 502 });
    await simAdmin(sim, "faults", { clear: true });
    await injectFaults(sim, { path: "/department/simplelist", kind: "http", status: 503 });
    await client.departmentSimpleList();
    const failures = await db.prisma.weComApiCall.findMany({ where: { failure: { not: null } }, orderBy: { id: "asc" } });
    expect(failures.map((f) => f.failure)).toEqual(["MALFORMED", "MALFORMED", "REDIRECT", "HTTP"]);
  });

  it("a call that takes longer than the timeout is a TIMEOUT error", async () => {
    const client = contactsClient(db.prisma, sim, { timeoutMs: 300 });
    await client.departmentSimpleList();
    await injectFaults(sim, { path: "/department/simplelist", kind: "slow", ms: 3_000 });
    expect(await failure(client.departmentSimpleList())).toMatchObject({ kind: "TIMEOUT" });
  });
});

describe("pacing, pagination and the call record", () => {
  it("spaces calls to each API to the calls-per-minute budget (waits counted on a virtual clock)", async () => {
    let now = Date.now();
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const pacer = new Pacer(60, clock);
    const client = contactsClient(db.prisma, sim, { pacer, clock });
    for (let i = 0; i < 5; i++) await client.userGet(`u00000${i}`);
    // gettoken (its own API) + 5 user/get at one a second: the 4 later user/get calls wait 1 s each.
    expect(pacer.calls).toBe(6);
    expect(client.calls).toBe(6);
    expect(pacer.waits).toBe(4);
    expect(Math.round(pacer.waitedMs)).toBe(4_000);
    // Another API does not wait for user/get's budget …
    await client.departmentSimpleList();
    expect(pacer.waits).toBe(4);
    // … but the same API called through the customer app's client (same company) shares it.
    const customers = customersClient(db.prisma, sim, { pacer, clock });
    await customers.followUserList();
    await customers.followUserList();
    expect(pacer.waits).toBe(5);
  });

  it("walks every cursor: all members, a batch of members' contacts, all customer groups", async () => {
    const contacts = contactsClient(db.prisma, sim);
    const customers = customersClient(db.prisma, sim);
    let members = 0;
    for await (const page of contacts.allUserIds(7)) members += page.length;
    expect(members).toBe(sim.company.size.members);
    const follow = (await customers.followUserList()).follow_user.slice(0, 100);
    let got = 0;
    const seen = new Set<string>();
    for await (const page of customers.contactsOf(follow)) {
      expect(page.length).toBeLessThanOrEqual(100);
      for (const c of page) seen.add(`${c.follow_info.userid}/${c.external_contact.external_userid}`);
      got += page.length;
    }
    const expected = follow.reduce((n, u) => n + sim.company.contactCount(sim.company.memberIndex(u)!), 0);
    expect(got).toBe(expected);
    expect(seen.size).toBe(expected);
    let groups = 0;
    for await (const page of customers.allGroupChats()) groups += page.length;
    expect(groups).toBe(sim.company.size.groups);
    const detail = await customers.groupChatGet(sim.company.chatId(3));
    expect(detail.group_chat.member_list[0].userid).toBe(detail.group_chat.owner);
  });

  it("records each call without a token or secret, and stays bounded", async () => {
    const client = contactsClient(db.prisma, sim, { callLogKeep: 5 });
    for (let i = 0; i < 8; i++) await client.userGet(`u00000${i}`);
    const rows = await db.prisma.weComApiCall.findMany();
    expect(rows.length).toBe(5);
    const text = JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(text).not.toContain("access_token");
    expect(text).not.toContain(sim.config.contactSecret);
    expect(text).not.toContain("?");
    expect(await pruneCalls(db.prisma, 2)).toBe(3);
  });
});
