// What the calendar says about one local date, for the calendar editor, the SLA timeline and
// the due-date pickers: the question is asked by date, in the calendar's own time zone, not by
// the viewer's browser zone.

import { civilDateToDay, formatCivilDate, isoWeekdayOfDay, type CivilDate, type IsoWeekday } from "./civil-date";
import { compileCalendar, dayKind, defaultAdjustedDayHours, workingRangesOnDay, type DayKind } from "./compiled-calendar";
import { assertValidInstant } from "./errors";
import type { CalendarDefinition, WorkingInterval } from "./schemas";
import { localDayOf } from "./time-zone";

export interface DayDescription {
  date: CivilDate;
  weekday: IsoWeekday;
  kind: DayKind;
  /** Holiday name, or the adjusted working day's name when it has one. */
  name?: string;
  nameEn?: string;
  /** The local working hours that apply that day (empty on a holiday or a day off). */
  hours: WorkingInterval[];
  /** The same hours as instants; differs from `hours` only across DST switches. */
  intervals: { start: Date; end: Date }[];
}

/** The calendar's local date ("YYYY-MM-DD") of an instant. */
export function localDateOf(calendar: CalendarDefinition, at: Date): CivilDate {
  const { timeZone } = compileCalendar(calendar);
  return formatCivilDate(localDayOf(timeZone, assertValidInstant(at)));
}

/** Whether a local date has any working time. */
export function isWorkingDay(calendar: CalendarDefinition, date: CivilDate): boolean {
  return workingRangesOnDay(compileCalendar(calendar), civilDateToDay(date)).length > 0;
}

/** The working intervals of a local date as instants. */
export function workingIntervalsOn(calendar: CalendarDefinition, date: CivilDate): { start: Date; end: Date }[] {
  return workingRangesOnDay(compileCalendar(calendar), civilDateToDay(date)).map((range) => ({
    start: new Date(range.start),
    end: new Date(range.end),
  }));
}

export function describeDate(calendar: CalendarDefinition, date: CivilDate): DayDescription {
  const compiled = compileCalendar(calendar);
  const day = civilDateToDay(date);
  const weekday = isoWeekdayOfDay(day);
  const kind = dayKind(compiled, day);
  const description: DayDescription = {
    date: formatCivilDate(day),
    weekday,
    kind,
    hours: [],
    intervals: workingIntervalsOn(calendar, date),
  };
  if (kind === "HOLIDAY") {
    const holiday = compiled.holidays.get(day);
    description.name = holiday?.name;
    if (holiday?.nameEn) description.nameEn = holiday.nameEn;
  } else if (kind === "ADJUSTED_WORKING_DAY") {
    const adjusted = compiled.adjustedDays.get(day);
    if (adjusted?.name) description.name = adjusted.name;
    description.hours = [...(calendar.adjustedDayHours ?? defaultAdjustedDayHours(calendar))];
  } else {
    description.hours = [...calendar.weeklyHours[weekday]];
  }
  return description;
}
