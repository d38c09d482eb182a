// The calendar every new installation starts with: China's statutory working week in
// Asia/Shanghai and the official holiday years shipped in code. ADMIN edits a copy of it; this
// function always returns a fresh object, so nothing shares (or mutates) the shipped data.

import { civilDateToDay, formatCivilDate } from "./civil-date";
import { CN_OFFICIAL_YEARS, type OfficialHolidayYear } from "./cn-2026";
import { CalendarError } from "./errors";
import { DEFAULT_TIME_ZONE, type AdjustedWorkingDay, type CalendarDefinition, type Holiday, type HolidayRange, type WeeklyHours } from "./schemas";

// A range longer than this is a typing mistake (2026-10-01 to 2027-10-07), not a holiday.
const MAX_HOLIDAY_RANGE_DAYS = 31;

/** Monday–Friday 09:00–12:00 and 13:00–18:00: the usual office day with a lunch break. */
export function chinaStandardWeeklyHours(): WeeklyHours {
  const day = () => [
    { start: "09:00", end: "12:00" },
    { start: "13:00", end: "18:00" },
  ];
  return { 1: day(), 2: day(), 3: day(), 4: day(), 5: day(), 6: [], 7: [] };
}

/** One holiday per date for each from/to range (both ends included). */
export function expandHolidayRanges(ranges: readonly HolidayRange[]): Holiday[] {
  const holidays: Holiday[] = [];
  for (const range of ranges) {
    const first = civilDateToDay(range.from);
    const last = civilDateToDay(range.to);
    if (last < first) throw new CalendarError("INVALID_ARGUMENT", `holiday "${range.name}" ends (${range.to}) before it starts (${range.from})`);
    if (last - first >= MAX_HOLIDAY_RANGE_DAYS) {
      throw new CalendarError("INVALID_ARGUMENT", `holiday "${range.name}" spans more than ${MAX_HOLIDAY_RANGE_DAYS} days`);
    }
    for (let day = first; day <= last; day++) {
      const holiday: Holiday = { date: formatCivilDate(day), name: range.name };
      if (range.nameEn) holiday.nameEn = range.nameEn;
      holidays.push(holiday);
    }
  }
  return holidays.sort((a, b) => a.date.localeCompare(b.date));
}

/** The holidays and adjusted working days of one official year, ready for a definition. */
export function officialYearEntries(official: OfficialHolidayYear): { holidays: Holiday[]; adjustedWorkingDays: AdjustedWorkingDay[] } {
  return {
    holidays: expandHolidayRanges(official.holidays),
    adjustedWorkingDays: official.adjustedWorkingDays
      .map((day) => ({ date: day.date, name: `${day.for}调休` }))
      .sort((a, b) => a.date.localeCompare(b.date)),
  };
}

/** Asia/Shanghai, Monday–Friday with a lunch break, and every shipped official year. */
export function buildDefaultChinaCalendar(officialYears: readonly OfficialHolidayYear[] = CN_OFFICIAL_YEARS): CalendarDefinition {
  const holidays: Holiday[] = [];
  const adjustedWorkingDays: AdjustedWorkingDay[] = [];
  for (const official of officialYears) {
    const entries = officialYearEntries(official);
    holidays.push(...entries.holidays);
    adjustedWorkingDays.push(...entries.adjustedWorkingDays);
  }
  return { timeZone: DEFAULT_TIME_ZONE, weeklyHours: chinaStandardWeeklyHours(), holidays, adjustedWorkingDays };
}

