import { addWorkingDays, workingMinutesBetween, type CalendarDefinition } from "@/lib/calendar";

// How long a step has been overdue, in the working time of its request's calendar: whole working
// days (counted as the deadline is: the same local time on each following working day), then
// hours and minutes. Pure, so the inbox, the request page and the tests agree.

export type Overdue = { days: number; hours: number; minutes: number };

const MAX_DAYS = 999;

export function isOverdue(dueAt: Date | null, now: Date): boolean {
  return dueAt !== null && now.getTime() > dueAt.getTime();
}

export function overdueBy(calendar: CalendarDefinition, dueAt: Date | null, now: Date): Overdue | null {
  if (!dueAt || !isOverdue(dueAt, now)) return null;
  let days = 0;
  let anchor = dueAt;
  while (days < MAX_DAYS) {
    const next = addWorkingDays(calendar, anchor, 1);
    if (next.getTime() > now.getTime()) break;
    anchor = next;
    days++;
  }
  const rest = Math.max(0, Math.floor(workingMinutesBetween(calendar, anchor, now)));
  return { days, hours: Math.floor(rest / 60), minutes: rest % 60 };
}

/** The i18n key and parameters that say it ("overdue 1 working day 2 h"). */
export function overdueLabel(o: Overdue): { key: string; params: Record<string, number> } {
  if (o.days > 0) return { key: o.hours > 0 ? "approvals.overdue.daysHours" : "approvals.overdue.days", params: { days: o.days, hours: o.hours } };
  if (o.hours > 0) return { key: "approvals.overdue.hoursMinutes", params: { hours: o.hours, minutes: o.minutes } };
  if (o.minutes > 0) return { key: "approvals.overdue.minutes", params: { minutes: o.minutes } };
  return { key: "approvals.overdue.justNow", params: {} };
}
