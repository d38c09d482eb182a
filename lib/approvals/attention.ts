import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { runAttentionQuery, type AttentionQuery } from "@/lib/home/attention-query";
import type { Actor } from "@/lib/server/actor";
import { db, type Tx } from "@/lib/server/db";

// "N approvals wait for you (M overdue)" for the home page; nothing when none wait. The steps are
// the inbox's (lib/approvals/queries.ts `pendingOnWhere`, counted by `countPendingOn`): pending
// steps of pending requests, theirs by name or their role's while they are ACTIVE, never a step of
// their own request nor of a request they decided another step of. Counted here in one statement
// (the person's status, both counts) instead of three in two round trips; a test compares it with
// `countPendingOn`. The home page runs it in its one statement (lib/home/attention-query.ts).

export function approvalAttentionQuery(actor: Pick<Actor, "id" | "roles">, now = new Date()): AttentionQuery<{ count: number; overdue: number }> {
  return { sql: Prisma.sql`
    SELECT count(*)::int AS count, count(*) FILTER (WHERE s.due_at < ${now})::int AS overdue
      FROM approval_request_steps s JOIN approval_requests r ON r.id = s.request_id
     WHERE s.status = 'PENDING' AND r.status = 'PENDING' AND r.requester_id <> ${actor.id}
       AND NOT EXISTS (SELECT 1 FROM approval_request_steps d WHERE d.request_id = r.id AND d.decided_by_id = ${actor.id})
       AND (s.approver_id = ${actor.id}
            OR (s.approver_id IS NULL AND s.role::text = ANY (${[...actor.roles]}::text[])
                AND EXISTS (SELECT 1 FROM employees e WHERE e.id = ${actor.id} AND e.status = 'ACTIVE')))`,
    items: ({ count, overdue }) =>
      count === 0
        ? []
        : [
            {
              key: "approvals.pending",
              labelKey: overdue > 0 ? "approvals.attention.waitingOverdue" : "approvals.attention.waiting",
              params: { count, overdue },
              href: "/approvals",
            },
          ],
  };
}

export async function approvalAttention(actor: Pick<Actor, "id" | "roles">, client: Tx = db(), now = new Date()) {
  return runAttentionQuery(client, approvalAttentionQuery(actor, now));
}
