import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES, SCHEDULES, schedulesOff } from "@/lib/jobs/config";
import { createBoss, startJobRunner } from "@/lib/jobs/runner";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { until } from "../helpers/until";

// `WEB_PROCESSES=2 npm start` starts a job runner in each process (instrumentation.ts), as two
// machines or a server beside `npm run worker` do. What two runners on one database must not do:
// run a job twice, lose one, or double the schedules (docs/performance.md, "Two processes").

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.close());

const JOB_WAIT = { timeout: 180_000 };
describe("two job runners on one database", () => {
  it("each job sent is done exactly once, by one runner or the other", JOB_WAIT, async () => {
    const a = createBoss(db.appUrl);
    const b = createBoss(db.appUrl);
    for (const boss of [a, b]) {
      boss.on("error", () => undefined);
      await boss.start();
    }
    await a.createQueue("test.once");
    const done: { id: string; by: string }[] = [];
    for (const [boss, by] of [
      [a, "a"],
      [b, "b"],
    ] as const) {
      await boss.work("test.once", { pollingIntervalSeconds: 0.5, batchSize: 3 }, async (jobs) => {
        for (const job of jobs) done.push({ id: job.id, by });
        await new Promise((r) => setTimeout(r, 20));
      });
    }
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).send("test.once", { i })));
    await until(async () => {
      const jobs = await a.findJobs("test.once");
      return jobs.length === ids.length && jobs.every((j) => j.state === "completed");
    });
    // A graceful stop waits for handlers still running: a second run of a job would be counted.
    await Promise.all([a.stop({ graceful: true }), b.stop({ graceful: true })]);
    expect(done.map((d) => d.id).sort()).toEqual([...ids].sort());
  });

  it("two runners starting side by side keep one schedule per queue", JOB_WAIT, async () => {
    const quiet = () => undefined;
    const [a, b] = await Promise.all([startJobRunner({ url: db.appUrl, prisma: db.prisma, log: quiet }), startJobRunner({ url: db.appUrl, prisma: db.prisma, log: quiet })]);
    const schedules = await a.boss.getSchedules();
    expect(schedules.map((s) => s.name).sort()).toEqual(Object.keys(SCHEDULES).sort());
    await Promise.all([a.stop(), b.stop()]);
  });

  it("JOBS_SCHEDULES_OFF keeps a queue off the clock, takes out the schedule an earlier start kept, and still runs its jobs when sent", JOB_WAIT, async () => {
    const quiet = () => undefined;
    const nightly = QUEUES.wecomSyncNightly;
    const before = await startJobRunner({ url: db.appUrl, prisma: db.prisma, log: quiet });
    expect((await before.boss.getSchedules()).map((s) => s.name)).toContain(nightly);
    await before.stop();
    const saved = process.env.JOBS_SCHEDULES_OFF;
    process.env.JOBS_SCHEDULES_OFF = ` ${nightly} `;
    try {
      const runner = await startJobRunner({ url: db.appUrl, prisma: db.prisma, log: quiet });
      const names = (await runner.boss.getSchedules()).map((s) => s.name).sort();
      expect(names).toEqual(Object.keys(SCHEDULES).filter((n) => n !== nightly).sort());
      // Sent by hand, the job runs (no WeCom connection here: it completes doing nothing).
      const id = await runner.boss.send(nightly, {});
      await until(async () => (await runner.boss.getJobById(nightly, id!))?.state === "completed");
      await runner.stop();
    } finally {
      if (saved === undefined) delete process.env.JOBS_SCHEDULES_OFF;
      else process.env.JOBS_SCHEDULES_OFF = saved;
    }
    expect([...schedulesOff(`${nightly}, ${QUEUES.departures}`)].sort()).toEqual([QUEUES.departures, nightly].sort());
    expect(schedulesOff(undefined).size).toBe(0);
    expect(() => schedulesOff(`${nightly},wecom.sync-nighlty`)).toThrow(/JOBS_SCHEDULES_OFF: wecom\.sync-nighlty is not a scheduled queue/);
    // A queue that runs only when sent has no schedule to turn off.
    expect(() => schedulesOff(QUEUES.wecomSync)).toThrow(/is not a scheduled queue/);
  });
});
