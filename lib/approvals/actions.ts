"use server";
import { defineAction } from "@/lib/server/action";
import { decideCommand, updateChainCommand, withdrawCommand } from "./commands";
import { chainUpdateSchema, decisionSchema, withdrawSchema } from "./schemas";

// Approvals' Server Actions. Deciding is not a permission (the step's approver decides, checked
// by the engine), so decide and withdraw need only a signed-in person.

const INBOX = "/approvals";
const CHAINS = "/settings/approval-chains";

export const decideApprovalAction = defineAction({
  schema: decisionSchema,
  permission: "signed-in",
  run: decideCommand,
  revalidate: ({ requestId }) => [INBOX, `${INBOX}/${requestId}`, "/"],
});

export const withdrawApprovalAction = defineAction({
  schema: withdrawSchema,
  permission: "signed-in",
  run: withdrawCommand,
  revalidate: ({ requestId }) => [INBOX, `${INBOX}/${requestId}`, "/"],
});

export const updateApprovalChainAction = defineAction({
  schema: chainUpdateSchema,
  permission: "approvals.configure",
  run: updateChainCommand,
  revalidate: () => [CHAINS],
});
