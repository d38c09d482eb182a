import { contactsStep } from "./contacts";
import { directoryStep } from "./directory";
import { governanceStep } from "./governance";
import { groupsStep } from "./groups";
import type { SyncContext, SyncStep } from "./types";

// The sync's steps in the order the runner takes them. The directory, customer contacts and
// customer groups run side by side (each API has its own pacing budget, so their calls do not wait
// for each other); contacts and groups match WeCom userids to employees, so they commit nothing
// before the directory step is done (ctx.waitFor) — the groups step reads ahead meanwhile, which
// is what keeps a scale-1 sync within its time (docs/wecom.md, "Benchmark"). Then the membership
// check over what the groups step stored.

/** A step whose app secret is not set is skipped with a note for the admin, not failed. */
function needs(app: "contacts" | "customers", step: SyncStep): SyncStep {
  return {
    name: step.name,
    async run(ctx: SyncContext) {
      if (ctx[app]) return step.run(ctx);
      await ctx.warn(`wecom.sync.warnings.noSecret.${app}`);
      await ctx.commit(async () => undefined, { checkpoint: { skipped: true } });
    },
  };
}

export const PHASES: SyncStep[][] = [[needs("contacts", directoryStep), needs("customers", contactsStep), needs("customers", groupsStep)], [governanceStep]];
