import { warnExpiringLicences } from "@/lib/content/licence-warnings";
import { sendNotifications } from "@/lib/notifications/store";
import { completeDueTransfers, departDueCases } from "@/lib/offboarding/sweeps";
import { isoDay, shanghaiToday } from "@/lib/offboarding/time";
import { writeAuditEvent, type AuditActor } from "@/lib/server/audit-write";
import type { DbClient, Tx } from "@/lib/server/prisma-client";

// What each job does, as plain functions of (database, now) so tests run them with a controlled
// clock and run them twice. Each runs in one transaction and audits as the system. Idempotent:
// every write is conditional on the state it starts from.

export const SYSTEM_ACTOR: AuditActor = { id: null, label: "system:jobs", ip: null };

async function inSystemTransaction<T>(prisma: DbClient, work: (tx: Tx, audit: Parameters<typeof completeDueTransfers>[1]) => Promise<T>): Promise<T> {
  return prisma.$transaction((tx) => work(tx, (event) => writeAuditEvent(tx, SYSTEM_ACTOR, event)), { timeout: 60_000, maxWait: 10_000 });
}

export async function runCompleteTransfers(prisma: DbClient, now = new Date()): Promise<{ completed: number }> {
  return { completed: await inSystemTransaction(prisma, (tx, audit) => completeDueTransfers(tx, audit, now)) };
}

export async function runDepartures(prisma: DbClient, now = new Date()): Promise<{ departed: number }> {
  return { departed: await inSystemTransaction(prisma, (tx, audit) => departDueCases(tx, audit, now)) };
}

/**
 * Reminds successors of items waiting on them (assigned, not started, or refused/failed): one
 * notification a successor a day (China date in the dedupe key, so a second run the same day sends
 * nothing), shown on their home page and linking to their handover items.
 */
export async function runRemindSuccessors(prisma: DbClient, log: (line: string) => void = console.log, now = new Date()): Promise<{ successors: number; sent: number }> {
  return inSystemTransaction(prisma, async (tx, audit) => {
    const rows = await tx.handoverItem.groupBy({
      by: ["successorId"],
      where: { successorId: { not: null }, status: { in: ["PENDING", "REFUSED", "FAILED"] }, case: { status: "OPEN" } },
      _count: { _all: true },
    });
    const day = isoDay(shanghaiToday(now));
    const sent = await sendNotifications(
      tx,
      rows.map((r) => ({
        recipientId: r.successorId!,
        kind: "offboarding.reminder",
        messageKey: "offboarding.attention.reminder",
        params: { count: r._count._all, day },
        href: "/offboarding/mine",
        dedupeKey: `offboarding.reminder:${r.successorId}:${day}`,
      })),
    );
    if (sent > 0) await audit({ action: "notification.send", entityType: "Notification", entityId: "offboarding.reminder", after: { sent, day } });
    if (sent > 0) log(`[jobs] reminded ${sent} successor(s) of handover items waiting on them`);
    return { successors: rows.length, sent };
  });
}

/** Warns authors and registrants of media in published content whose licence ends within 30 days
 * (lib/content/licence-warnings.ts; one notification per asset, end date and person). */
export async function runContentLicenceWarnings(prisma: DbClient, log: (line: string) => void = console.log, now = new Date()): Promise<{ assets: number; sent: number }> {
  const out = await inSystemTransaction(prisma, (tx, audit) => warnExpiringLicences(tx, audit, now));
  if (out.sent > 0) log(`[jobs] warned ${out.sent} person(s) of media licences ending within 30 days`);
  return out;
}
