import { startJobRunner } from "../lib/jobs/runner";
import { jobsPoolMax } from "../lib/jobs/config";
import { ensureAuditKey, ensurePiiKey } from "./local-env";

// `npm run worker`: the job queue's workers as a process of their own, beside (or instead of) the
// ones the web server starts (instrumentation.ts). Needs DATABASE_URL: the embedded database lives
// inside `npm start`'s process (on a port of its choosing), so with it the web server's own runner
// does the work. Several workers side by side are safe (singleton queues, idempotent jobs).
// Its connections: a Prisma pool and a pg-boss pool of JOBS_POOL_MAX each (default 2).

const log = (line: string) => console.log(line);
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("[jobs] DATABASE_URL is not set. With the embedded database, `npm start` runs the jobs itself; set DATABASE_URL to run a separate worker.");
  process.exit(1);
}
ensurePiiKey(log);
ensureAuditKey(log);
const runner = await startJobRunner({ url, log });
log(`[jobs] worker running (pool ${jobsPoolMax()}); Ctrl-C to stop`);
const stop = async () => {
  await runner.stop();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
