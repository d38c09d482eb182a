import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "@/lib/jobs/config";
import { runRemindSuccessors } from "@/lib/jobs/handlers";
import { queueOverview } from "@/lib/jobs/queries";
import { createBoss, ensureQueues, startJobRunner } from "@/lib/jobs/runner";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { until } from "../helpers/until";

// pg-boss 12 against the test database (PGlite without DATABASE_URL, PostgreSQL with it): it
// installs its schema, runs a job, retries a failing one and reports it failed with its error.

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.close());

// Jobs run when pg-boss next polls, later on a busy machine: wait generously (it returns as soon as
// the check holds), within the tests' own generous limit.
const JOB_WAIT = { timeout: 180_000 };
describe("the job queue", () => {
  it("starts the runner (queues, schedules, workers) and stops it; a second runner side by side is fine", JOB_WAIT, async () => {
    const lines: string[] = [];
    const a = await startJobRunner({ url: db.appUrl, prisma: db.prisma, log: (l) => lines.push(l) });
    const b = await startJobRunner({ url: db.appUrl, prisma: db.prisma, log: (l) => lines.push(l) });
    const queues = await a.boss.getQueues();
    expect(queues.map((q) => q.name)).toEqual(expect.arrayContaining(Object.values(QUEUES)));
    // A sweep sent by hand runs through the worker and completes.
    const id = await a.boss.send(QUEUES.completeTransfers, {});
    expect(id).toBeTruthy();
    await until(async () => (await a.boss.findJobs(QUEUES.completeTransfers, { id: id! }))[0]?.state === "completed");
    await b.stop();
    await a.stop();
    expect(lines.some((l) => l.includes("pg-boss started"))).toBe(true);
  });

  it("retries a failing job, then shows it failed with its error and retry count", JOB_WAIT, async () => {
    const boss = createBoss(db.appUrl);
    boss.on("error", () => undefined);
    await boss.start();
    await ensureQueues(boss);
    await boss.createQueue("test.failing", { retryLimit: 1, retryDelay: 0 });
    await boss.work("test.failing", { pollingIntervalSeconds: 0.5 }, async () => {
      throw new Error("successor reached the platform limit");
    });
    const id = await boss.send("test.failing", {});
    await until(async () => (await boss.findJobs("test.failing", { id: id! }))[0]?.state === "failed");
    const overview = await queueOverview(db.prisma);
    expect(overview.installed).toBe(true);
    const failed = overview.failed.find((f) => f.id === id);
    expect(failed).toMatchObject({ name: "test.failing", retryCount: 1, error: "successor reached the platform limit" });
    expect(overview.queues.find((q) => q.name === "test.failing")?.counts.failed).toBe(1);
    await boss.stop({ graceful: false });
  });

  it("the reminder job sends nothing when no one is waiting on a handover", async () => {
    const lines: string[] = [];
    expect(await runRemindSuccessors(db.prisma, (l) => lines.push(l))).toEqual({ successors: 0, sent: 0 });
    expect(await db.prisma.notification.count()).toBe(0);
  });
});
