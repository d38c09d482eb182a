import "server-only";
import type { PgBoss } from "pg-boss";
import { JOBS_SCHEMA, jobsPoolMax, QUEUES } from "@/lib/jobs/config";
import { startServerJobs } from "@/lib/jobs/server";

// After a command commits, the escalation job of a complaint is put on the queue for the moment
// its next target breaches (pg-boss `startAfter`). Best effort: the durable truth is the case's
// next_due_at, and the sweep (every minute) escalates whatever a lost job missed. A job that finds
// the case changed (answered, paused, resolved, due later) does nothing; the command that moved the
// due time has sent a new one.
//
// The web server normally runs the job runner (instrumentation.ts) and sends through it. With
// WEGOVERN_JOBS=0 (workers run as `npm run worker`), a send-only pg-boss is used instead: it runs
// no workers, schedules and maintenance, so the web process never starts work it was told not to.

const g = globalThis as unknown as { wegovernServiceSender?: Promise<PgBoss | null> };

async function sender(): Promise<PgBoss | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  if (process.env.WEGOVERN_JOBS !== "0") return (await startServerJobs())?.boss ?? null;
  g.wegovernServiceSender ??= (async () => {
    const { PgBoss } = await import("pg-boss");
    const boss = new PgBoss({ connectionString: url, schema: JOBS_SCHEMA, max: jobsPoolMax(), application_name: "wegovern-send", supervise: false, schedule: false, migrate: false, createSchema: false });
    boss.on("error", (e: unknown) => console.warn(`[service] pg-boss sender: ${(e as Error)?.message ?? String(e)}`));
    await boss.start();
    return boss;
  })().catch((error: unknown) => {
    console.warn(`[service] no job sender: ${(error as Error)?.message ?? String(error)}`);
    g.wegovernServiceSender = undefined;
    return null;
  });
  return g.wegovernServiceSender;
}

export async function scheduleEscalation(caseId: string, at: Date | null): Promise<void> {
  if (!at) return;
  try {
    const boss = await sender();
    if (!boss) return;
    await boss.send(QUEUES.serviceEscalate, { caseId }, { startAfter: at, singletonKey: `${caseId}:${at.toISOString()}` });
  } catch (error) {
    console.warn(`[service] escalation job for ${caseId} not queued (the sweep will catch it): ${(error as Error)?.message ?? String(error)}`);
  }
}
