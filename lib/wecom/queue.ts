import "server-only";
import type { PgBoss } from "pg-boss";
import { JOBS_SCHEMA, jobsPoolMax, QUEUES } from "@/lib/jobs/config";
import { startServerJobs } from "@/lib/jobs/server";

// Puts a verified callback event on the job queue (pg-boss). Through the server's own runner, or
// with WEGOVERN_JOBS=0 a send-only pg-boss (the same arrangement as lib/service/schedule.ts).

const g = globalThis as unknown as { wegovernWeComSender?: Promise<PgBoss | null> };

async function sender(): Promise<PgBoss | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  if (process.env.WEGOVERN_JOBS !== "0") return (await startServerJobs())?.boss ?? null;
  g.wegovernWeComSender ??= (async () => {
    const { PgBoss } = await import("pg-boss");
    const boss = new PgBoss({ connectionString: url, schema: JOBS_SCHEMA, max: jobsPoolMax(), application_name: "wegovern-send", supervise: false, schedule: false, migrate: false, createSchema: false });
    boss.on("error", (e: unknown) => console.warn(`[wecom] pg-boss sender: ${(e as Error)?.message ?? String(e)}`));
    await boss.start();
    return boss;
  })().catch((error: unknown) => {
    console.warn(`[wecom] no job sender: ${(error as Error)?.message ?? String(error)}`);
    g.wegovernWeComSender = undefined;
    return null;
  });
  return g.wegovernWeComSender;
}

/** Queues the event; its id is the singleton key, so the same event is never queued twice. */
export async function enqueueCallbackEvent(eventId: string): Promise<string | null> {
  const boss = await sender();
  if (!boss) return null;
  return boss.send(QUEUES.wecomCallbackEvent, { eventId }, { singletonKey: eventId });
}

/** Queues a sync run for a worker; the run id is the singleton key (one job per run). */
export async function enqueueSync(runId: string): Promise<string | null> {
  const boss = await sender();
  if (!boss) return null;
  return (await boss.send(QUEUES.wecomSync, { runId }, { singletonKey: runId })) ?? runId;
}

/** "Read now" of the chat-archive consent (lib/privacy/wecom-archive.ts): one queued read at a time. */
export async function enqueueArchiveConsent(): Promise<string | null> {
  const boss = await sender();
  if (!boss) return null;
  return boss.send(QUEUES.wecomArchiveConsent, {}, { singletonKey: "read-now" });
}

/** Queues a send of the WeCom outbox (after a handover's transfers commit); the minute's schedule
 * sends it anyway if this is lost. */
export async function enqueueOutbox(): Promise<string | null> {
  const boss = await sender();
  if (!boss) return null;
  return boss.send(QUEUES.wecomOutbox, {});
}
