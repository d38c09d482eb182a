import { randomBytes } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { writeAuditEvent, type AuditActor } from "@/lib/server/audit-write";
import { DomainError } from "@/lib/server/errors";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import type { WeComClient } from "../client";
import { clientsFor } from "../connection";
import { isTransient, WeComError } from "../errors";
import { loadConnection } from "../settings";
import type { CommitProgress, StepName, SyncContext, SyncSettings, SyncStep } from "./types";

// The WeCom sync's runner (issue 14): one run at a time, on the job queue, resumable.
//
// - A run is a row in wecom_sync_runs (at most one RUNNING: a partial unique index) with a row per
//   step in wecom_sync_steps holding the step's checkpoint, progress and counts.
// - The worker running it holds a LEASE (a random token and an expiry, renewed by a heartbeat).
//   Every commit of a step re-reads the lease under FOR SHARE inside its transaction, so once
//   another worker has taken the run over (the lease lapsed: the first worker died or hung), the
//   first one can write nothing more — not even the page it was on (LeaseLost).
// - A step's page and its checkpoint commit together (SyncContext.commit), so a worker killed at
//   any instant resumes at the first uncommitted page; the steps are idempotent, so a page redone
//   changes nothing.
// - Steps run in phases: [directory] → [contacts, groups] side by side → [governance]. A step
//   already DONE is skipped when a run resumes.
// - One audit event per run (wecom.sync.run or wecom.sync.fail) with the summed counts and calls;
//   nothing per row.

export const SYNC_ACTOR: AuditActor = { id: null, label: "system:wecom-sync", ip: null };
const TX = { timeout: 120_000, maxWait: 60_000 } as const;
const WARNINGS_KEPT = 50;

export class LeaseLost extends Error {
  constructor(readonly runId: string) {
    super(`WeCom sync ${runId}: the lease was taken by another worker`);
    this.name = "LeaseLost";
  }
}

export type RunOptions = {
  /** The phases to run (the job passes lib/wecom/sync/steps.ts's PHASES). */
  phases: SyncStep[][];
  /** Clients to use (default: built from the saved connection). */
  clients?: { contacts: WeComClient | null; customers: WeComClient | null };
  settings?: SyncSettings;
  /** How long a lease lasts without a heartbeat (default 120 s; WECOM_SYNC_LEASE_MS). */
  leaseMs?: number;
  heartbeatMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
};

export type RunOutcome = "SUCCEEDED" | "FAILED" | "BUSY" | "LEASE_LOST" | "NOT_RUNNING" | "RETRY";

function leaseMsDefault(): number {
  const n = Number(process.env.WECOM_SYNC_LEASE_MS ?? 120_000);
  return Number.isFinite(n) && n >= 1000 ? n : 120_000;
}

export const ALL_STEPS: StepName[] = ["directory", "contacts", "groups", "governance"];

/**
 * Starts a run, or finds the one already running. Returns the run to execute: a new one, or a
 * RUNNING one whose worker is gone (lease lapsed) to resume. A run that a live worker is executing
 * is refused with a message for the admin ("a sync is already running").
 */
export async function startSync(prisma: DbClient, input: { trigger: "MANUAL" | "SCHEDULE"; startedById: string | null; actor?: AuditActor }, now = new Date()): Promise<{ runId: string; resumed: boolean }> {
  const running = await prisma.weComSyncRun.findFirst({ where: { status: "RUNNING" }, select: { id: true, leaseUntil: true } });
  if (running) {
    if (running.leaseUntil && running.leaseUntil > now) throw new DomainError("CONFLICT", "wecom.sync.errors.alreadyRunning");
    return { runId: running.id, resumed: true };
  }
  try {
    return await prisma.$transaction(async (tx) => {
      const run = await tx.weComSyncRun.create({ data: { trigger: input.trigger, startedById: input.startedById, startedAt: now }, select: { id: true } });
      await tx.weComSyncStep.createMany({ data: ALL_STEPS.map((step) => ({ runId: run.id, step })) });
      await writeAuditEvent(tx, input.actor ?? SYNC_ACTOR, { action: "wecom.sync.start", entityType: "WeComSyncRun", entityId: run.id, after: { trigger: input.trigger } });
      return { runId: run.id, resumed: false };
    }, TX);
  } catch (e) {
    // Two starts at once: the partial unique index lets one RUNNING row in; the other finds it.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw new DomainError("CONFLICT", "wecom.sync.errors.alreadyRunning");
    throw e;
  }
}

