import type { DbClient } from "@/lib/server/prisma-client";
import { DomainError } from "@/lib/server/errors";
import { loadConnection } from "../settings";
import { runSync, startSync, type RunOutcome } from "./runner";
import { PHASES } from "./steps";

// The sync's jobs (lib/jobs/runner.ts registers them):
// - wecom.sync: a run "sync now" queued; a transient failure is thrown so pg-boss retries it (the
//   retry resumes from the checkpoints);
// - wecom.sync-sweep (every 2 minutes): a RUNNING run whose worker died — its lease lapsed — is
//   taken over and resumed here, whichever process finds it first (the lease decides);
// - wecom.sync-nightly (02:00 China time): a scheduled run when the connection is configured.

export async function runSyncJob(prisma: DbClient, runId: string, log: (line: string) => void = console.log): Promise<RunOutcome> {
  const outcome = await runSync(prisma, runId, { phases: PHASES, log });
  if (outcome === "RETRY") throw new Error(`WeCom sync ${runId} stopped on a transient failure; the queue retries it from its checkpoints`);
  return outcome;
}

export async function runSyncSweep(prisma: DbClient, log: (line: string) => void = console.log, now = new Date()): Promise<RunOutcome | null> {
  const stalled = await prisma.weComSyncRun.findFirst({ where: { status: "RUNNING", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }, select: { id: true } });
  if (!stalled) return null;
  log(`[wecom-sync] resuming run ${stalled.id} (its worker stopped)`);
  return runSync(prisma, stalled.id, { phases: PHASES, log });
}

export async function runSyncNightly(prisma: DbClient, log: (line: string) => void = console.log): Promise<RunOutcome | null> {
  const conn = await loadConnection(prisma);
  if (!conn.corpId || (!conn.contactSecret && !conn.customerSecret)) return null;
  let runId: string;
  try {
    ({ runId } = await startSync(prisma, { trigger: "SCHEDULE", startedById: null }));
  } catch (e) {
    if (e instanceof DomainError && e.messageKey === "wecom.sync.errors.alreadyRunning") return "BUSY";
    throw e;
  }
  return runSyncJob(prisma, runId, log);
}
