import { contactsStep } from "./contacts";
import { directoryStep } from "./directory";
import { governanceStep } from "./governance";
import { groupsStep } from "./groups";
import type { SyncContext, SyncStep } from "./types";

// The sync's steps in the order the runner takes them: the directory first (the other steps match
// WeCom userids to employees), then customer contacts and customer groups side by side (both
// read through the customer-contact app; each API has its own pacing budget), then the membership
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

export const PHASES: SyncStep[][] = [[needs("contacts", directoryStep)], [needs("customers", contactsStep), needs("customers", groupsStep)], [governanceStep]];
