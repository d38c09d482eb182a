import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/server/errors";
import { LeaseLost, runSync, startSync } from "@/lib/wecom/sync/runner";
import type { SyncContext, SyncStep } from "@/lib/wecom/sync/types";
import { WeComError } from "@/lib/wecom/errors";
import { createTestDb, type TestDb } from "../helpers/test-db";

// The sync runner with steps written here (the real steps have their own tests): one run at a
// time, pages and checkpoints committed together, resume after a failure from the last committed
// page, a worker that lost its lease writes nothing more, one audit event per run.

let db: TestDb;
let owner: pg.Client;

beforeAll(async () => {
  db = await createTestDb();
  owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  await owner.query(`CREATE TABLE sync_test_rows (n integer PRIMARY KEY, writes integer NOT NULL DEFAULT 1)`);
  await owner.query(`GRANT SELECT, INSERT, UPDATE ON sync_test_rows TO CURRENT_USER`);
  const appUser = new URL(db.appUrl).username;
  if (appUser && appUser !== new URL(db.url).username) await owner.query(`GRANT SELECT, INSERT, UPDATE ON sync_test_rows TO "${appUser}"`);
});
afterAll(async () => {
  await owner.end();
  await db.close();
});
beforeEach(async () => {
  await owner.query(`TRUNCATE sync_test_rows`);
  await owner.query(`UPDATE wecom_sync_runs SET status = 'FAILED' WHERE status = 'RUNNING'`);
});

const quiet = () => undefined;

/** A step writing `pages` pages of 10 rows, checkpointing the next page; `failAt` throws before committing that page. */
function pagedStep(name: SyncStep["name"], pages: number, opts: { failAt?: number; error?: () => Error; onPage?: (page: number) => Promise<void> } = {}): SyncStep & { seen: number[] } {
  const seen: number[] = [];
  return {
    name,
    seen,
    async run(ctx: SyncContext) {
      let page = (ctx.checkpoint as { page?: number } | null)?.page ?? 0;
      for (; page < pages; page++) {
        seen.push(page);
        await opts.onPage?.(page);
        if (page === opts.failAt) throw (opts.error ?? (() => new Error("worker crashed")))();
        const base = { directory: 0, contacts: 1000, groups: 2000, governance: 3000 }[name] + page * 10;
        await ctx.commit(
          (tx) => tx.$executeRaw`INSERT INTO sync_test_rows (n) SELECT g FROM generate_series(${base}::int, ${base + 9}::int) AS g ON CONFLICT (n) DO UPDATE SET writes = sync_test_rows.writes + 1`,
          { checkpoint: { page: page + 1 }, rows: 10, total: pages * 10, counts: { [`${name}.rows`]: 10 } },
        );
      }
    },
  };
}

async function rows(): Promise<{ count: number; rewritten: number }> {
  const r = await owner.query(`SELECT count(*)::int AS count, count(*) FILTER (WHERE writes > 1)::int AS rewritten FROM sync_test_rows`);
  return r.rows[0];
}

