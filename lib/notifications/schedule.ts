import { isWorkingTime, localDateOf, nextWorkingInstant, workingIntervalsOn, type CalendarDefinition } from "@/lib/calendar";

// When a message may go out (docs/notifications.md "Quiet hours"): on the business calendar (the
// default one: the 2026 China calendar with its holidays and 调休 working days), a non-urgent
// message to a person with quiet hours on waits for the next working instant; a digest goes at the
// first working instant of the next working day that starts after the event.

export type Timing = { notBefore: Date; deferred: "quiet-hours" | "digest" | null };

export function sendTimeFor(calendar: CalendarDefinition, now: Date, o: { urgent: boolean; quietHours: boolean; digest: boolean }): Timing {
  if (o.urgent) return { notBefore: now, deferred: null };
  if (o.digest) return { notBefore: nextWorkingDayStart(calendar, now), deferred: "digest" };
  if (o.quietHours && !isWorkingTime(calendar, now)) return { notBefore: nextWorkingInstant(calendar, now), deferred: "quiet-hours" };
  return { notBefore: now, deferred: null };
}

function nextCivilDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The start of the first working day's first interval that begins after `at` (within a year). */
export function nextWorkingDayStart(calendar: CalendarDefinition, at: Date): Date {
  let date = localDateOf(calendar, at);
  for (let i = 0; i < 370; i++, date = nextCivilDate(date)) {
    const first = workingIntervalsOn(calendar, date)[0];
    if (first && first.start.getTime() > at.getTime()) return first.start;
  }
  return nextWorkingInstant(calendar, at);
}
