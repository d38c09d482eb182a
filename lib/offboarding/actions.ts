"use server";
import { defineAction } from "@/lib/server/action";
import { enqueueOutbox } from "@/lib/wecom/queue";
import {
  assignItem,
  bulkAssign,
  closeCase,
  departNow,
  openCase,
  reassignAccountItem,
  recordFailure,
  recordRefusal,
  requestAccountDissolutionItem,
  signWaiver,
  startItem,
  startTransfers,
} from "./commands";
import {
  accountDissolveSchema,
  assignItemSchema,
  bulkAssignSchema,
  caseRefSchema,
  departSchema,
  failureSchema,
  itemRefSchema,
  openCaseSchema,
  startTransfersSchema,
  waiverSchema,
} from "./schemas";

// The offboarding Server Actions: each one is defineAction (session → actor → zod → permission →
// transaction → command → audit → typed result). The commands check status, version and roles.

const LIST = "/offboarding";
// The pages render per request; revalidating the list and home clears their cached copies.
const all = () => [LIST, "/"];

export const openCaseAction = defineAction({ schema: openCaseSchema, permission: "offboarding.manage", run: (ctx) => openCase(ctx), revalidate: all });
export const bulkAssignAction = defineAction({ schema: bulkAssignSchema, permission: "offboarding.manage", run: (ctx) => bulkAssign(ctx), revalidate: all });
export const assignItemAction = defineAction({ schema: assignItemSchema, permission: "offboarding.manage", run: (ctx) => assignItem(ctx), revalidate: all });
// Starting transfers records the WeCom calls in the outbox; the send is queued after the commit.
export const startTransfersAction = defineAction({ schema: startTransfersSchema, permission: "offboarding.manage", run: (ctx) => startTransfers(ctx), afterCommit: enqueueOutbox, revalidate: all });
export const startItemAction = defineAction({ schema: itemRefSchema, permission: "offboarding.manage", run: (ctx) => startItem(ctx), afterCommit: enqueueOutbox, revalidate: all });
export const recordRefusalAction = defineAction({ schema: itemRefSchema, permission: "offboarding.manage", run: (ctx) => recordRefusal(ctx), revalidate: all });
export const recordFailureAction = defineAction({ schema: failureSchema, permission: "offboarding.manage", run: (ctx) => recordFailure(ctx), revalidate: all });
export const reassignAccountAction = defineAction({ schema: itemRefSchema, permission: "offboarding.manage", run: (ctx) => reassignAccountItem(ctx), revalidate: all });
export const requestAccountDissolutionAction = defineAction({
  schema: accountDissolveSchema,
  permission: "offboarding.manage",
  run: (ctx) => requestAccountDissolutionItem(ctx),
  revalidate: all,
});
export const signWaiverAction = defineAction({ schema: waiverSchema, permission: "offboarding.manage", run: (ctx) => signWaiver(ctx), revalidate: all });
export const closeCaseAction = defineAction({ schema: caseRefSchema, permission: "offboarding.manage", run: (ctx) => closeCase(ctx), revalidate: all });
export const departNowAction = defineAction({ schema: departSchema, permission: "offboarding.manage", run: (ctx) => departNow(ctx), revalidate: all });
