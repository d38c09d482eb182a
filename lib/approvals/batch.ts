import "server-only";
import type { Actor } from "@/lib/server/actor";
import type { DbClient } from "@/lib/server/db";
import { DomainError, notFound } from "@/lib/server/errors";
import { inUnitOfWork } from "@/lib/server/unit-of-work";
import { canViewRequest } from "./access";
import { isBatchApprovable } from "./batch-rules";
import { decideApprovalStep, type EngineOptions } from "./engine";
import type { RequestStatus } from "./types";

// Batch approval (docs/approvals.md): the person ticks several low-risk requests in the inbox and
// approves them together. Each item is its own unit of work through the same command a single
// decision takes (decideApprovalStep, the engine behind decideCommand: visibility, the step's approver, segregation of
// duties, the row lock, the audit event), so one refusal does not undo the others and each
// decision is audited on its own. The low-risk rule is checked again here, item by item.

export type BatchItem = { requestId: string; stepId: string };
export type BatchItemResult =
  | { requestId: string; title: string | null; ok: true; status: RequestStatus }
  | { requestId: string; title: string | null; ok: false; code: string; messageKey: string; params?: Record<string, string | number> };

export async function batchApprove(client: DbClient, actor: Actor, items: BatchItem[], options: EngineOptions = {}): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.requestId)) continue;
    seen.add(item.requestId);
    let title: string | null = null;
    try {
      const status = await inUnitOfWork(client, actor, async ({ tx, audit }) => {
        const request = await tx.approvalRequest.findUnique({
          where: { id: item.requestId },
          select: { title: true, type: true, facts: true, requesterId: true, steps: { select: { status: true, role: true, approverId: true, personId: true, decidedById: true } } },
        });
        // Not visible to them: the same answer as a request that does not exist (no title either).
        if (!request || !canViewRequest(actor, request)) throw notFound();
        title = request.title;
        if (!isBatchApprovable(request)) throw new DomainError("FORBIDDEN", "approvals.batchErrors.notBatchable");
        const out = await decideApprovalStep({ tx, audit, actor }, { requestId: item.requestId, stepId: item.stepId, decision: "APPROVE" }, options);
        return out.status;
      });
      results.push({ requestId: item.requestId, title, ok: true, status });
    } catch (error) {
      if (error instanceof DomainError) {
        results.push({ requestId: item.requestId, title, ok: false, code: error.code, messageKey: error.messageKey, params: error.options.params });
      } else {
        const ref = crypto.randomUUID().slice(0, 8);
        console.error(`[approvals batch ${ref}]`, error);
        results.push({ requestId: item.requestId, title, ok: false, code: "UNEXPECTED", messageKey: "errors.unexpected", params: { ref } });
      }
    }
  }
  return results;
}
