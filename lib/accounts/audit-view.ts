// How accounts appear in the audit trail: every event about an account is filed under entityType
// "Account" and its id (also the approval requests' subjectType). Only masks are ever recorded:
// never a clear identifier or phone number, nor their tokens or hashes.

export const ACCOUNT_ENTITY = "Account";

export const ACCOUNT_AUDIT_ACTIONS = [
  "account.request",
  "account.register",
  "account.activate",
  "account.reject",
  "account.withdraw",
  "account.suspend",
  "account.resume",
  "account.handover",
  "account.reassign",
  "account.dissolutionRequest",
  "account.dissolve",
  "account.dissolutionReject",
  "account.dissolutionWithdraw",
  "account.reveal",
  "account.contactReveal",
] as const;

type AccountFields = {
  type: string;
  displayName: string;
  platformIdMask: string;
  phoneMask: string | null;
  holderId: string | null;
  custodianDepartmentId: string;
  status: string;
  requestedById: string | null;
  note: string | null;
  version: number;
};

export function accountAuditView(a: AccountFields) {
  return {
    type: a.type,
    displayName: a.displayName,
    platformId: a.platformIdMask,
    phone: a.phoneMask,
    holderId: a.holderId,
    custodianDepartmentId: a.custodianDepartmentId,
    status: a.status,
    requestedById: a.requestedById,
    note: a.note,
    version: a.version,
  };
}
