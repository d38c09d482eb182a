// "Within N working days" is how approvals, data-subject requests and training periods are
// stated. Two readings are needed, so both are offered:
//
// same-time (default): the same local time of day on the Nth working day after the local date
//   of `from`; when that time is not working time it moves forward to the next working instant
//   of that day, and to the day's close when no working time follows (a request received at
//   19:00 Monday with 1 working day is due Tuesday 18:00, not Wednesday 09:00: the same amount
//   of work away, and still on "the next working day"). This is what people expect of an
//   approval or an SLA stated in days.
// end-of-day: the close of business of the Nth working day after the local date of `from`.
//   This is how Chinese law counts periods stated in days (Civil Code art. 201–203: the day
//   of the event is not counted; a period ending on a holiday ends on the next working day; it
//   ends at the close of business hours), so statutory deadlines such as data-subject requests
//   should use it.
//
// In both, the day of `from` never counts, whether or not it is a working day, and a negative
// N counts working days backwards (for reminders); 0 returns `from`.

import { compileCalendar, workingRangesOnDay } from "./compiled-calendar";
import { assertIntegerAmount, assertValidInstant } from "./errors";
import { walkWorkingDays } from "./interval-walk";
import type { CalendarDefinition } from "./schemas";
import { instantAtLocalTime, localDayOf, localTimeOfDayOf } from "./time-zone";

export type WorkingDayPosition = "same-time" | "end-of-day";

export interface AddWorkingDaysOptions {
  /** Where on the target day the result lies; default "same-time". */
  at?: WorkingDayPosition;
}

export function addWorkingDays(calendar: CalendarDefinition, from: Date, days: number, options: AddWorkingDaysOptions = {}): Date {
  const start = assertValidInstant(from, "from");
  assertIntegerAmount(days, "days");
  if (days === 0) return new Date(start);
  const compiled = compileCalendar(calendar);
  const { timeZone } = compiled;

  let remaining = Math.abs(days);
  let target = localDayOf(timeZone, start);
  for (const day of walkWorkingDays(compiled, target, days > 0 ? "forward" : "backward")) {
    target = day;
    if (--remaining === 0) break;
  }

  const ranges = workingRangesOnDay(compiled, target);
  const close = ranges[ranges.length - 1].end;
  if (options.at === "end-of-day") return new Date(close);

  const sameTime = instantAtLocalTime(timeZone, target, localTimeOfDayOf(timeZone, start));
  for (const range of ranges) {
    if (sameTime < range.start) return new Date(range.start);
    if (sameTime < range.end) return new Date(sameTime);
  }
  return new Date(close);
}
