import type { SyncStep } from "../../lib/wecom/sync/types";

/** A sync step whose commits are timed into `into` (the database side of a step, for the WeCom
 * benchmarks). */
export function timedStep(step: SyncStep, into: { ms: number; commits: number }): SyncStep {
  return {
    name: step.name,
    run: (ctx) =>
      step.run({
        ...ctx,
        async commit(write, progress) {
          const t0 = performance.now();
          try {
            return await ctx.commit(write, progress);
          } finally {
            into.ms += performance.now() - t0;
            into.commits++;
          }
        },
      }),
  };
}
