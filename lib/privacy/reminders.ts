import { ROLE_PERMISSIONS, ROLES } from "@/lib/auth/permissions";
import { loadCalendar } from "@/lib/calendar/store";
import { sendNotifications, type NewNotification } from "@/lib/notifications/store";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";
import { dueAfter } from "@/lib/training/assign";
import { reportDeadline } from "./incidents";
import { REPORTABLE_SEVERITIES } from "./schemas";

/** Working days before its due date from which an open data-subject request is reminded of. */
export const PRIVACY_REMIND_WORKING_DAYS = 3;

/**
 * Daily: the assignee of each open data-subject request (received or verified) hears when it comes
 * within three working days of its due date, and once more when it is overdue (one dedupe key per
 * request and state). Urgent: a statutory deadline (lib/notifications URGENT_KINDS).
 */
export async function privacyDeadlineReminders(tx: Tx, audit: (e: AuditInput) => Promise<void>, now: Date): Promise<{ sent: number }> {
  const calendar = (await loadCalendar(tx)).definition;
  const soon = dueAfter(calendar, now, PRIVACY_REMIND_WORKING_DAYS);
  const rows = await tx.privacyRequest.findMany({
    where: { status: { in: ["RECEIVED", "VERIFIED"] }, dueAt: { lte: soon }, assigneeId: { not: null } },
    select: { id: true, assigneeId: true, dueAt: true },
    take: 5000,
  });
  const notes: NewNotification[] = rows.map((r) => {
    const overdue = r.dueAt < now;
    return {
      recipientId: r.assigneeId!,
      kind: "privacy.deadline",
      messageKey: overdue ? "privacy.notify.requestOverdue" : "privacy.notify.requestDue",
      href: `/privacy/requests/${r.id}`,
      dedupeKey: `privacy.deadline:${r.id}:${overdue ? "overdue" : "due"}`,
      deadline: r.dueAt,
    };
  });
  const sent = await sendNotifications(tx, notes, now);
  if (sent > 0) await audit({ action: "notification.send", entityType: "Notification", entityId: "privacy.deadline", after: { sent } });
  return { sent };
}

/** Minutes before the regulator's deadline (detection + 4 h) from which an unreported incident is
 * reminded of again. */
export const INCIDENT_REMIND_MINUTES = 60;

/**
 * Every 5 minutes (lib/jobs): each open incident that must reach the regulator (SERIOUS and above)
 * and has not yet been reported is told to every active holder of a role with privacy.manage (the
 * privacy officers) and to its reporter — once when it is found (within 5 minutes of being
 * recorded), once when the 4-hour deadline is less than an hour away, once when it has passed. Urgent:
 * sent at once, at night and on holidays too; the message carries the deadline and no personal data.
 */
export async function incidentDeadlineReminders(tx: Tx, audit: (e: AuditInput) => Promise<void>, now: Date): Promise<{ sent: number }> {
  const incidents = await tx.privacyIncident.findMany({
    where: { status: "OPEN", severity: { in: [...REPORTABLE_SEVERITIES] }, regulatorNotifiedAt: null },
    select: { id: true, detectedAt: true, reportedById: true },
    take: 500,
  });
  if (incidents.length === 0) return { sent: 0 };
  const roles = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes("privacy.manage"));
  const officers = await tx.employee.findMany({ where: { status: "ACTIVE", roles: { some: { role: { in: [...roles] } } } }, select: { id: true } });
  const notes: NewNotification[] = [];
  for (const i of incidents) {
    const deadline = reportDeadline(i.detectedAt);
    const left = deadline.getTime() - now.getTime();
    const stage = left < 0 ? "overdue" : left <= INCIDENT_REMIND_MINUTES * 60_000 ? "due" : "open";
    for (const recipientId of new Set([...officers.map((o) => o.id), i.reportedById])) {
      notes.push({
        recipientId,
        kind: "incident.deadline",
        messageKey: stage === "overdue" ? "privacy.notify.incidentOverdue" : stage === "due" ? "privacy.notify.incidentDue" : "privacy.notify.incidentOpen",
        href: `/privacy/incidents/${i.id}`,
        dedupeKey: `incident.deadline:${i.id}:${stage}:${recipientId}`,
        deadline,
        urgent: true,
      });
    }
  }
  const sent = await sendNotifications(tx, notes, now);
  if (sent > 0) await audit({ action: "notification.send", entityType: "Notification", entityId: "incident.deadline", after: { sent } });
  return { sent };
}