/** Takes the run's lease if it is free (never taken, or lapsed). Null: a live worker holds it, or the run is over. */
async function acquireLease(prisma: DbClient, runId: string, leaseMs: number): Promise<string | null> {
  const token = randomBytes(16).toString("hex");
  const n = await prisma.$executeRaw`
    UPDATE wecom_sync_runs
       SET lease_token = ${token}, lease_until = now() + make_interval(secs => ${leaseMs / 1000}), attempts = attempts + 1, updated_at = now()
     WHERE id = ${runId} AND status = 'RUNNING' AND (lease_until IS NULL OR lease_until < now())`;
  return n === 1 ? token : null;
}

async function holdsLease(tx: Tx, runId: string, token: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ lease_token: string | null; status: string }[]>`SELECT lease_token, status FROM wecom_sync_runs WHERE id = ${runId} FOR SHARE`;
  return rows.length === 1 && rows[0].lease_token === token && rows[0].status === "RUNNING";
}

function addCounts(into: Record<string, number>, more: Record<string, number> | undefined): Record<string, number> {
  for (const [k, v] of Object.entries(more ?? {})) if (Number.isFinite(v) && v !== 0) into[k] = (into[k] ?? 0) + v;
  return into;
}

/** The failure the admin reads: an i18n key under wecom.sync.errors with params. */
function describeFailure(e: unknown): { code: string; params: Record<string, string | number>; transient: boolean } {
  if (e instanceof WeComError) {
    return { code: e.kind === "API" ? "wecom.sync.errors.api" : "wecom.sync.errors.failure", params: { path: e.path, errcode: e.errcode ?? "", kind: e.kind, zh: e.zh, en: e.en }, transient: isTransient(e) };
  }
  if (e instanceof DomainError) return { code: e.messageKey, params: e.options.params ?? {}, transient: false };
  return { code: "wecom.sync.errors.internal", params: {}, transient: true };
}

/**
 * Executes (or resumes) a run as this worker. BUSY: another live worker holds it; LEASE_LOST:
 * another worker took it over while this one ran; RETRY: a transient failure (network, WeCom busy)
 * — the lease is released and the caller (the job) should throw so the queue retries it.
 */
