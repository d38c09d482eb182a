import type { ApprovalEffect, ApprovalEffectContext, RequestType } from "@/lib/approvals/types";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DomainError } from "@/lib/server/errors";
import { GROUP_ENTITY } from "./audit-view";
import { loadPolicy } from "./policy";
import { isArchiveFresh, isoDay, reviewDueAfter } from "./policy-rules";
import type { GroupStatus } from "./schemas";

// What the end of a GROUP_CREATE or GROUP_DISSOLVE request does to its work group. The approvals
// engine calls these inside the transaction of the decision (or withdrawal) that ends the
// request. Each is one conditional update on the group's status: the move happens only from
// the state the request put the group in, so it is never applied twice; a repeat finds the group
// already moved and does nothing. Anything else (a group in a state this request cannot have
// left it in) refuses, and the decision is rolled back with it.

type Transition = {
  type: RequestType;
  from: GroupStatus;
  to: GroupStatus;
  action: string;
  data?: (ctx: ApprovalEffectContext, group: { classification: "PUBLIC" | "INTERNAL" | "CONFIDENTIAL" | "SECRET" }, now: Date) => Promise<Prisma.WorkGroupUpdateManyMutationInput>;
};

async function apply(ctx: ApprovalEffectContext, t: Transition): Promise<void> {
  const { tx, audit, request } = ctx;
  if (request.type !== t.type || request.subjectType !== GROUP_ENTITY) {
    throw new Error(`A ${request.type} request about ${request.subjectType} reached the ${t.type} work-group effect`);
  }
  const group = await tx.workGroup.findUnique({
    where: { id: request.subjectId },
    select: { id: true, status: true, classification: true, version: true, reviewDueAt: true },
  });
  if (!group) throw new Error(`Approval request ${request.id} names work group ${request.subjectId}, which does not exist`);
  if (group.status === t.to) return; // already applied
  if (group.status !== t.from) throw new DomainError("INVALID_STATE", "groups.errors.effectState", { params: { status: group.status } });

  const now = new Date();
  const extra = t.data ? await t.data(ctx, group, now) : {};
  const { count } = await tx.workGroup.updateMany({
    where: { id: group.id, status: t.from },
    data: { ...extra, status: t.to, version: { increment: 1 } },
  });
  if (count !== 1) return; // moved meanwhile by the same request's other path: nothing to do twice
  await audit({
    action: t.action,
    entityType: GROUP_ENTITY,
    entityId: group.id,
    before: { status: group.status, version: group.version, reviewDueAt: group.reviewDueAt },
    after: { status: t.to, version: group.version + 1, requestId: request.id, ...(ctx.comment ? { comment: ctx.comment } : {}), ...extra },
  });
}

export const groupCreateEffect: ApprovalEffect = {
  onApproved: (ctx) =>
    apply(ctx, {
      type: "GROUP_CREATE",
      from: "PENDING_APPROVAL",
      to: "ACTIVE",
      action: "workGroup.activate",
      // Recertification starts now: the review date by the group's classification (SPEC §4).
      async data({ tx }, group, now) {
        const policy = await loadPolicy(tx);
        return { activatedAt: now, reviewDueAt: reviewDueAfter(policy, group.classification, now) };
      },
    }),
  onRejected: (ctx) => apply(ctx, { type: "GROUP_CREATE", from: "PENDING_APPROVAL", to: "REJECTED", action: "workGroup.reject" }),
  onWithdrawn: (ctx) => apply(ctx, { type: "GROUP_CREATE", from: "PENDING_APPROVAL", to: "WITHDRAWN", action: "workGroup.withdraw" }),
};

export const groupDissolveEffect: ApprovalEffect = {
  onApproved: (ctx) =>
    apply(ctx, {
      type: "GROUP_DISSOLVE",
      from: "DISSOLUTION_PENDING",
      to: "DISSOLVED",
      action: "workGroup.dissolve",
      // 解散前需备份 holds when the dissolution takes effect, not only when it was asked for: a
      // request can wait for days, so the newest archive must still be younger than the window
      // now; otherwise the final approval is refused (and rolled back) until a new one is recorded.
      // A dissolved group has nothing left to review.
      async data({ tx, request }, _group, now) {
        const policy = await loadPolicy(tx);
        const newest = await tx.workGroupArchive.findFirst({ where: { groupId: request.subjectId }, orderBy: { exportedOn: "desc" }, select: { exportedOn: true } });
        if (!isArchiveFresh(newest?.exportedOn, now, policy.archiveWindowDays)) {
          throw new DomainError("INVALID_STATE", "groups.errors.archiveStaleAtEffect", { params: { days: policy.archiveWindowDays, exportedOn: newest ? isoDay(newest.exportedOn) : "—" } });
        }
        return { dissolvedAt: now, reviewDueAt: null };
      },
    }),
  onRejected: (ctx) => apply(ctx, { type: "GROUP_DISSOLVE", from: "DISSOLUTION_PENDING", to: "ACTIVE", action: "workGroup.dissolutionReject" }),
  onWithdrawn: (ctx) => apply(ctx, { type: "GROUP_DISSOLVE", from: "DISSOLUTION_PENDING", to: "ACTIVE", action: "workGroup.dissolutionWithdraw" }),
};
