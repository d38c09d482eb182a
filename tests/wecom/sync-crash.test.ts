import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSyncSweep } from "@/lib/wecom/sync/jobs";
import { runSync, startSync } from "@/lib/wecom/sync/runner";
import { PHASES } from "@/lib/wecom/sync/steps";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { saveSimConnection, usePiiKey } from "./helpers";

// A full sync (all four steps, real client, real runner) whose worker PROCESS is killed with
// SIGKILL in the middle, then taken over by another worker once its lease lapses: the end state
// equals that of a sync nobody interrupted (compared table by table on a second database), and
// nothing was written twice. Two workers started on the same run at once: one runs it.

const SIZE = { departments: 7, members: 120, contacts: 3000, groups: 300 };
const LEASE_MS = 3000;
const ROOT = path.resolve(import.meta.dirname, "../..");

let sim: WeComSim;
let crashed: TestDb;
let clean: TestDb;

/** What the sync leaves behind, in a form two databases can be compared by (no cuids, no times). */
async function fingerprint(url: string): Promise<Record<string, unknown>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows;
    return {
      departments: await q(`SELECT count(*)::int AS n, md5(string_agg(d.code || ':' || d.name || ':' || coalesce(p.code, '-') || ':' || d.depth, ',' ORDER BY d.code)) AS h FROM departments d LEFT JOIN departments p ON p.id = d.parent_id`),
      employees: await q(`SELECT count(*)::int AS n, md5(string_agg(coalesce(e.wecom_userid, e.email) || ':' || e.name || ':' || e.status || ':' || d.code, ',' ORDER BY coalesce(e.wecom_userid, e.email))) AS h FROM employees e JOIN departments d ON d.id = e.department_id`),
      offboarding: await q(`SELECT count(*)::int AS n, md5(string_agg(e.wecom_userid || ':' || o.status, ',' ORDER BY e.wecom_userid)) AS h FROM offboarding_cases o JOIN employees e ON e.id = o.employee_id`),
      accounts: await q(`SELECT count(*)::int AS n, md5(string_agg(platform_id_hash || ':' || status, ',' ORDER BY platform_id_hash)) AS h FROM accounts`),
      contacts: await q(`SELECT count(*)::int AS n, count(DISTINCT (account_id, external_id_hash))::int AS distinct_n, md5(string_agg(a.platform_id_hash || ':' || c.external_id_hash || ':' || c.name || ':' || c.status, ',' ORDER BY a.platform_id_hash, c.external_id_hash)) AS h FROM customer_contacts c JOIN accounts a ON a.id = c.account_id`),
      groups: await q(`SELECT count(*)::int AS n, count(DISTINCT external_id)::int AS distinct_n, md5(string_agg(external_id || ':' || name || ':' || status, ',' ORDER BY external_id)) AS h FROM work_groups`),
      notifications: await q(`SELECT kind, count(*)::int AS n FROM notifications GROUP BY kind ORDER BY kind`),
    };
  } finally {
    await c.end();
  }
}

function worker(url: string, runId: string): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(ROOT, "scripts/wecom-sync.ts"), runId], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, WECOM_SYNC_LEASE_MS: String(LEASE_MS), WECOM_SYNC_POOL: "3" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function until(what: string, check: () => Promise<boolean>, child?: ChildProcess): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    if (child && child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}) before ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  usePiiKey();
  sim = await startWeComSim({ size: SIZE });
  [crashed, clean] = await Promise.all([createTestDb(), createTestDb()]);
  await saveSimConnection(crashed.prisma, sim, { callsPerMinute: 20_000 });
  await saveSimConnection(clean.prisma, sim, { callsPerMinute: 20_000 });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
  await crashed?.close();
  await clean?.close();
});

describe("a sync worker killed mid-way", () => {
  it("is taken over after its lease lapses and ends in the same state as an uninterrupted sync", async () => {
    const uninterrupted = await startSync(clean.prisma, { trigger: "MANUAL", startedById: null });
    expect(await runSync(clean.prisma, uninterrupted.runId, { phases: PHASES, log: () => undefined })).toBe("SUCCEEDED");

    const { runId } = await startSync(crashed.prisma, { trigger: "MANUAL", startedById: null });
    const child = worker(crashed.appUrl, runId);
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    // Kill it once the directory is done and the customer steps have committed part of their work.
    await until(
      "the customer steps to be part-way",
      async () => {
        const steps = await crashed.prisma.weComSyncStep.findMany({ where: { runId } });
        const by = (s: string) => steps.find((x) => x.step === s);
        return by("directory")?.status === "DONE" && (by("contacts")?.commits ?? 0) >= 1 && by("contacts")?.status !== "DONE";
      },
      child,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${output}`);
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const killedAt = await crashed.prisma.weComSyncStep.findMany({ where: { runId } });
    expect(killedAt.some((s) => s.status !== "DONE")).toBe(true);

    // Nobody holds the run while the dead worker's lease is still current.
    expect(await runSync(crashed.prisma, runId, { phases: PHASES, log: () => undefined })).toBe("BUSY");
    // Once it lapses, the sweep (any process's job runner) takes the run over and resumes it.
    await until("the lease to lapse", async () => (await crashed.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId } })).leaseUntil! < new Date());
    expect(await runSyncSweep(crashed.prisma, () => undefined)).toBe("SUCCEEDED");

    const run = await crashed.prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
    expect(run.status).toBe("SUCCEEDED");
    expect(run.attempts).toBe(2);
    // The resumed steps did not start over: their first commits were kept.
    for (const before of killedAt.filter((s) => s.commits > 0)) expect(run.steps.find((s) => s.step === before.step)!.commits).toBeGreaterThanOrEqual(before.commits);

    const a = await fingerprint(crashed.url);
    const b = await fingerprint(clean.url);
    expect(a).toEqual(b);
    const contacts = (a.contacts as { n: number; distinct_n: number }[])[0];
    expect(contacts.n).toBe(contacts.distinct_n);
    expect(contacts.n).toBeGreaterThan(0);
    const groups = (a.groups as { n: number; distinct_n: number }[])[0];
    expect(groups).toEqual({ n: SIZE.groups, distinct_n: SIZE.groups, h: expect.any(String) });
    expect(await crashed.prisma.auditEvent.count({ where: { entityType: "WeComSyncRun", entityId: runId, action: "wecom.sync.run" } })).toBe(1);
  }, 600_000);
});
