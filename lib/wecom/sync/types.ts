import type { DbClient, Tx } from "@/lib/server/prisma-client";
import type { WeComClient } from "../client";

// The WeCom sync's contract between the runner (lib/wecom/sync/runner.ts) and its steps
// (directory, contacts, groups, governance). A step reads WeCom through the clients and writes the
// portal's records through `commit`, which runs the step's writes and its new checkpoint in ONE
// transaction, after checking that this worker still holds the run's lease: a page's rows and the
// checkpoint that says the page is done are written together or not at all, so a worker killed at
// any moment resumes at the first page not committed, and a worker that lost its lease (another
// took the run over) writes nothing more.
//
// Rules for a step:
// - Idempotent: re-running a committed page (or the whole step) changes nothing further. Upsert by
//   the WeCom id; never delete. A row WeCom no longer reports is marked (its last-seen time stays
//   at the last run that saw it); "disappeared" is decided at the end of a complete step, by
//   `lastSeenAt < ctx.startedAt`.
// - Resumable: everything needed to continue is in the checkpoint (cursors, the index of the next
//   batch); `ctx.checkpoint` is null on the first attempt and the last committed value afterwards.
// - No WeCom call inside `commit`'s callback (no transaction is held open across the network).
// - Counts for the run's single audit event go through `counts` (summed across commits).

export type StepName = "directory" | "contacts" | "groups" | "governance";

export type SyncSettings = {
  /** What a member WeCom reports as left (status 5) gets: an offboarding case opened for HR, or a
   * task for HR to open one. */
  leaverAction: "OPEN_CASE" | "HR_TASK";
};

export type CommitProgress = {
  /** The checkpoint to resume from after this commit (JSON). */
  checkpoint: unknown;
  /** Rows this commit processed (added to the step's count). */
  rows?: number;
  /** The step's expected total rows, when known (for "time left"). */
  total?: number;
  /** Named counts for the run's audit event, added up (e.g. {"employees.created": 3}). */
  counts?: Record<string, number>;
};

export type SyncContext = {
  /** The database (the application's client); writes go through `commit`. */
  prisma: DbClient;
  runId: string;
  step: StepName;
  /** When the run started: rows seen by this run carry lastSeenAt >= startedAt. */
  startedAt: Date;
  /** The contact-sync app's client (directory), null when its secret is not set. */
  contacts: WeComClient | null;
  /** The customer-contact app's client (customer contacts and groups), null when not set. */
  customers: WeComClient | null;
  settings: SyncSettings;
  /** The step's last committed checkpoint, or null. */
  checkpoint: unknown;
  /** Writes and checkpoint in one transaction (throws LeaseLost if another worker took the run).
   * `progress` may be a function of what `write` returned (counts known only once written, such as
   * how many rows an upsert created), called inside the transaction after the write. */
  commit<T>(write: (tx: Tx) => Promise<T>, progress: CommitProgress | ((written: T) => CommitProgress)): Promise<T>;
  /** Resolves once `step` is done in this run (at once if it is done already or not part of the
   * run); rejects if it fails. A step that reads WeCom independently but writes rows that depend on
   * another step (owners matched by the directory) prefetches while it waits, then commits. */
  waitFor(step: StepName): Promise<void>;
  /** A non-fatal problem (one member WeCom refused, say): recorded on the run, shown on the page. */
  warn(code: string, params?: Record<string, string | number>): Promise<void>;
  /** The clock (tests pass their own). */
  now: () => Date;
  log: (line: string) => void;
};

export type SyncStep = { name: StepName; run(ctx: SyncContext): Promise<void> };

/** Context for applying one verified callback event (lib/wecom/jobs.ts dispatches by event). */
export type EventContext = {
  prisma: DbClient;
  contacts: WeComClient | null;
  customers: WeComClient | null;
  settings: SyncSettings;
  now: () => Date;
  log: (line: string) => void;
};

/** The decrypted event's XML fields (Event, ChangeType, UserID, ExternalUserID, ChatId, …). */
export type EventFields = Record<string, string>;

/** Applies one event's change at once (the same upserts as the sync); idempotent. */
export type EventHandler = (ctx: EventContext, fields: EventFields) => Promise<{ applied: boolean }>;
