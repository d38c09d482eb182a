import { loadCalendar } from "@/lib/calendar/store";
import { sendNotifications, type NewNotification } from "@/lib/notifications/store";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";
import { dueAfter } from "@/lib/training/assign";

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