export async function runSync(prisma: DbClient, runId: string, options: RunOptions): Promise<RunOutcome> {
  const log = options.log ?? ((line: string) => console.log(line));
  const leaseMs = options.leaseMs ?? leaseMsDefault();
  const now = options.now ?? (() => new Date());
  const token = await acquireLease(prisma, runId, leaseMs);
  if (!token) {
    const run = await prisma.weComSyncRun.findUnique({ where: { id: runId }, select: { status: true } });
    return run?.status === "RUNNING" ? "BUSY" : "NOT_RUNNING";
  }
  const run = await prisma.weComSyncRun.findUniqueOrThrow({ where: { id: runId }, select: { startedAt: true, attempts: true } });

  let lost = false;
  const beat = setInterval(() => {
    prisma.$executeRaw`UPDATE wecom_sync_runs SET lease_until = now() + make_interval(secs => ${leaseMs / 1000}) WHERE id = ${runId} AND lease_token = ${token} AND status = 'RUNNING'`
      .then((n) => {
        if (n === 0) lost = true;
      })
      .catch((e: unknown) => log(`[wecom-sync] heartbeat failed: ${(e as Error)?.message ?? String(e)}`));
  }, options.heartbeatMs ?? Math.max(500, Math.floor(leaseMs / 4)));
  beat.unref?.();

  const settings = options.settings ?? (await loadSyncSettings(prisma));
  const phases = options.phases;
  log(`[wecom-sync] run ${runId} attempt ${run.attempts}: ${phases.map((p) => p.map((s) => s.name).join("+")).join(" → ")}`);

  // waitFor(step): one promise per step of this attempt still to run, settled when it ends.
  const ends = new Map<StepName, { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void }>();
  const doneAlready = new Set((await prisma.weComSyncStep.findMany({ where: { runId, status: "DONE" }, select: { step: true } })).map((r) => r.step));
  for (const step of phases.flat()) {
    if (doneAlready.has(step.name)) continue;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined);
    ends.set(step.name, { promise, resolve, reject });
  }
  const waitFor = (step: StepName) => ends.get(step)?.promise ?? Promise.resolve();

  try {
    for (const phase of phases) {
      const todo = phase.filter((s) => !doneAlready.has(s.name));
      const results = await Promise.allSettled(
        todo.map((step) =>
          runStep(prisma, runId, token, step, { ...options, settings, startedAt: run.startedAt, now, log, isLost: () => lost, waitFor }).then(
            () => ends.get(step.name)?.resolve(),
            (e: unknown) => {
              ends.get(step.name)?.reject(e);
              throw e;
            },
          ),
        ),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    }
    const finished = await prisma.$transaction(async (tx) => {
      if (!(await holdsLease(tx, runId, token))) throw new LeaseLost(runId);
      const steps = await tx.weComSyncStep.findMany({ where: { runId }, orderBy: { step: "asc" } });
      const counts = steps.reduce((acc, s) => addCounts(acc, s.counts as Record<string, number>), {} as Record<string, number>);
      const at = now();
      await tx.weComSyncRun.update({ where: { id: runId }, data: { status: "SUCCEEDED", finishedAt: at, counts, leaseToken: null, leaseUntil: null } });
      // Change events received before this run began are covered by it.
      await tx.weComCallbackEvent.updateMany({ where: { processedAt: null, receivedAt: { lt: run.startedAt } }, data: { processedAt: at } });
      await writeAuditEvent(tx, SYNC_ACTOR, {
        action: "wecom.sync.run",
        entityType: "WeComSyncRun",
        entityId: runId,
        after: { counts, steps: Object.fromEntries(steps.map((s) => [s.step, { rows: s.rows, calls: s.calls }])), calls: steps.reduce((a, s) => a + s.calls, 0), attempts: run.attempts, seconds: Math.round((at.getTime() - run.startedAt.getTime()) / 1000) },
      });
      return counts;
    }, TX);
    log(`[wecom-sync] run ${runId} succeeded: ${JSON.stringify(finished)}`);
    return "SUCCEEDED";
  } catch (e) {
    if (e instanceof LeaseLost) {
      log(`[wecom-sync] run ${runId}: another worker took the run over; this one stops`);
      return "LEASE_LOST";
    }
    const failure = describeFailure(e);
    log(`[wecom-sync] run ${runId} attempt ${run.attempts} failed: ${(e as Error)?.message ?? String(e)}`);
    // A transient failure releases the lease for the queue's retry (up to 3 attempts), which resumes
    // from the checkpoints; anything else (a wrong secret, a permission WeCom refuses) ends the run.
    const retry = failure.transient && run.attempts < 3;
    await prisma.$transaction(async (tx) => {
      if (!(await holdsLease(tx, runId, token))) return;
      const steps = await tx.weComSyncStep.findMany({ where: { runId } });
      const counts = steps.reduce((acc, s) => addCounts(acc, s.counts as Record<string, number>), {} as Record<string, number>);
      if (retry) {
        await tx.weComSyncRun.update({ where: { id: runId }, data: { leaseToken: null, leaseUntil: null, errorCode: failure.code, errorParams: failure.params } });
        return;
      }
      await tx.weComSyncStep.updateMany({ where: { runId, status: "RUNNING" }, data: { status: "FAILED" } });
      await tx.weComSyncRun.update({ where: { id: runId }, data: { status: "FAILED", finishedAt: now(), counts, errorCode: failure.code, errorParams: failure.params, leaseToken: null, leaseUntil: null } });
      await writeAuditEvent(tx, SYNC_ACTOR, { action: "wecom.sync.fail", entityType: "WeComSyncRun", entityId: runId, after: { error: failure.code, params: failure.params, counts, calls: steps.reduce((a, s) => a + s.calls, 0), attempts: run.attempts } });
    }, TX);
    return retry ? "RETRY" : "FAILED";
  } finally {
    clearInterval(beat);
  }
}

