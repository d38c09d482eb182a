import { PgBoss } from "pg-boss";
import { createPrismaClient, type DbClient } from "@/lib/server/prisma-client";
import { deliverOne, dueDeliveries } from "@/lib/notifications/deliver";
import { recordExpiries } from "@/lib/privacy/consents";
import { runOutboxJob, runTransferResultsJob } from "@/lib/offboarding/outbox";
import { runWeComCallbackEvent } from "@/lib/wecom/jobs";
import { runSyncJob, runSyncNightly, runSyncSweep } from "@/lib/wecom/sync/jobs";
import { runUnassignedJob } from "@/lib/wecom/unassigned";
import { runArchiveConsentJob } from "@/lib/privacy/wecom-archive";
import { JOBS_SCHEMA, LONG_QUEUES, QUEUES, RETRY, SCHEDULES, jobsPoolMax, schedulesOff, type QueueName } from "./config";
import {
  runCompleteTransfers,
  runContentLicenceWarnings,
  runDashboardSnapshot,
  runDepartures,
  runPrivacyDeadlines,
  runIncidentDeadlines,
  runRemindSuccessors,
  runServiceBreachSweep,
  runServiceEscalation,
  runTrainingReminders,
  runTrainingSync,
} from "./handlers";

// Starts pg-boss on the application's database and its workers: by the web server
// (instrumentation.ts) and by `npm run worker`. Several runners side by side are safe: the queues
// are "singleton" (one active job of each at a time), the schedules are upserted by name, and
// every handler is idempotent.

export type JobRunner = { boss: PgBoss; stop: () => Promise<void> };

export function createBoss(url: string): PgBoss {
  return new PgBoss({ connectionString: url, schema: JOBS_SCHEMA, max: jobsPoolMax(), application_name: "wegovern-jobs" });
}

export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const name of Object.values(QUEUES)) {
    const existing = await boss.getQueue(name);
    if (!existing) await boss.createQueue(name, { policy: "singleton", ...RETRY, ...LONG_QUEUES[name] }).catch(async (e) => {
      // Another runner created it meanwhile.
      if (!(await boss.getQueue(name))) throw e;
    });
  }
}

export async function startJobRunner(options: { url: string; prisma?: DbClient; log?: (line: string) => void; schedule?: boolean }): Promise<JobRunner> {
  const log = options.log ?? ((line: string) => console.log(line));
  const prisma = options.prisma ?? createPrismaClient(options.url, jobsPoolMax());
  const boss = createBoss(options.url);
  boss.on("error", (error: unknown) => log(`[jobs] pg-boss error: ${(error as Error)?.message ?? String(error)}`));
  await boss.start();
  await ensureQueues(boss);
  if (options.schedule !== false) {
    const off = schedulesOff();
    for (const [name, s] of Object.entries(SCHEDULES) as [QueueName, { cron: string; tz?: string }][]) {
      // A schedule turned off is also taken out of pg-boss, where an earlier start may have kept it.
      if (off.has(name)) await boss.unschedule(name);
      else await boss.schedule(name, s.cron, null, { tz: s.tz, ...RETRY, ...LONG_QUEUES[name] });
    }
  }
  const handlers: Record<QueueName, (jobs: { data: unknown }[]) => Promise<unknown>> = {
    [QUEUES.completeTransfers]: () => runCompleteTransfers(prisma),
    [QUEUES.departures]: () => runDepartures(prisma),
    [QUEUES.remindSuccessors]: () => runRemindSuccessors(prisma, log),
    [QUEUES.dashboardSnapshot]: () => runDashboardSnapshot(prisma),
    [QUEUES.consentExpiries]: () => recordExpiries(prisma),
    [QUEUES.serviceEscalate]: async (jobs) => {
      for (const job of jobs) {
        const caseId = (job.data as { caseId?: unknown } | null)?.caseId;
        // An escalation is urgent: its messages are dispatched now, not at the minute's schedule.
        if (typeof caseId === "string" && (await runServiceEscalation(prisma, caseId)).escalated) await boss.send(QUEUES.notificationsDispatch, {});
      }
    },
    [QUEUES.serviceBreachSweep]: async () => {
      const r = await runServiceBreachSweep(prisma);
      if (r.escalated > 0) await boss.send(QUEUES.notificationsDispatch, {});
      return r;
    },
    [QUEUES.trainingSync]: () => runTrainingSync(prisma),
    [QUEUES.trainingReminders]: () => runTrainingReminders(prisma),
    [QUEUES.contentLicenceWarnings]: () => runContentLicenceWarnings(prisma, log),
    [QUEUES.wecomCallbackEvent]: async (jobs) => {
      for (const job of jobs) {
        const eventId = (job.data as { eventId?: unknown } | null)?.eventId;
        if (typeof eventId === "string") await runWeComCallbackEvent(prisma, eventId, log);
      }
    },
    [QUEUES.wecomSync]: async (jobs) => {
      for (const job of jobs) {
        const runId = (job.data as { runId?: unknown } | null)?.runId;
        if (typeof runId === "string") await runSyncJob(prisma, runId, log);
      }
    },
    [QUEUES.wecomSyncSweep]: () => runSyncSweep(prisma, log),
    [QUEUES.wecomSyncNightly]: () => runSyncNightly(prisma, log),
    [QUEUES.wecomUnassigned]: () => runUnassignedJob(prisma, log),
    [QUEUES.wecomArchiveConsent]: () => runArchiveConsentJob(prisma, log),
    [QUEUES.privacyDeadlines]: () => runPrivacyDeadlines(prisma),
    [QUEUES.privacyIncidentDeadlines]: () => runIncidentDeadlines(prisma),
    [QUEUES.notificationsDispatch]: async () => {
      const ids = await dueDeliveries(prisma);
      for (const id of ids) await boss.send(QUEUES.notificationsDeliver, { deliveryId: id }, { singletonKey: id });
      return { enqueued: ids.length };
    },
    [QUEUES.notificationsDeliver]: async (jobs) => {
      for (const job of jobs) {
        const deliveryId = (job.data as { deliveryId?: unknown } | null)?.deliveryId;
        if (typeof deliveryId === "string") await deliverOne(prisma, deliveryId);
      }
    },
    [QUEUES.wecomOutbox]: () => runOutboxJob(prisma, log),
    [QUEUES.wecomTransferResults]: () => runTransferResultsJob(prisma, log),
  };
  for (const [name, handler] of Object.entries(handlers) as [QueueName, (jobs: { data: unknown }[]) => Promise<unknown>][]) {
    await boss.work(name, { pollingIntervalSeconds: 5 }, async (jobs) => handler(jobs));
  }
  log(`[jobs] pg-boss started (schema ${JOBS_SCHEMA}, pool ${jobsPoolMax()}): ${Object.values(QUEUES).join(", ")}`);
  return {
    boss,
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000 });
      if (!options.prisma) await prisma.$disconnect();
    },
  };
}
