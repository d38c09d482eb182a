import { createPrismaClient, type DbClient } from "@/lib/server/prisma-client";
import { startJobRunner, type JobRunner } from "./runner";

// The job runner inside the web server process (instrumentation.ts). It shares the server's Prisma
// client (the same globalThis slot lib/server/db uses, same pool size), so the server's connections
// are DB_POOL_MAX + JOBS_POOL_MAX. Kept on globalThis so a dev-mode reload starts it once.

const g = globalThis as unknown as { wegovernDb?: DbClient; wegovernJobs?: Promise<JobRunner | null> };

export function startServerJobs(): Promise<JobRunner | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return Promise.resolve(null);
  g.wegovernJobs ??= (async () => {
    g.wegovernDb ??= createPrismaClient(url, Number(process.env.DB_POOL_MAX ?? 5));
    const runner = await startJobRunner({ url, prisma: g.wegovernDb, log: (line) => console.log(line) });
    const stop = () => void runner.stop().catch(() => undefined);
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    return runner;
  })().catch((error: unknown) => {
    console.error(`[jobs] the job queue did not start: ${(error as Error)?.message ?? String(error)}`);
    return null;
  });
  return g.wegovernJobs;
}
