import type { DbClient } from "@/lib/server/prisma-client";
import { ALL_STEPS } from "./runner";
import type { StepName } from "./types";

// What /settings/wecom shows of the sync (and /api/wecom/sync returns while it polls): the latest
// run's steps with their progress, rate and time left, its warnings and error, and the recent runs.
// Rates are rows per second since the step started; time left is (total − rows) / rate, only when
// the step knows its total.

export type StepView = { step: StepName; status: string; rows: number; total: number | null; calls: number; percent: number | null; rowsPerSecond: number | null; secondsLeft: number | null; startedAt: string | null; finishedAt: string | null };
export type RunView = {
  id: string;
  status: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  seconds: number;
  attempts: number;
  calls: number;
  counts: Record<string, number>;
  warningCount: number;
  warnings: { step: string; code: string; params: Record<string, string | number>; at: string }[];
  errorCode: string | null;
  errorParams: Record<string, string | number> | null;
  /** A RUNNING run whose worker stopped renewing its lease (it will be resumed). */
  stalled: boolean;
  steps: StepView[];
};
export type SyncView = { current: RunView | null; recent: RunView[] };

export async function loadSyncView(prisma: DbClient, now = new Date()): Promise<SyncView> {
  const runs = await prisma.weComSyncRun.findMany({ orderBy: { startedAt: "desc" }, take: 10, include: { steps: true } });
  const views = runs.map((r): RunView => {
    const steps = ALL_STEPS.map((name): StepView => {
      const s = r.steps.find((x) => x.step === name);
      const elapsed = s?.startedAt ? ((s.finishedAt ?? now).getTime() - s.startedAt.getTime()) / 1000 : 0;
      const rate = s && elapsed > 0 && s.rows > 0 ? s.rows / elapsed : null;
      const total = s?.total ?? null;
      const done = s?.status === "DONE";
      return {
        step: name,
        status: s?.status ?? "PENDING",
        rows: s?.rows ?? 0,
        total,
        calls: s?.calls ?? 0,
        percent: done ? 100 : total && total > 0 ? Math.min(99, Math.floor(((s?.rows ?? 0) / total) * 100)) : null,
        rowsPerSecond: rate === null ? null : Math.round(rate * 10) / 10,
        secondsLeft: !done && s?.status === "RUNNING" && rate && total !== null ? Math.max(0, Math.round((total - (s?.rows ?? 0)) / rate)) : null,
        startedAt: s?.startedAt?.toISOString() ?? null,
        finishedAt: s?.finishedAt?.toISOString() ?? null,
      };
    });
    return {
      id: r.id,
      status: r.status,
      trigger: r.trigger,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      seconds: Math.round(((r.finishedAt ?? now).getTime() - r.startedAt.getTime()) / 1000),
      attempts: r.attempts,
      calls: steps.reduce((a, s) => a + s.calls, 0),
      counts: r.status === "RUNNING" ? sumCounts(r.steps.map((s) => s.counts as Record<string, number>)) : (r.counts as Record<string, number>),
      warningCount: r.warningCount,
      warnings: (r.warnings as RunView["warnings"]).slice(0, 20),
      errorCode: r.errorCode,
      errorParams: (r.errorParams as Record<string, string | number> | null) ?? null,
      stalled: r.status === "RUNNING" && (!r.leaseUntil || r.leaseUntil < now),
      steps,
    };
  });
  return { current: views[0] ?? null, recent: views };
}

function sumCounts(list: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of list) for (const [k, v] of Object.entries(c ?? {})) out[k] = (out[k] ?? 0) + v;
  return out;
}
