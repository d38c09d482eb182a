import { civilDateToDay } from "@/lib/calendar/civil-date";
import { instantAtLocalTime } from "@/lib/calendar/time-zone";

// The company works on China Standard Time: a day in the audit filters is a day in Shanghai,
// whatever the server's or the browser's zone.
export const AUDIT_TIME_ZONE = "Asia/Shanghai";

/** [start, end) instants of the days `from` … `to` (inclusive) in Asia/Shanghai. */
export function auditDayRange(from: string | undefined, to: string | undefined): { gte?: Date; lt?: Date } {
  const range: { gte?: Date; lt?: Date } = {};
  if (from) range.gte = new Date(instantAtLocalTime(AUDIT_TIME_ZONE, civilDateToDay(from), 0));
  if (to) range.lt = new Date(instantAtLocalTime(AUDIT_TIME_ZONE, civilDateToDay(to) + 1, 0));
  return range;
}
