"use server";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db";
import { batchApprove } from "./batch";
import { decideCommand, updateChainCommand, withdrawCommand } from "./commands";
import { batchApproveSchema, chainUpdateSchema, decisionSchema, withdrawSchema } from "./schemas";

// Approvals' Server Actions. Deciding is not a permission (the step's approver decides, checked
// by the engine), so decide and withdraw need only a signed-in person.
//
// Decide and withdraw revalidate nothing: a revalidation re-renders the request page within the
// action's response, which removes the form that was just used before it can report success.
// Their forms navigate to the request page instead (`?done=`), which renders afresh (every page
// is dynamic: decision 0001).

const CHAINS = "/settings/approval-chains";

export const decideApprovalAction = defineAction({
  schema: decisionSchema,
  permission: "signed-in",
  run: decideCommand,
});

/**
 * Approves several low-risk requests, each in its own transaction through the engine (one
 * refusal does not undo the others; each decision is audited on its own), so the action itself
 * opens none (mutation: false) and returns one result per item.
 */
export const batchApproveAction = defineAction({
  schema: batchApproveSchema,
  permission: "signed-in",
  mutation: false,
  run: ({ actor, input }) => batchApprove(db(), actor, input.items),
  revalidate: () => ["/approvals"],
});

export const withdrawApprovalAction = defineAction({
  schema: withdrawSchema,
  permission: "signed-in",
  run: withdrawCommand,
});

export const updateApprovalChainAction = defineAction({
  schema: chainUpdateSchema,
  permission: "approvals.configure",
  run: updateChainCommand,
  revalidate: () => [CHAINS],
});
