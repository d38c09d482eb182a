import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AttentionItem } from "@/lib/home/attention";
import type { Actor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import type { Tx } from "@/lib/server/prisma-client";
import { scopeSql, trainingScope } from "./scope";

// The home page's training items: the person's own courses and policies open (overdue ones
// counted apart), and for readers of others' training the number overdue in their scope.

export async function trainingAttentionFrom(actor: Pick<Actor, "id" | "permissions" | "departmentPath">, tx: Tx, now = new Date()): Promise<AttentionItem[]> {
  const items: AttentionItem[] = [];
  // The person's own three counts in one statement (one round trip instead of three).
  const [{ open, overdue, policies }] = await tx.$queryRaw<{ open: number; overdue: number; policies: number }[]>`
    SELECT count(*) FILTER (WHERE a."status" = 'ASSIGNED')::int AS open,
           count(*) FILTER (WHERE a."status" = 'ASSIGNED' AND a."due_at" < ${now})::int AS overdue,
           (SELECT count(*)::int FROM "policy_acknowledgements" p WHERE p."employee_id" = ${actor.id} AND p."current" AND p."acknowledged_at" IS NULL) AS policies
      FROM "training_assignments" a
     WHERE a."employee_id" = ${actor.id} AND a."current"`;
  if (overdue > 0) items.push({ key: "training.mineOverdue", labelKey: "training.attention.mineOverdue", params: { count: overdue }, href: "/training" });
  if (open - overdue > 0) items.push({ key: "training.mineOpen", labelKey: "training.attention.mineOpen", params: { count: open - overdue }, href: "/training" });
  if (policies > 0) items.push({ key: "training.policies", labelKey: "training.attention.policies", params: { count: policies }, href: "/training" });
  const scope = trainingScope(actor);
  if (scope) {
    // The people of the scope with a current course assignment open past its due date: their
    // summary's earliest open due date (training_person_summaries.course_dues, ascending, kept by
    // triggers with the assignments) is before now. One row per person instead of every open
    // assignment of the scope (docs/performance.md, sixth session).
    // Everyone's (ADMIN, AUDITOR, HR): the summaries alone, less the people who have left (a
    // look-up of a few hundred), without reading every person's row and department (20,000
    // people: 7.5 → 3.0 ms; docs/performance.md, eleventh session).
    const [row] = await tx.$queryRaw<{ n: number }[]>(
      scope.kind === "all"
        ? Prisma.sql`
      SELECT count(*)::int AS n FROM "training_person_summaries" t
       WHERE t."course_dues"[1] < ${now} AND NOT EXISTS (SELECT 1 FROM "employees" x WHERE x."id" = t."employee_id" AND x."status" = 'DEPARTED')`
        : Prisma.sql`
      SELECT count(*)::int AS n FROM "training_person_summaries" t
        JOIN "employees" e ON e."id" = t."employee_id" JOIN "departments" d ON d."id" = e."department_id"
       WHERE t."course_dues"[1] < ${now} AND e."status" <> 'DEPARTED' AND ${scopeSql(scope)}`,
    );
    if (row.n > 0) items.push({ key: "training.teamOverdue", labelKey: "training.attention.teamOverdue", params: { count: row.n }, href: "/training/overview?state=overdue" });
  }
  return items;
}

export async function trainingAttention(actor: Actor): Promise<AttentionItem[]> {
  return trainingAttentionFrom(actor, db());
}
