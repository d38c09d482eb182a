import { notifyTeam } from "@/lib/notifications/service";
import { sendNotifications } from "@/lib/notifications/store";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";

// Complaint escalation (SPEC §8): when a complaint's next target passes its due time while the
// case is open (not waiting on the customer), the team's manager is told — once per target.
// Used by the per-case job scheduled for the moment of breach, by the periodic sweep (the safety
// net) and by the commands (a case recorded already breached). Free of "server-only" and Next.js
// so the worker can load it. Idempotent: the escalation row is unique per (case, target) and the
// notification is only sent by the run that inserted it.

type Audit = (event: AuditInput) => Promise<void>;
export const CASE_ENTITY = "ServiceCase";
export type EscalationSource = "job" | "sweep" | "command";

/** The manager of the team, walking up the tree while a department has none; when nobody
 * manages any department above, the active ADMINs. */
export async function teamManagerIds(tx: Tx, teamId: string): Promise<string[]> {
  let id: string | null = teamId;
  for (let depth = 0; id && depth < 50; depth++) {
    const d: { parentId: string | null; manager: { id: string; status: string } | null } | null = await tx.department.findUnique({
      where: { id },
      select: { parentId: true, manager: { select: { id: true, status: true } } },
    });
    if (!d) break;
    if (d.manager && d.manager.status === "ACTIVE") return [d.manager.id];
    id = d.parentId;
  }
  const admins = await tx.employee.findMany({ where: { status: "ACTIVE", roles: { some: { role: "ADMIN" } } }, select: { id: true }, orderBy: { id: "asc" } });
  return admins.map((a) => a.id);
}

/** Escalates the case if it is a complaint whose next target is breached at `now` and has not
 * been escalated; true when this call did it. */
export async function escalateIfBreached(tx: Tx, audit: Audit, caseId: string, now: Date, source: EscalationSource): Promise<boolean> {
  const c = await tx.serviceCase.findUnique({
    where: { id: caseId },
    select: { id: true, title: true, caseType: true, status: true, teamId: true, nextDueAt: true, nextTarget: true },
  });
  if (!c || c.caseType !== "COMPLAINT" || c.status !== "OPEN" || !c.nextDueAt || !c.nextTarget) return false;
  if (c.nextDueAt.getTime() >= now.getTime()) return false;
  const recipients = await teamManagerIds(tx, c.teamId);
  const { count } = await tx.serviceEscalation.createMany({
    data: [{ caseId: c.id, target: c.nextTarget, dueAt: c.nextDueAt, recipientIds: recipients, escalatedAt: now, source }],
    skipDuplicates: true,
  });
  if (count === 0) return false;
  await sendNotifications(
    tx,
    recipients.map((recipientId) => ({
      recipientId,
      kind: "service.escalation",
      messageKey: `service.attention.escalated${c.nextTarget === "FIRST_RESPONSE" ? "FirstResponse" : "Resolution"}`,
      params: { title: c.title },
      href: `/service/${c.id}`,
      dedupeKey: `service.escalation:${c.id}:${c.nextTarget}:${recipientId}`,
      urgent: true,
      deadline: c.nextDueAt,
    })),
    now,
  );
  // The team's group robot (if ADMIN configured one for the department or one above it).
  await notifyTeam(
    tx,
    [{ departmentId: c.teamId, kind: "service.breach", messageKey: `service.attention.escalated${c.nextTarget === "FIRST_RESPONSE" ? "FirstResponse" : "Resolution"}`, params: { title: c.title }, href: `/service/${c.id}`, dedupeKey: `service.breach:${c.id}:${c.nextTarget}`, urgent: true, deadline: c.nextDueAt }],
    now,
  );
  await audit({ action: "service.escalate", entityType: CASE_ENTITY, entityId: c.id, before: null, after: { target: c.nextTarget, dueAt: c.nextDueAt, recipients, source, at: now } });
  return true;
}

/** The sweep: every open complaint past its next due time and not yet escalated for it. */
export async function escalateDueCases(tx: Tx, audit: Audit, now: Date, limit = 500): Promise<number> {
  const due = await tx.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "service_cases" c
     WHERE c."case_type" = 'COMPLAINT' AND c."status" = 'OPEN' AND c."next_due_at" < ${now}
       AND NOT EXISTS (SELECT 1 FROM "service_escalations" e WHERE e."case_id" = c."id" AND e."target" = c."next_target")
     ORDER BY c."next_due_at" LIMIT ${limit}`;
  let n = 0;
  for (const { id } of due) if (await escalateIfBreached(tx, audit, id, now, "sweep")) n++;
  return n;
}
