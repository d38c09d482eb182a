import type { ApprovalEffect, ApprovalEffectContext, RequestType } from "@/lib/approvals/types";
import { DomainError } from "@/lib/server/errors";
import { ACCOUNT_ENTITY } from "./audit-view";
import { DISSOLVABLE_STATUSES, type AccountStatus } from "./schemas";

// What the end of an ACCOUNT_CREATE or ACCOUNT_DISSOLVE request does to its account, inside the
// transaction of the decision (or withdrawal) that ends it. Each is one conditional update on
// the status: the move happens only from the state the request put the account in, so it is
// never applied twice; a repeat finds it already moved and does nothing. A dissolution refused
// or withdrawn puts the account back in the state it was in when asked (payload.priorStatus).

type Transition = { type: RequestType; from: AccountStatus; to: AccountStatus | ((ctx: ApprovalEffectContext) => AccountStatus); action: string };

function priorStatus(ctx: ApprovalEffectContext): AccountStatus {
  const prior = (ctx.request.payload as { priorStatus?: unknown } | null)?.priorStatus;
  return typeof prior === "string" && (DISSOLVABLE_STATUSES as readonly string[]).includes(prior) ? (prior as AccountStatus) : "ACTIVE";
}

async function apply(ctx: ApprovalEffectContext, t: Transition): Promise<void> {
  const { tx, audit, request } = ctx;
  if (request.type !== t.type || request.subjectType !== ACCOUNT_ENTITY) {
    throw new Error(`A ${request.type} request about ${request.subjectType} reached the ${t.type} account effect`);
  }
  const account = await tx.account.findUnique({ where: { id: request.subjectId }, select: { id: true, status: true, version: true } });
  if (!account) throw new Error(`Approval request ${request.id} names account ${request.subjectId}, which does not exist`);
  const to = typeof t.to === "function" ? t.to(ctx) : t.to;
  if (account.status === to) return; // already applied
  if (account.status !== t.from) throw new DomainError("INVALID_STATE", "accounts.errors.effectState", { params: { status: account.status } });
  const { count } = await tx.account.updateMany({ where: { id: account.id, status: t.from }, data: { status: to, version: { increment: 1 } } });
  if (count !== 1) return;
  await audit({
    action: t.action,
    entityType: ACCOUNT_ENTITY,
    entityId: account.id,
    before: { status: account.status, version: account.version },
    after: { status: to, version: account.version + 1, requestId: request.id, ...(ctx.comment ? { comment: ctx.comment } : {}) },
  });
}

export const accountCreateEffect: ApprovalEffect = {
  onApproved: (ctx) => apply(ctx, { type: "ACCOUNT_CREATE", from: "REQUESTED", to: "ACTIVE", action: "account.activate" }),
  onRejected: (ctx) => apply(ctx, { type: "ACCOUNT_CREATE", from: "REQUESTED", to: "REJECTED", action: "account.reject" }),
  onWithdrawn: (ctx) => apply(ctx, { type: "ACCOUNT_CREATE", from: "REQUESTED", to: "WITHDRAWN", action: "account.withdraw" }),
};

export const accountDissolveEffect: ApprovalEffect = {
  onApproved: (ctx) => apply(ctx, { type: "ACCOUNT_DISSOLVE", from: "DISSOLUTION_PENDING", to: "DISSOLVED", action: "account.dissolve" }),
  onRejected: (ctx) => apply(ctx, { type: "ACCOUNT_DISSOLVE", from: "DISSOLUTION_PENDING", to: priorStatus, action: "account.dissolutionReject" }),
  onWithdrawn: (ctx) => apply(ctx, { type: "ACCOUNT_DISSOLVE", from: "DISSOLUTION_PENDING", to: priorStatus, action: "account.dissolutionWithdraw" }),
};
