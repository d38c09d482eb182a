import { loadCalendar } from "@/lib/calendar/store";
import { notifyTeam } from "@/lib/notifications/service";
import { sendNotifications, type NewNotification } from "@/lib/notifications/store";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";
import { chinaToday, dueAfter, syncTraining } from "./assign";

// The work of training's jobs (lib/jobs): plain functions of (tx, audit, now), idempotent.

type Audit = (event: AuditInput) => Promise<void>;

/** Hourly: assignments for people hired, moved or given a role since, renewals of recurring courses, policy requests. */
export async function trainingSync(tx: Tx, audit: Audit, now: Date) {
  const result = await syncTraining(tx, now);
  if (result.assigned + result.renewed + result.asked > 0) await audit({ action: "training.sync", entityType: "TrainingCourse", entityId: "*", after: { ...result, at: now } });
  return result;
}

/** Days before the due date a reminder goes out (working days, business calendar). */
export const REMIND_WORKING_DAYS_BEFORE = 3;

const day = (d: Date) => chinaToday(d).toISOString().slice(0, 10);

/**
 * Daily: one reminder per assignment or policy request when it comes within three working days of
 * its due date, and one when it is overdue (dedupe keys per record and kind: a second run sends
 * nothing). The home page shows them (notifications) beside the live counts (attention.ts).
 */
export async function trainingReminders(tx: Tx, audit: Audit, now: Date): Promise<{ sent: number }> {
  const calendar = (await loadCalendar(tx)).definition;
  const soon = dueAfter(calendar, now, REMIND_WORKING_DAYS_BEFORE);
  const courses = await tx.$queryRaw<{ id: string; employee_id: string; department_id: string; due_at: Date; title_zh: string; title_en: string; course_id: string }[]>`
    SELECT a."id", a."employee_id", e."department_id", a."due_at", c."title_zh", c."title_en", c."id" AS "course_id"
      FROM "training_assignments" a JOIN "training_courses" c ON c."id" = a."course_id" JOIN "employees" e ON e."id" = a."employee_id"
     WHERE a."status" = 'ASSIGNED' AND a."current" AND a."due_at" <= ${soon} AND e."status" = 'ACTIVE'`;
  const policies = await tx.$queryRaw<{ id: string; employee_id: string; department_id: string; due_at: Date; title_zh: string; title_en: string; version_id: string; version_no: number }[]>`
    SELECT k."id", k."employee_id", e."department_id", k."due_at", pd."title_zh", pd."title_en", k."version_id", v."version_no"
      FROM "policy_acknowledgements" k JOIN "policy_versions" v ON v."id" = k."version_id" JOIN "policy_documents" pd ON pd."id" = k."document_id" JOIN "employees" e ON e."id" = k."employee_id"
     WHERE k."acknowledged_at" IS NULL AND k."current" AND k."due_at" <= ${soon} AND e."status" = 'ACTIVE'`;
  const notes: NewNotification[] = [];
  for (const a of courses) {
    const overdue = a.due_at < now;
    notes.push({
      recipientId: a.employee_id,
      kind: overdue ? "training.overdue" : "training.due",
      messageKey: overdue ? "training.notify.courseOverdue" : "training.notify.courseDue",
      params: { title: a.title_zh, titleEn: a.title_en, due: day(a.due_at) },
      href: `/training/courses/${a.course_id}`,
      dedupeKey: `training.${overdue ? "overdue" : "due"}:${a.id}`,
      deadline: a.due_at,
    });
  }
  for (const k of policies) {
    const overdue = k.due_at < now;
    notes.push({
      recipientId: k.employee_id,
      kind: overdue ? "policy.overdue" : "policy.due",
      messageKey: overdue ? "training.notify.policyOverdue" : "training.notify.policyDue",
      params: { title: k.title_zh, titleEn: k.title_en, version: k.version_no, due: day(k.due_at) },
      href: `/training/policies/${k.version_id}`,
      dedupeKey: `policy.${overdue ? "overdue" : "due"}:${k.id}`,
      deadline: k.due_at,
    });
  }
  let sent = 0;
  for (let i = 0; i < notes.length; i += 5000) sent += await sendNotifications(tx, notes.slice(i, i + 5000), now);
  // Team level: a department's overdue count to its group robot (if ADMIN configured one), once a day.
  const overdueByDept = new Map<string, number>();
  for (const r of [...courses, ...policies]) if (r.due_at < now) overdueByDept.set(r.department_id, (overdueByDept.get(r.department_id) ?? 0) + 1);
  await notifyTeam(
    tx,
    [...overdueByDept].map(([departmentId, count]) => ({ departmentId, kind: "training.overdue", messageKey: "notifications.team.trainingOverdue", params: { count }, href: "/training", dedupeKey: `training.overdue.team:${departmentId}:${day(now)}` })),
    now,
  );
  if (sent > 0) await audit({ action: "notification.send", entityType: "Notification", entityId: "training.reminder", after: { sent, day: day(now) } });
  return { sent };
}