describe("one run at a time", () => {
  it("two starts at once give one run; the second is told a sync is running", async () => {
    const a = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    // The run is leased by a live worker: a second start is refused.
    const step = pagedStep("directory", 1, { onPage: async () => void (await expect(startSync(db.prisma, { trigger: "MANUAL", startedById: null })).rejects.toMatchObject({ messageKey: "wecom.sync.errors.alreadyRunning" })) });
    expect(await runSync(db.prisma, a.runId, { phases: [[step]], clients: { contacts: null, customers: null }, log: quiet })).toBe("SUCCEEDED");

    const results = await Promise.allSettled([startSync(db.prisma, { trigger: "MANUAL", startedById: null }), startSync(db.prisma, { trigger: "SCHEDULE", startedById: null })]);
    const ok = results.filter((r) => r.status === "fulfilled");
    // Either both found the same new run (the second before the first leased it) or one was refused.
    const ids = new Set(ok.map((r) => (r as PromiseFulfilledResult<{ runId: string }>).value.runId));
    expect(ids.size).toBe(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(DomainError);
    expect(await db.prisma.weComSyncRun.count({ where: { status: "RUNNING" } })).toBe(1);
  });

  it("two workers on one run: one runs it, the other is BUSY", async () => {
    const { runId } = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    let second: Promise<string> | null = null;
    const step = pagedStep("directory", 3, {
      onPage: async (page) => {
        if (page === 1) second = runSync(db.prisma, runId, { phases: [[pagedStep("directory", 3)]], clients: { contacts: null, customers: null }, log: quiet });
      },
    });
    expect(await runSync(db.prisma, runId, { phases: [[step]], clients: { contacts: null, customers: null }, log: quiet })).toBe("SUCCEEDED");
    expect(await second).toBe("BUSY");
    expect(await rows()).toEqual({ count: 30, rewritten: 0 });
  });
});

describe("checkpoints", () => {
  it("a failure mid-way is retried from the last committed page: nothing lost, nothing written twice", async () => {
    const { runId } = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    const first = pagedStep("directory", 5, { failAt: 3 });
    expect(await runSync(db.prisma, runId, { phases: [[first]], clients: { contacts: null, customers: null }, log: quiet })).toBe("RETRY");
    expect(await rows()).toEqual({ count: 30, rewritten: 0 });
    const run = await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: "RUNNING", leaseToken: null, errorCode: "wecom.sync.errors.internal" });

    const second = pagedStep("directory", 5);
    expect(await runSync(db.prisma, runId, { phases: [[second]], clients: { contacts: null, customers: null }, log: quiet })).toBe("SUCCEEDED");
    expect(second.seen).toEqual([3, 4]);
    expect(await rows()).toEqual({ count: 50, rewritten: 0 });
    const step = await db.prisma.weComSyncStep.findUniqueOrThrow({ where: { runId_step: { runId, step: "directory" } } });
    expect(step).toMatchObject({ status: "DONE", rows: 50, total: 50, commits: 5, checkpoint: { page: 5 }, counts: { "directory.rows": 50 } });
  });

  it("a step already done is not run again when the run resumes; steps of a phase run side by side", async () => {
    const { runId } = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    const dir = pagedStep("directory", 2);
    const contacts = pagedStep("contacts", 4, { failAt: 2 });
    const groups = pagedStep("groups", 2);
    expect(await runSync(db.prisma, runId, { phases: [[dir], [contacts, groups]], clients: { contacts: null, customers: null }, log: quiet })).toBe("RETRY");
    const dir2 = pagedStep("directory", 2);
    const contacts2 = pagedStep("contacts", 4);
    const groups2 = pagedStep("groups", 2);
    expect(await runSync(db.prisma, runId, { phases: [[dir2], [contacts2, groups2]], clients: { contacts: null, customers: null }, log: quiet })).toBe("SUCCEEDED");
    expect(dir2.seen).toEqual([]);
    expect(groups2.seen).toEqual([]);
    expect(contacts2.seen).toEqual([2, 3]);
    expect(await rows()).toEqual({ count: 80, rewritten: 0 });
  });

  it("a permanent WeCom error ends the run FAILED with the errcode for the admin; one audit event", async () => {
    const { runId } = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    const step = pagedStep("groups", 3, { failAt: 1, error: () => new WeComError("API", "/externalcontact/groupchat/list", { errcode: 48002 }) });
    expect(await runSync(db.prisma, runId, { phases: [[step]], clients: { contacts: null, customers: null }, log: quiet })).toBe("FAILED");
    const run = await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
    expect(run).toMatchObject({ status: "FAILED", errorCode: "wecom.sync.errors.api", errorParams: { errcode: 48002, path: "/externalcontact/groupchat/list" }, counts: { "groups.rows": 10 } });
    expect(run.steps.find((s) => s.step === "groups")?.status).toBe("FAILED");
    const events = await db.prisma.auditEvent.findMany({ where: { entityType: "WeComSyncRun", entityId: runId }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["wecom.sync.start", "wecom.sync.fail"]);
    // The next start is a new run.
    const next = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    expect(next).toMatchObject({ resumed: false });
    expect(next.runId).not.toBe(runId);
  });

  it("a successful run writes one audit event with the summed counts", async () => {
    const { runId } = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    expect(await runSync(db.prisma, runId, { phases: [[pagedStep("directory", 2)], [pagedStep("contacts", 3)]], clients: { contacts: null, customers: null }, log: quiet })).toBe("SUCCEEDED");
    const events = await db.prisma.auditEvent.findMany({ where: { entityType: "WeComSyncRun", entityId: runId }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["wecom.sync.start", "wecom.sync.run"]);
    expect(events[1].after).toMatchObject({ counts: { "directory.rows": 20, "contacts.rows": 30 }, steps: { directory: { rows: 20 }, contacts: { rows: 30 } } });
    expect(await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "SUCCEEDED", counts: { "directory.rows": 20, "contacts.rows": 30 }, leaseToken: null });
  });
});

