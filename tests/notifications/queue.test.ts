import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "@/lib/jobs/config";
import { startJobRunner } from "@/lib/jobs/runner";
import { sendNotifications } from "@/lib/notifications/store";
import { seedOrganisation } from "../directory/helpers";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { decodeMail, startTestSmtp, type TestSmtp } from "./helpers";
import { until } from "../helpers/until";

// The delivery through the real job queue (pg-boss): the dispatch job finds the due delivery and
// sends a deliver job for it; the worker sends the e-mail to a real SMTP server; a second dispatch
// (the schedule's next minute, or a retried job) sends nothing more.

let db: TestDb;
let smtp: TestSmtp;
beforeAll(async () => {
  db = await createTestDb();
  smtp = await startTestSmtp();
  process.env.SMTP_URL = smtp.url;
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  await smtp?.stop();
  await db?.close();
});

const JOB_WAIT = { timeout: 180_000 };
describe("delivery on the job queue", () => {
  it("dispatch → deliver → one e-mail; dispatching again sends nothing", JOB_WAIT, async () => {
    const org = await seedOrganisation(db.prisma);
    await db.prisma.signInSettings.create({ data: { id: "default", portalUrl: "https://portal.example.test" } });
    await db.prisma.notificationPreference.create({ data: { employeeId: org.people.plain.id, channels: { service: ["EMAIL"] } } });
    await db.prisma.$transaction((tx) =>
      sendNotifications(tx, [{ recipientId: org.people.plain.id, kind: "service.escalation", messageKey: "notifications.categories.service", href: "/service/q1", dedupeKey: "queue:1" }]),
    );
    const runner = await startJobRunner({ url: db.appUrl, prisma: db.prisma, schedule: false, log: () => undefined });
    try {
      await runner.boss.send(QUEUES.notificationsDispatch, {});
      await until(async () => (await db.prisma.notificationDelivery.findFirstOrThrow({ where: { dedupeKey: "queue:1:EMAIL" } })).status === "SENT");
      expect(smtp.received).toHaveLength(1);
      expect(decodeMail(smtp.received[0].raw).subject).toBe("客户服务时限与升级");
      const again = await runner.boss.send(QUEUES.notificationsDispatch, {});
      await until(async () => (await runner.boss.findJobs(QUEUES.notificationsDispatch, { id: again! }))[0]?.state === "completed");
      expect(smtp.received).toHaveLength(1);
    } finally {
      await runner.stop();
    }
  });
});
