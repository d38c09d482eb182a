import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";
import { CASE_ENTITY } from "./entities";
import { departedUpTo, isoDay } from "./time";

// The offboarding work the jobs do (lib/jobs), also used by the commands. Kept free of
// "server-only" and of Next.js so the worker process and instrumentation can load it. Each is a
// conditional, set-based update: running it twice, or in two workers at once, changes nothing more.

type Audit = (event: AuditInput) => Promise<void>;

/**
 * The job's work when WeCom is not connected: every transfer whose 24 hours have passed completes
 * (WeCom completes it by itself unless the customer declined). Transfers sent through WeCom
 * (via_wecom) are left to WeCom's results (lib/offboarding/outbox.ts), never to this timer. Conditional on WAITING/TRANSFERRING and due ≤ now, so a
 * second run, or two workers at once, change nothing more. One audit event per case touched.
 */
export async function completeDueTransfers(tx: Tx, audit: Audit, now: Date): Promise<number> {
  const done = await tx.$queryRaw<{ case_id: string; n: bigint }[]>`
    WITH t AS (
      UPDATE "contact_transfers" SET "status" = 'DONE', "finished_at" = "due_at", "updated_at" = ${now}
      WHERE "status" = 'WAITING' AND "due_at" <= ${now} AND NOT "via_wecom"
      RETURNING "contact_id", "handover_item_id"
    ), c AS (
      UPDATE "customer_contacts" cc SET "status" = 'TRANSFERRED', "version" = cc."version" + 1, "updated_at" = ${now}
      FROM t WHERE cc."id" = t."contact_id" AND cc."status" = 'ACTIVE' RETURNING cc."id"
    ), i AS (
      UPDATE "handover_items" h SET "status" = 'DONE', "completed_at" = h."transfer_due_at", "version" = h."version" + 1, "updated_at" = ${now}
      FROM t WHERE h."id" = t."handover_item_id" AND h."status" = 'TRANSFERRING' AND h."transfer_due_at" <= ${now}
      RETURNING h."case_id"
    )
    SELECT "case_id", count(*)::bigint AS n FROM i GROUP BY "case_id"`;
  let total = 0;
  for (const row of done) {
    total += Number(row.n);
    await audit({ action: "offboarding.transfersCompleted", entityType: CASE_ENTITY, entityId: row.case_id, before: null, after: { completed: Number(row.n), at: now } });
  }
  return total;
}

/**
 * The leaver becomes DEPARTED (their portal access ends: getActor refuses them) once their last
 * working day's 18:00 China time has passed. Idempotent: conditional on OFFBOARDING and on the case
 * not yet marked. Used by the job (system actor) and by HR by hand.
 */
/** `latestLastDay`: the latest last working day that may depart now — the sweep's 18:00 rule by
 * default; HR by hand passes today. */
export async function departCase(tx: Tx, audit: Audit, caseId: string, now: Date, latestLastDay = departedUpTo(now)): Promise<boolean> {
  const c = await tx.offboardingCase.findUnique({ where: { id: caseId } });
  if (!c || c.departedAt || c.status === "CANCELLED") return false;
  if (c.lastWorkingDay.getTime() > latestLastDay.getTime()) return false;
  const marked = await tx.offboardingCase.updateMany({ where: { id: c.id, departedAt: null }, data: { departedAt: now, version: { increment: 1 } } });
  if (marked.count !== 1) return false;
  const moved = await tx.employee.updateMany({ where: { id: c.employeeId, status: "OFFBOARDING" }, data: { status: "DEPARTED", version: { increment: 1 } } });
  await audit({
    action: "offboarding.departed",
    entityType: "Employee",
    entityId: c.employeeId,
    before: { status: "OFFBOARDING" },
    after: { status: moved.count === 1 ? "DEPARTED" : "unchanged", caseId: c.id, lastWorkingDay: isoDay(c.lastWorkingDay) },
  });
  return true;
}

/** The job's work: every case whose departure instant has passed. */
export async function departDueCases(tx: Tx, audit: Audit, now: Date): Promise<number> {
  const due = await tx.offboardingCase.findMany({
    where: { departedAt: null, status: { not: "CANCELLED" }, lastWorkingDay: { lte: departedUpTo(now) } },
    select: { id: true },
    take: 500,
  });
  let n = 0;
  for (const c of due) if (await departCase(tx, audit, c.id, now)) n++;
  return n;
}
