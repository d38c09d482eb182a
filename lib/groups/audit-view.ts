// How work groups appear in the audit trail. Every event about a group (its request, decisions'
// effects, reviews, transfers, archive records) is filed under entityType "WorkGroup" and the
// group's id, so the group's page reads its whole history with one indexed query. The same string
// is the approval requests' subjectType.

export const GROUP_ENTITY = "WorkGroup";

/** The audit actions about a group, for the history's labels (groups.history.*). */
export const GROUP_AUDIT_ACTIONS = [
  "workGroup.request",
  "workGroup.activate",
  "workGroup.reject",
  "workGroup.withdraw",
  "workGroup.dissolutionRequest",
  "workGroup.dissolve",
  "workGroup.dissolutionReject",
  "workGroup.dissolutionWithdraw",
  "workGroup.review",
  "workGroup.transfer",
  "workGroup.archive",
] as const;

type GroupFields = {
  name: string;
  nameParts: unknown;
  policyVersion: number;
  purpose: string;
  platform: string;
  kind: string;
  departmentId: string;
  ownerId: string | null;
  requesterId: string | null;
  classification: string;
  expectedSize: number;
  status: string;
  version: number;
};

export function groupAuditView(g: GroupFields, administratorIds: readonly string[]) {
  return {
    name: g.name,
    nameParts: g.nameParts,
    policyVersion: g.policyVersion,
    purpose: g.purpose,
    platform: g.platform,
    kind: g.kind,
    departmentId: g.departmentId,
    ownerId: g.ownerId,
    requesterId: g.requesterId,
    administratorIds: [...administratorIds],
    classification: g.classification,
    expectedSize: g.expectedSize,
    status: g.status,
    version: g.version,
  };
}
