// The business calendar: one pure module answering every "when is this due" question of the
// product (approvals, SLA, data-subject requests, training). See docs/calendar.md.

export { CN_CALENDAR_2026, CN_OFFICIAL_YEARS, type OfficialHolidayYear } from "./cn-2026";
export { addMonthsToCivilDate, type CivilDate, type IsoWeekday, ISO_WEEKDAYS } from "./civil-date";
export { addCalendarDays, addCalendarMinutes, addCalendarMonths, calendarMinutesBetween } from "./calendar-time";
export { type DayKind } from "./compiled-calendar";
export { describeDate, isWorkingDay, localDateOf, workingIntervalsOn, type DayDescription } from "./day-info";
export { buildDefaultChinaCalendar, chinaStandardWeeklyHours, expandHolidayRanges, officialYearEntries } from "./default-china-calendar";
export { CALENDAR_ERROR_CODES, CalendarError, isCalendarError, type CalendarErrorCode } from "./errors";
export { hasHolidayData, NEXT_YEAR_WARNING_FROM, provisionalYear, replaceHolidayYear, yearsMissingHolidayData, yearsToWarnAbout, yearsWithHolidayData } from "./holiday-data";
export { deadlineAfterPause, deadlineAfterPauses, type Pause } from "./pause";
export {
  DEFAULT_TIME_ZONE,
  adjustedWorkingDaySchema,
  calendarDefinitionSchema,
  civilDateSchema,
  holidayRangeSchema,
  holidaySchema,
  timeOfDaySchema,
  timeZoneSchema,
  weeklyHoursSchema,
  workingIntervalSchema,
  type AdjustedWorkingDay,
  type CalendarDefinition,
  type CalendarDefinitionInput,
  type Holiday,
  type HolidayRange,
  type WeeklyHours,
  type WorkingInterval,
} from "./schemas";
export { isKnownTimeZone } from "./time-zone";
export { CALENDAR_PROBLEM_CODES, validateCalendar, type CalendarProblem, type CalendarProblemCode } from "./validate-calendar";
export { addWorkingDays, type AddWorkingDaysOptions, type WorkingDayPosition } from "./working-days";
export {
  addWorkingHours,
  addWorkingMilliseconds,
  addWorkingMinutes,
  isWorkingTime,
  nextWorkingInstant,
  workingMillisecondsBetween,
  workingMinutesBetween,
} from "./working-time";
