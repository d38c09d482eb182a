import { accountCreateEffect, accountDissolveEffect } from "@/lib/accounts/approval-effects";
import { contentPublishEffect } from "@/lib/content/approval-effects";
import { groupCreateEffect, groupDissolveEffect } from "@/lib/groups/approval-effects";
import type { ApprovalEffect, RequestType } from "./types";

// What ending a request does, per request type. The engine calls exactly one of these inside the
// transaction of the decision (or withdrawal) that ends the request. The map is typed by
// RequestType, so a new request type does not compile until its effect exists.

export type ApprovalEffects = Readonly<Record<RequestType, ApprovalEffect>>;

export const APPROVAL_EFFECTS: ApprovalEffects = {
  GROUP_CREATE: groupCreateEffect,
  GROUP_DISSOLVE: groupDissolveEffect,
  ACCOUNT_CREATE: accountCreateEffect,
  ACCOUNT_DISSOLVE: accountDissolveEffect,
  CONTENT_PUBLISH: contentPublishEffect,
};