describe("waitFor", () => {
  it("a step of the same phase commits only after the step it waits for is done; a failure reaches the waiter", async () => {
    const { runId } = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    const order: string[] = [];
    let groupsStarted!: () => void;
    const started = new Promise<void>((r) => (groupsStarted = r));
    // The directory's second page waits until the groups step is running: both run at once.
    const dir = pagedStep("directory", 3, {
      onPage: async (p) => {
        if (p === 1) await started;
        order.push(`directory ${p}`);
      },
    });
    const groups: SyncStep = {
      name: "groups",
      async run(ctx) {
        order.push("groups reads ahead");
        groupsStarted();
        await ctx.waitFor("directory");
        order.push("groups commits");
        await ctx.commit(async () => undefined, { checkpoint: { done: true } });
      },
    };
    expect(await runSync(db.prisma, runId, { phases: [[groups, dir]], clients: { contacts: null, customers: null }, log: quiet })).toBe("SUCCEEDED");
    expect(order.indexOf("groups commits")).toBeGreaterThan(order.indexOf("directory 2"));
    expect(order.indexOf("groups reads ahead")).toBeLessThan(order.indexOf("directory 1"));

    const second = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    let waiterSaw: unknown = null;
    const waiter: SyncStep = {
      name: "contacts",
      async run(ctx) {
        try {
          await ctx.waitFor("directory");
        } catch (e) {
          waiterSaw = e;
          throw e;
        }
      },
    };
    const failing = pagedStep("directory", 3, { failAt: 1, error: () => new WeComError("API", "/user/get", { errcode: 48002 }) });
    expect(await runSync(db.prisma, second.runId, { phases: [[waiter, failing]], clients: { contacts: null, customers: null }, log: quiet })).toBe("FAILED");
    expect(waiterSaw).toBeInstanceOf(WeComError);
  });
});

describe("leases", () => {
  it("a worker whose lease was taken over writes nothing more and stops", async () => {
    const { runId } = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    let takeover: Promise<string> | null = null;
    const stalled = pagedStep("directory", 4, {
      onPage: async (page) => {
        if (page !== 2) return;
        // This worker hangs past its lease; another worker takes the run and finishes it.
        await owner.query(`UPDATE wecom_sync_runs SET lease_until = now() - interval '1 second' WHERE id = $1`, [runId]);
        takeover = runSync(db.prisma, runId, { phases: [[pagedStep("directory", 4)]], clients: { contacts: null, customers: null }, log: quiet });
        expect(await takeover).toBe("SUCCEEDED");
      },
    });
    expect(await runSync(db.prisma, runId, { phases: [[stalled]], clients: { contacts: null, customers: null }, heartbeatMs: 60_000, log: quiet })).toBe("LEASE_LOST");
    expect(takeover).not.toBeNull();
    // Pages 0–1 by the first worker, 2–3 by the second: page 2 was not written twice.
    expect(await rows()).toEqual({ count: 40, rewritten: 0 });
    const run = await db.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
  });

  it("commit refuses once the lease is gone (LeaseLost)", async () => {
    const { runId } = await startSync(db.prisma, { trigger: "MANUAL", startedById: null });
    const step: SyncStep = {
      name: "directory",
      async run(ctx) {
        await owner.query(`UPDATE wecom_sync_runs SET lease_token = 'someone-else' WHERE id = $1`, [runId]);
        await expect(ctx.commit(async () => undefined, { checkpoint: { page: 1 } })).rejects.toBeInstanceOf(LeaseLost);
        throw new LeaseLost(runId);
      },
    };
    expect(await runSync(db.prisma, runId, { phases: [[step]], clients: { contacts: null, customers: null }, log: quiet })).toBe("LEASE_LOST");
    expect((await db.prisma.weComSyncStep.findUniqueOrThrow({ where: { runId_step: { runId, step: "directory" } } })).checkpoint).toBeNull();
  });
});
