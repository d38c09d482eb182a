import { accountCreateEffect, accountDissolveEffect } from "@/lib/accounts/approval-effects";
import { groupCreateEffect, groupDissolveEffect } from "@/lib/groups/approval-effects";
import type { ApprovalEffect, RequestType } from "./types";

// What ending a request does, per request type. The engine calls exactly one of these inside the
// transaction of the decision (or withdrawal) that ends the request.

export type ApprovalEffects = Readonly<Record<RequestType, ApprovalEffect>>;

/** Raised when a request of a type whose capability has not landed yet reaches its effect. */
export class RequestTypeNotAvailableError extends Error {
  constructor(readonly type: RequestType) {
    super(`Approval requests of type ${type} are not available yet: their capability (accounts) has not been built`);
    this.name = "RequestTypeNotAvailableError";
  }
}

/** The effect of a request type whose capability has not landed (none at present). */
export function notAvailableYet(type: RequestType): ApprovalEffect {
  const fail = async () => {
    throw new RequestTypeNotAvailableError(type);
  };
  return { onApproved: fail, onRejected: fail, onWithdrawn: fail };
}

export const APPROVAL_EFFECTS: ApprovalEffects = {
  GROUP_CREATE: groupCreateEffect,
  GROUP_DISSOLVE: groupDissolveEffect,
  ACCOUNT_CREATE: accountCreateEffect,
  ACCOUNT_DISSOLVE: accountDissolveEffect,
};

/** Request types that may be submitted (a type whose capability has not landed stays out, so no
 * request can reach a notAvailableYet effect). */
export const SUBMITTABLE_REQUEST_TYPES: ReadonlySet<RequestType> = new Set<RequestType>(["GROUP_CREATE", "GROUP_DISSOLVE", "ACCOUNT_CREATE", "ACCOUNT_DISSOLVE"]);
