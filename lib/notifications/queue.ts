import "server-only";
import type { PgBoss } from "pg-boss";
import { JOBS_SCHEMA, jobsPoolMax, QUEUES } from "@/lib/jobs/config";
import { startServerJobs } from "@/lib/jobs/server";

// Urgent messages go out at once (docs/notifications.md "Delivery"): after a command that planned
// urgent deliveries commits (a complaint recorded already breached), the dispatch job is queued
// now rather than at the minute's schedule. Best effort: the schedule sends them anyway if this is
// lost. Through the server's own runner, or with WEGOVERN_JOBS=0 a send-only pg-boss (the same
// arrangement as lib/service/schedule.ts and lib/wecom/queue.ts).

const g = globalThis as unknown as { wegovernNotifySender?: Promise<PgBoss | null> };

async function sender(): Promise<PgBoss | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  if (process.env.WEGOVERN_JOBS !== "0") return (await startServerJobs())?.boss ?? null;
  g.wegovernNotifySender ??= (async () => {
    const { PgBoss } = await import("pg-boss");
    const boss = new PgBoss({ connectionString: url, schema: JOBS_SCHEMA, max: jobsPoolMax(), application_name: "wegovern-send", supervise: false, schedule: false, migrate: false, createSchema: false });
    boss.on("error", (e: unknown) => console.warn(`[notifications] pg-boss sender: ${(e as Error)?.message ?? String(e)}`));
    await boss.start();
    return boss;
  })().catch((error: unknown) => {
    console.warn(`[notifications] no job sender: ${(error as Error)?.message ?? String(error)}`);
    g.wegovernNotifySender = undefined;
    return null;
  });
  return g.wegovernNotifySender;
}

/** Queues a run of the dispatch job now (it sends every delivery due, urgent ones included). */
export async function enqueueDispatch(): Promise<string | null> {
  try {
    const boss = await sender();
    if (!boss) return null;
    return await boss.send(QUEUES.notificationsDispatch, {});
  } catch (error) {
    console.warn(`[notifications] dispatch not queued (the minute's schedule will send): ${(error as Error)?.message ?? String(error)}`);
    return null;
  }
}
