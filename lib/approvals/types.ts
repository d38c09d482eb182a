import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/db";

// The contract between the approvals engine (lib/approvals) and the capabilities whose requests
// it decides (work groups now; accounts and content later). A new request type adds a value here,
// a default chain, and an effect: the engine itself does not change.

export const REQUEST_TYPES = ["GROUP_CREATE", "GROUP_DISSOLVE", "ACCOUNT_CREATE", "ACCOUNT_DISSOLVE", "CONTENT_PUBLISH"] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const CLASSIFICATIONS = ["PUBLIC", "INTERNAL", "CONFIDENTIAL", "SECRET"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** What the engine needs to know about a request to resolve its chain's steps. */
export type ApprovalFacts = {
  /** The department whose manager a DEPARTMENT_MANAGER step asks (walking up the tree when it has
   * none): the requester's department for a creation, the owner's department for a dissolution. */
  managerOfDepartmentId: string;
  /** Steps may apply only to some classifications (the PRIVACY_OFFICER step). */
  classification?: Classification;
};

export type ApprovalRequestRef = {
  id: string;
  type: RequestType;
  subjectType: string;
  subjectId: string;
  requesterId: string;
  payload: unknown;
};

/** Runs inside the transaction of the decision that ends the request. */
export type ApprovalEffectContext = {
  tx: Tx;
  audit: (event: AuditInput) => Promise<void>;
  /** Who made the final decision (or withdrew). */
  actor: Actor;
  request: ApprovalRequestRef;
  /** The decider's comment (always present on a rejection). */
  comment?: string;
};

export type ApprovalEffect = {
  /** The last approval: apply the request (the group becomes ACTIVE, ...). */
  onApproved(ctx: ApprovalEffectContext): Promise<void>;
  /** The first rejection ends the request. */
  onRejected(ctx: ApprovalEffectContext): Promise<void>;
  /** The requester withdrew it while pending. */
  onWithdrawn(ctx: ApprovalEffectContext): Promise<void>;
};

// ---------------------------------------------------------------------------------------------
// Added by the engine (compatible with the contract above).

export const STEP_KINDS = ["DEPARTMENT_MANAGER", "ROLE", "PERSON"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const REQUEST_STATUSES = ["PENDING", "APPROVED", "REJECTED", "WITHDRAWN"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const STEP_STATUSES = ["WAITING", "PENDING", "APPROVED", "REJECTED", "SKIPPED", "CANCELLED", "AUTO_APPROVED"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** When a chain step applies. An empty or missing list of classifications means always. */
export type StepCondition = { classifications?: Classification[] };

/**
 * One line of the human-readable summary a capability may put in `payload.summary`; the request
 * page shows it instead of the generic key/value rendering. Labels and values are either i18n
 * keys (`labelKey`, `valueKey`: shown in the reader's language) or literal text.
 */
export type ApprovalPayloadSummaryItem = {
  labelKey?: string;
  label?: string;
  valueKey?: string;
  value?: string | number | boolean | null;
};

/**
 * The conventions of `payload` (all optional; anything else is kept and shown as key/value):
 * `summary` for the request page, `subjectHref` (a path starting with "/") linking to the subject.
 */
export type ApprovalPayload = {
  summary?: ApprovalPayloadSummaryItem[];
  subjectHref?: string;
  [key: string]: unknown;
};
