import type { Classification, RequestType } from "./types";

// Which requests are low-risk enough to approve several at once (docs/approvals.md, "Batch
// approval"). Pure, so the inbox (which offers the checkbox) and the batch command (which checks
// again, item by item, on the server) apply the same rule.
//
// Low-risk, explicitly: a request type listed here, whose classification is one the type lists.
// Today only creating a PUBLIC or INTERNAL work group: it is reversible (the group can be
// dissolved), holds no personal data yet, and its chain's other steps still run. Dissolutions,
// accounts and content publication are never batched: they end something, reach outside, or
// change who can act as the company.

export const BATCH_APPROVAL_RULES: Partial<Record<RequestType, { classifications: readonly Classification[] }>> = {
  GROUP_CREATE: { classifications: ["PUBLIC", "INTERNAL"] },
};

/** At most this many items in one batch. */
export const BATCH_MAX = 50;

export function isBatchApprovable(request: { type: RequestType | string; facts: unknown }): boolean {
  const rule = BATCH_APPROVAL_RULES[request.type as RequestType];
  if (!rule) return false;
  const classification = (request.facts as { classification?: unknown } | null)?.classification;
  return typeof classification === "string" && (rule.classifications as readonly string[]).includes(classification);
}
