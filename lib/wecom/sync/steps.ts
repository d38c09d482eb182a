import { contactsStep } from "./contacts";
import { directoryStep } from "./directory";
import { governanceStep } from "./governance";
import { groupsStep } from "./groups";
import type { SyncStep } from "./types";

// The sync's steps in the order the runner takes them. The directory, customer contacts and
// customer groups run side by side (each API has its own pacing budget, so their calls do not wait
// for each other); contacts and groups match WeCom userids to employees, so they commit nothing
// before the directory step is done (ctx.waitFor) — the groups step reads ahead meanwhile, which
// is what keeps a scale-1 sync within its time (docs/wecom.md, "Benchmark"). Then the membership
// check over what the groups step stored.

// Each step whose app secret is not set skips itself with a note for the admin (never a failure).
export const PHASES: SyncStep[][] = [[directoryStep, contactsStep, groupsStep], [governanceStep]];
