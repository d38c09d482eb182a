import "server-only";
import type { Tx } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";

// Records under a pending request do not change (issue 13 item 5): the approvers decide on what
// the request shows them, so a group's owner, a review, an account's holder or state stay as they
// were until the request ends (approved, rejected or withdrawn). One check, called by every
// command that changes a record a request can be about (lib/groups/commands.ts,
// lib/accounts/commands.ts, the offboarding handover of a group), after the record is locked: the request and the change it would
// stale are serialised on that lock (submitting a request about a record happens under it too).
// The request's own effect (lib/<domain>/approval-effects.ts) is what changes the record then.

/** The oldest pending request about this record, if any. */
export function pendingRequestAbout(tx: Tx, subjectType: string, subjectId: string) {
  return tx.approvalRequest.findFirst({
    where: { subjectType, subjectId, status: "PENDING" },
    orderBy: { createdAt: "asc" },
    select: { id: true, type: true, title: true },
  });
}

/** Refuses with a message naming the pending request when one is about this record. */
export async function assertNoPendingRequest(tx: Tx, subjectType: string, subjectId: string): Promise<void> {
  const pending = await pendingRequestAbout(tx, subjectType, subjectId);
  if (pending) {
    throw new DomainError("CONFLICT", `approvals.errors.pendingRequest.${pending.type}`, { params: { title: pending.title, requestId: pending.id } });
  }
}
