"use server";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { clientsFor } from "@/lib/wecom/connection";
import { WeComError } from "@/lib/wecom/errors";
import { enqueueOutbox } from "@/lib/wecom/queue";
import { loadConnection } from "@/lib/wecom/settings";
import { refreshCaseResults } from "./outbox";
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
  refreshResultsSchema,
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

// "刷新结果" (issue 15): asks WeCom's transfer_result for this case now rather than at the next
// 10-minute poll. The WeCom call runs outside the action's transaction; refreshCaseResults writes
// its own audit event (who asked) and refuses a second refresh of the case within 30 s.
export const refreshResultsAction = defineAction({
  schema: refreshResultsSchema,
  permission: "offboarding.manage",
  mutation: false,
  run: async ({ actor, input }) => {
    const client = db();
    const c = await client.offboardingCase.findUnique({ where: { id: input.caseId }, select: { id: true } });
    if (!c) throw new DomainError("NOT_FOUND", "errors.notFound");
    const { customers } = clientsFor(client, await loadConnection(client));
    if (!customers) throw new DomainError("INVALID_STATE", "offboarding.errors.refreshNotConfigured");
    try {
      return await refreshCaseResults(client, customers, { id: actor.id, label: actor.email, ip: actor.ip }, input.caseId);
    } catch (e) {
      if (e instanceof WeComError) throw new DomainError("INVALID_STATE", "offboarding.errors.refreshWecom", { params: { errcode: e.errcode ?? e.kind, zh: e.zh, en: e.en } });
      throw e;
    }
  },
  revalidate: all,
});
