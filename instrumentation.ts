// Next.js calls register() once when a server instance starts. In the Node.js runtime (never in
// the edge runtime, never during `next build`) it starts the job queue's workers (lib/jobs): the
// transfer-completion sweep, departures and reminders. Not awaited: requests need not wait for
// pg-boss, and a failure to start is logged, not fatal. WEGOVERN_JOBS=0 turns it off (for a
// deployment that runs `npm run worker` instead).

export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.WEGOVERN_JOBS === "0" || !process.env.DATABASE_URL) return;
  const { startServerJobs } = await import("./lib/jobs/server");
  void startServerJobs();
}
