import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AttentionItem } from "@/lib/home/attention";
import { runAttentionQuery, type AttentionQuery } from "@/lib/home/attention-query";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { shanghaiToday } from "./time";

// What needs a person's attention about offboarding (the home page): for HR (offboarding.manage)
// open cases, cases past the last working day and customer contacts still at risk; for anyone,
// the handover items assigned to them as successor that are not finished.

// Compared as the enum, not as text: the (case_id, kind, status) index then answers the whole
// condition. Contacts at risk are counted per open case through that index: at scale 1 (41,268
// such contacts in 196 open cases) 11.0 → 4.3 ms, where a join read every contact item of every
// case and cast each status (docs/performance.md, eleventh session).
const UNFINISHED = Prisma.sql`('PENDING', 'TRANSFERRING', 'REFUSED', 'FAILED')`;

type Counts = { open: number; past_due: number; at_risk: number; mine: number };

/** The statement and its items (the home page runs it in its one statement: lib/home/attention-query.ts). */
export function offboardingAttentionQuery(actor: Pick<Actor, "id" | "permissions">, now = new Date()): AttentionQuery<Counts> {
  const manage = actor.permissions.has("offboarding.manage");
  // One statement for the four counts (the home page's round trips add up: docs/performance.md).
  const hrCounts = manage
    ? Prisma.sql`
        (SELECT count(*)::int FROM offboarding_cases WHERE status = 'OPEN') AS open,
        (SELECT count(*)::int FROM offboarding_cases WHERE status = 'OPEN' AND last_working_day < ${shanghaiToday(now).toISOString().slice(0, 10)}::date) AS past_due,
        (SELECT COALESCE(sum((SELECT count(*) FROM handover_items i WHERE i.case_id = c.id AND i.kind = 'CONTACT' AND i.status IN ${UNFINISHED})), 0)::int
           FROM offboarding_cases c WHERE c.status = 'OPEN') AS at_risk,`
    : Prisma.sql`0 AS open, 0 AS past_due, 0 AS at_risk,`;
  const sql = Prisma.sql`
    SELECT ${hrCounts}
      (SELECT count(*)::int FROM handover_items i JOIN offboarding_cases c ON c.id = i.case_id
        WHERE i.successor_id = ${actor.id} AND i.status IN ${UNFINISHED} AND c.status = 'OPEN') AS mine`;
  return { sql, items: (n) => offboardingItems(n, manage) };
}

function offboardingItems(n: Counts, manage: boolean): AttentionItem[] {
  const items: AttentionItem[] = [];
  if (manage) {
    if (n.open > 0) items.push({ key: "offboarding.openCases", labelKey: "offboarding.attention.open", params: { count: n.open }, href: "/offboarding" });
    if (n.past_due > 0) items.push({ key: "offboarding.pastDue", labelKey: "offboarding.attention.pastDue", params: { count: n.past_due }, href: "/offboarding?view=pastDue" });
    if (n.at_risk > 0) items.push({ key: "offboarding.contactsAtRisk", labelKey: "offboarding.attention.atRisk", params: { count: n.at_risk }, href: "/offboarding" });
  }
  if (n.mine > 0) items.push({ key: "offboarding.mine", labelKey: "offboarding.attention.mine", params: { count: n.mine }, href: "/offboarding/mine" });
  return items;
}

export async function offboardingAttentionFrom(actor: Pick<Actor, "id" | "permissions">, tx: Tx, now = new Date()): Promise<AttentionItem[]> {
  return runAttentionQuery(tx, offboardingAttentionQuery(actor, now));
}
