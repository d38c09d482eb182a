import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AttentionItem } from "@/lib/home/attention";
import { runAttentionQuery, type AttentionQuery } from "@/lib/home/attention-query";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";

// What needs a person's attention about service cases (the home page): their own open cases
// past a due time; for managers, escalated complaints of their teams still open. The escalation
// itself also arrives as a notification (lib/service/escalation.ts).

type Counts = { mine: number; breached: number; escalated: number };

/** The statement and its items (the home page runs it in its one statement: lib/home/attention-query.ts); null for a person outside the service desk. */
export function serviceAttentionQuery(actor: Pick<Actor, "id" | "permissions" | "departmentPath">, now = new Date()): AttentionQuery<Counts> | null {
  if (!actor.permissions.has("service.work") && !actor.permissions.has("service.read:department")) return null;
  // One statement for the person's own cases and, for a manager, their teams' escalated ones (the
  // teams: the departments under theirs, as subtreeDepartmentIds reads them).
  const escalatedSql = actor.permissions.has("service.read:department")
    ? Prisma.sql`(SELECT count(*)::int FROM service_cases c
         WHERE c.team_id IN (SELECT d.id FROM departments d WHERE starts_with(d.path, ${actor.departmentPath}))
           AND c.status IN ('OPEN', 'WAITING_CUSTOMER')
           AND EXISTS (SELECT 1 FROM service_escalations e WHERE e.case_id = c.id))`
    : Prisma.sql`0`;
  const sql = Prisma.sql`
    SELECT (SELECT count(*)::int FROM service_cases WHERE assignee_id = ${actor.id} AND status IN ('OPEN', 'WAITING_CUSTOMER', 'RESOLVED')) AS mine,
           (SELECT count(*)::int FROM service_cases WHERE assignee_id = ${actor.id} AND status = 'OPEN' AND next_due_at < ${now}) AS breached,
           ${escalatedSql} AS escalated`;
  return { sql, items: serviceItems };
}

function serviceItems(n: Counts): AttentionItem[] {
  const items: AttentionItem[] = [];
  if (n.breached > 0) items.push({ key: "service.myBreached", labelKey: "service.attention.myBreached", params: { count: n.breached }, href: "/service?view=breached" });
  else if (n.mine > 0) items.push({ key: "service.mine", labelKey: "service.attention.mine", params: { count: n.mine }, href: "/service?view=mine" });
  if (n.escalated > 0) items.push({ key: "service.escalated", labelKey: "service.attention.escalatedOpen", params: { count: n.escalated }, href: "/service?view=breached" });
  return items;
}

export async function serviceAttentionFrom(actor: Pick<Actor, "id" | "permissions" | "departmentPath">, tx: Tx, now = new Date()): Promise<AttentionItem[]> {
  return runAttentionQuery(tx, serviceAttentionQuery(actor, now));
}
