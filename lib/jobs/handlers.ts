import { writeSnapshots } from "@/lib/dashboard/compute";
import { warnExpiringLicences } from "@/lib/content/licence-warnings";
import { sendNotifications } from "@/lib/notifications/store";
import { incidentDeadlineReminders, privacyDeadlineReminders } from "@/lib/privacy/reminders";
import { completeDueTransfers, departDueCases } from "@/lib/offboarding/sweeps";
import { escalateDueCases, escalateIfBreached } from "@/lib/service/escalation";
import { isoDay, shanghaiToday } from "@/lib/offboarding/time";
import { trainingReminders, trainingSync } from "@/lib/training/jobs";
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

/** This week's dashboard snapshot (replaces the week's earlier one, so running it twice is harmless). */
export async function runDashboardSnapshot(prisma: DbClient, now = new Date()): Promise<{ weekStart: string; rows: number }> {
  return inSystemTransaction(prisma, async (tx, audit) => {
    const result = await writeSnapshots(tx, "JOB", now);
    await audit({ action: "dashboard.snapshot.refresh", entityType: "DashboardSnapshot", entityId: result.weekStart, after: result });
    return result;
  });
}

/** A complaint's escalation job, run at the moment of breach: escalates the case if it is still
 * an open complaint past its next due time (a case answered, paused or resolved meanwhile is left
 * alone). Idempotent: once per case and target. */
export async function runServiceEscalation(prisma: DbClient, caseId: string, now = new Date()): Promise<{ escalated: boolean }> {
  return { escalated: await inSystemTransaction(prisma, (tx, audit) => escalateIfBreached(tx, audit, caseId, now, "job")) };
}

/** The safety net: every open complaint past its next due time not yet escalated for it. */
export async function runServiceBreachSweep(prisma: DbClient, now = new Date()): Promise<{ escalated: number }> {
  return { escalated: await inSystemTransaction(prisma, (tx, audit) => escalateDueCases(tx, audit, now)) };
}

/** Training: assignments for the audience as the directory now stands, renewals, policy requests. */
export async function runTrainingSync(prisma: DbClient, now = new Date()): Promise<{ assigned: number; renewed: number; asked: number }> {
  return inSystemTransaction(prisma, (tx, audit) => trainingSync(tx, audit, now));
}

/** Training: reminders before the due date and when overdue (one each, by dedupe key). */
export async function runTrainingReminders(prisma: DbClient, now = new Date()): Promise<{ sent: number }> {
  return inSystemTransaction(prisma, (tx, audit) => trainingReminders(tx, audit, now));
}

/** Assignees of data-subject requests nearly due or overdue (lib/privacy/reminders.ts). */
export async function runPrivacyDeadlines(prisma: DbClient, now = new Date()): Promise<{ sent: number }> {
  return inSystemTransaction(prisma, (tx, audit) => privacyDeadlineReminders(tx, audit, now));
}

/** Privacy officers of serious incidents not yet reported to the regulator (lib/privacy/reminders.ts). */
export async function runIncidentDeadlines(prisma: DbClient, now = new Date()): Promise<{ sent: number }> {
  return inSystemTransaction(prisma, (tx, audit) => incidentDeadlineReminders(tx, audit, now));
}

/** Warns authors and registrants of media in published content whose licence ends within 30 days
 * (lib/content/licence-warnings.ts; one notification per asset, end date and person). */
export async function runContentLicenceWarnings(prisma: DbClient, log: (line: string) => void = console.log, now = new Date()): Promise<{ assets: number; sent: number }> {
  const out = await inSystemTransaction(prisma, (tx, audit) => warnExpiringLicences(tx, audit, now));
  if (out.sent > 0) log(`[jobs] warned ${out.sent} person(s) of media licences ending within 30 days`);
  return out;
}