async function runStep(
  prisma: DbClient,
  runId: string,
  token: string,
  step: SyncStep,
  o: Omit<RunOptions, "phases"> & { settings: SyncSettings; startedAt: Date; now: () => Date; log: (line: string) => void; isLost: () => boolean; waitFor: (step: StepName) => Promise<void> },
): Promise<void> {
  const row = await prisma.weComSyncStep.findUniqueOrThrow({ where: { runId_step: { runId, step: step.name } } });
  // Each step gets clients of its own (same token cache and pacer), so its calls are counted apart.
  const clients = o.clients ?? clientsFor(prisma, await loadConnection(prisma));
  const callsBefore = (clients.contacts?.calls ?? 0) + (clients.customers?.calls ?? 0);
  const callsNow = () => row.calls + (clients.contacts?.calls ?? 0) + (clients.customers?.calls ?? 0) - callsBefore;
  const counts = { ...(row.counts as Record<string, number>) };
  let rowsDone = row.rows;
  await prisma.weComSyncStep.update({ where: { runId_step: { runId, step: step.name } }, data: { status: "RUNNING", startedAt: row.startedAt ?? o.now() } });

  const ctx: SyncContext = {
    prisma,
    runId,
    step: step.name,
    startedAt: o.startedAt,
    contacts: clients.contacts,
    customers: clients.customers,
    settings: o.settings,
    checkpoint: row.checkpoint ?? null,
    now: o.now,
    log: o.log,
    waitFor: o.waitFor,
    async commit<T>(write: (tx: Tx) => Promise<T>, progressOf: CommitProgress | ((written: T) => CommitProgress)): Promise<T> {
      if (o.isLost()) throw new LeaseLost(runId);
      let progress: CommitProgress = { checkpoint: null };
      let nextCounts = counts;
      let nextRows = rowsDone;
      const result = await prisma.$transaction(async (tx) => {
        if (!(await holdsLease(tx, runId, token))) throw new LeaseLost(runId);
        const out = await write(tx);
        progress = typeof progressOf === "function" ? progressOf(out) : progressOf;
        nextCounts = addCounts({ ...counts }, progress.counts);
        nextRows = rowsDone + (progress.rows ?? 0);
        await tx.weComSyncStep.update({
          where: { runId_step: { runId, step: step.name } },
          data: { checkpoint: (progress.checkpoint ?? Prisma.JsonNull) as Prisma.InputJsonValue, rows: nextRows, ...(progress.total !== undefined ? { total: progress.total } : {}), commits: { increment: 1 }, calls: callsNow(), counts: nextCounts },
        });
        return out;
      }, TX);
      Object.assign(counts, nextCounts);
      rowsDone = nextRows;
      ctx.checkpoint = progress.checkpoint ?? null;
      return result;
    },
    async warn(code: string, params: Record<string, string | number> = {}) {
      const entry = JSON.stringify([{ step: step.name, code, params, at: o.now().toISOString() }]);
      await prisma.$executeRaw`
        UPDATE wecom_sync_runs
           SET warnings = (SELECT COALESCE(jsonb_agg(w), '[]'::jsonb) FROM (SELECT w FROM jsonb_array_elements(${entry}::jsonb || warnings) AS w LIMIT ${WARNINGS_KEPT}) AS kept),
               warning_count = warning_count + 1
         WHERE id = ${runId} AND lease_token = ${token}`;
    },
  };

  await step.run(ctx);
  await prisma.$transaction(async (tx) => {
    if (!(await holdsLease(tx, runId, token))) throw new LeaseLost(runId);
    await tx.weComSyncStep.update({ where: { runId_step: { runId, step: step.name } }, data: { status: "DONE", finishedAt: o.now(), calls: callsNow() } });
  }, TX);
  o.log(`[wecom-sync] ${step.name} done: ${rowsDone} rows, ${callsNow()} calls`);
}

export async function loadSyncSettings(prisma: DbClient | Tx): Promise<SyncSettings> {
  const row = await prisma.weComSettings.findUnique({ where: { id: "default" }, select: { leaverAction: true } });
  return { leaverAction: row?.leaverAction === "HR_TASK" ? "HR_TASK" : "OPEN_CASE" };
}

/**
 * For the steps' own tests: starts a run and executes one step to completion with a real context
 * (lease, commits, checkpoints) and the given clients. Resumes the same run when `runId` is given.
 */
export async function runStepForTest(
  prisma: DbClient,
  step: SyncStep,
  options: { contacts: WeComClient | null; customers: WeComClient | null; settings?: SyncSettings; runId?: string; now?: () => Date },
): Promise<{ runId: string; outcome: RunOutcome }> {
  const runId = options.runId ?? (await startSync(prisma, { trigger: "MANUAL", startedById: null })).runId;
  const outcome = await runSync(prisma, runId, { phases: [[step]], clients: { contacts: options.contacts, customers: options.customers }, settings: options.settings ?? { leaverAction: "OPEN_CASE" }, now: options.now, leaseMs: 60_000, log: () => undefined });
  return { runId, outcome };
}
