import "server-only";
import type { PgBoss } from "pg-boss";
import { JOBS_SCHEMA, jobsPoolMax } from "@/lib/jobs/config";
import { startServerJobs } from "@/lib/jobs/server";

// The one way code on the request path puts a job on the queue (pg-boss): the escalation of a
// complaint (lib/service/schedule.ts), WeCom's callbacks, syncs and outbox (lib/wecom/queue.ts),
// an urgent dispatch of notifications (lib/notifications/queue.ts).
//
// The web server normally runs the job runner (instrumentation.ts) and sends through it. With
// WEGOVERN_JOBS=0 (workers run as `npm run worker`), one send-only pg-boss per process is used
// instead: it runs no workers, schedules and maintenance, so the web process never starts work it
// was told not to. Null without a database (PGlite: the server's own runner, or nothing).

const g = globalThis as unknown as { wegovernJobSender?: Promise<PgBoss | null> };

export async function jobSender(): Promise<PgBoss | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  if (process.env.WEGOVERN_JOBS !== "0") return (await startServerJobs())?.boss ?? null;
  g.wegovernJobSender ??= (async () => {
    const { PgBoss } = await import("pg-boss");
    const boss = new PgBoss({ connectionString: url, schema: JOBS_SCHEMA, max: jobsPoolMax(), application_name: "wegovern-send", supervise: false, schedule: false, migrate: false, createSchema: false });
    boss.on("error", (e: unknown) => console.warn(`[jobs] pg-boss sender: ${(e as Error)?.message ?? String(e)}`));
    await boss.start();
    return boss;
  })().catch((error: unknown) => {
    console.warn(`[jobs] no job sender: ${(error as Error)?.message ?? String(error)}`);
    g.wegovernJobSender = undefined;
    return null;
  });
  return g.wegovernJobSender;
}
