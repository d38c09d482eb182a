import type { ApprovalEffect } from "@/lib/approvals/types";

// Placeholder until the work-groups capability lands its effects: the approvals engine imports
// these names. Reaching one of them now is a programming error, not a silent success.
const notYet: ApprovalEffect = {
  async onApproved() {
    throw new Error("Work-group approval effects are not implemented yet");
  },
  async onRejected() {
    throw new Error("Work-group approval effects are not implemented yet");
  },
  async onWithdrawn() {
    throw new Error("Work-group approval effects are not implemented yet");
  },
};

export const groupCreateEffect: ApprovalEffect = notYet;
export const groupDissolveEffect: ApprovalEffect = notYet;
