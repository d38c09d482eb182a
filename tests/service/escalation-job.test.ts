import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "@/lib/jobs/config";
import { createBoss, startJobRunner } from "@/lib/jobs/runner";
import { createCase } from "@/lib/service/commands";
import { createCaseSchema } from "@/lib/service/schemas";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedServiceOrg, sh, type ServiceOrg } from "./helpers";
import { until } from "../helpers/until";

// The escalation job on the real queue (pg-boss): a job sent for the moment of breach
// (startAfter) is picked up by the runner's worker and escalates the complaint; the sweep queue
// escalates what no job was sent for.

let db: TestDb;
let org: ServiceOrg;
beforeAll(async () => {
  db = await createTestDb();
  org = await seedServiceOrg(db.prisma);
});
afterAll(async () => db?.close());

// Jobs run when pg-boss next polls, later on a busy machine: wait generously (it returns as soon as
// the check holds), within the test's own generous limit.
const complaint = async (title: string) =>
  expectOk(
    await run(db.prisma, org.actors.a1, createCaseSchema, { title, customerName: "客户", channel: "PHONE", caseType: "COMPLAINT", priority: "URGENT", receivedAt: "2026-03-10T09:00" }, (ctx) =>
      // Recorded at the time it came in: not yet breached, so the command does not escalate it.
      createCase({ ...ctx, now: sh("2026-03-10T09:00:00") }),
    ),
  );

describe("escalation through pg-boss", () => {
  it("a job scheduled with startAfter escalates the complaint; the sweep queue catches one without a job", { timeout: 180_000 }, async () => {
    const a = await complaint("投诉甲");
    const b = await complaint("投诉乙");
    const runner = await startJobRunner({ url: db.appUrl, prisma: db.prisma, log: () => {}, schedule: false });
    try {
      await runner.boss.send(QUEUES.serviceEscalate, { caseId: a.id }, { startAfter: new Date(Date.now() + 500) });
      await until(async () => (await db.prisma.serviceEscalation.count({ where: { caseId: a.id } })) === 1);
      expect(await db.prisma.serviceEscalation.findFirstOrThrow({ where: { caseId: a.id } })).toMatchObject({ target: "FIRST_RESPONSE", source: "job" });
      expect(await db.prisma.notification.count({ where: { recipientId: org.people.manager.id, href: `/service/${a.id}` } })).toBe(1);

      await runner.boss.send(QUEUES.serviceBreachSweep, {});
      await until(async () => (await db.prisma.serviceEscalation.count({ where: { caseId: b.id } })) === 1);
      expect(await db.prisma.serviceEscalation.findFirstOrThrow({ where: { caseId: b.id } })).toMatchObject({ source: "sweep" });
      // The first case was not escalated twice.
      expect(await db.prisma.serviceEscalation.count({ where: { caseId: a.id } })).toBe(1);
    } finally {
      await runner.stop();
    }
  });

  it("with WEGOVERN_JOBS=0 the action's scheduler sends through a send-only pg-boss (no workers in the web process)", async () => {
    const c = await complaint("投诉丙");
    const saved = { url: process.env.DATABASE_URL, jobs: process.env.WEGOVERN_JOBS };
    process.env.DATABASE_URL = db.appUrl;
    process.env.WEGOVERN_JOBS = "0";
    const at = new Date(Date.now() + 3_600_000);
    try {
      const { scheduleEscalation } = await import("@/lib/service/schedule");
      await scheduleEscalation(c.id, at);
      const boss = createBoss(db.appUrl);
      boss.on("error", () => undefined);
      await boss.start();
      try {
        const jobs = await boss.findJobs(QUEUES.serviceEscalate, { data: { caseId: c.id } });
        expect(jobs).toHaveLength(1);
        expect(jobs[0].state).toBe("created");
        expect(new Date(jobs[0].startAfter).toISOString()).toBe(at.toISOString());
      } finally {
        await boss.stop({ graceful: false });
      }
    } finally {
      process.env.DATABASE_URL = saved.url;
      if (saved.jobs === undefined) delete process.env.WEGOVERN_JOBS;
      else process.env.WEGOVERN_JOBS = saved.jobs;
      const sender = await (globalThis as { wegovernJobSender?: Promise<{ stop: (o: object) => Promise<void> } | null> }).wegovernJobSender;
      await sender?.stop({ graceful: false });
    }
  });
});
