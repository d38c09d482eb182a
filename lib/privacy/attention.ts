import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AttentionItem } from "@/lib/home/attention";
import { runAttentionQuery, type AttentionQuery } from "@/lib/home/attention-query";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { REGULATOR_REPORT_HOURS, REPORTABLE_SEVERITIES } from "./schemas";

// The privacy officer's home page: data-subject requests past their due date, and serious
// incidents not reported to the regulator 4 hours after detection (PIPL Art. 57; CAC measures).
// Both counted in one statement, with the conditions of the request list's "overdue" filter and of
// `unreportedWhere` (lib/privacy/queries.ts); a test compares them.

/** The statement and its items (the home page runs it in its one statement: lib/home/attention-query.ts); null without privacy.manage. */
export function privacyAttentionQuery(actor: Pick<Actor, "permissions">, now = new Date()): AttentionQuery<{ overdue: number; unreported: number }> | null {
  if (!actor.permissions.has("privacy.manage")) return null;
  const reportBy = new Date(now.getTime() - REGULATOR_REPORT_HOURS * 3_600_000);
  const sql = Prisma.sql`
    SELECT (SELECT count(*)::int FROM privacy_requests WHERE status IN ('RECEIVED', 'VERIFIED') AND due_at < ${now}) AS overdue,
           (SELECT count(*)::int FROM privacy_incidents
             WHERE severity::text = ANY (${[...REPORTABLE_SEVERITIES]}::text[]) AND regulator_notified_at IS NULL
               AND detected_at <= ${reportBy} AND status = 'OPEN') AS unreported`;
  return { sql, items: privacyItems };
}

function privacyItems({ overdue, unreported }: { overdue: number; unreported: number }): AttentionItem[] {
  const items: AttentionItem[] = [];
  if (overdue > 0) items.push({ key: "privacy.overdueRequests", labelKey: "privacy.attention.overdueRequests", params: { count: overdue }, href: "/privacy/requests?overdue=1" });
  if (unreported > 0) items.push({ key: "privacy.unreportedIncidents", labelKey: "privacy.attention.unreportedIncidents", params: { count: unreported }, href: "/privacy/incidents" });
  return items;
}

export async function privacyAttentionFrom(actor: Pick<Actor, "permissions">, tx: Tx, now = new Date()): Promise<AttentionItem[]> {
  return runAttentionQuery(tx, privacyAttentionQuery(actor, now));
}
