// A calendar's holiday data one year at a time, as the administration shows and edits it: the
// stored one-entry-per-date holidays folded back into the from/to ranges notices publish.

import { addDaysToCivilDate } from "./civil-date";
import type { YearFormValues } from "./admin-schemas";
import type { AdjustedWorkingDay, CalendarDefinition, Holiday, HolidayRange } from "./schemas";

const inYear = (year: number) => (entry: { date: string }) => entry.date.startsWith(`${String(year).padStart(4, "0")}-`);

/** Consecutive dates with the same names become one range; input order does not matter. */
export function holidayRangesOf(holidays: readonly Holiday[]): (HolidayRange & { days: number })[] {
  const sorted = [...holidays].sort((a, b) => a.date.localeCompare(b.date));
  const ranges: (HolidayRange & { days: number })[] = [];
  for (const holiday of sorted) {
    const last = ranges.at(-1);
    if (last && last.name === holiday.name && last.nameEn === holiday.nameEn && addDaysToCivilDate(last.to, 1) === holiday.date) {
      last.to = holiday.date;
      last.days++;
      continue;
    }
    const range: HolidayRange & { days: number } = { name: holiday.name, from: holiday.date, to: holiday.date, days: 1 };
    if (holiday.nameEn) range.nameEn = holiday.nameEn;
    ranges.push(range);
  }
  return ranges;
}

export type YearData = {
  year: number;
  holidays: Holiday[];
  ranges: (HolidayRange & { days: number })[];
  adjustedWorkingDays: AdjustedWorkingDay[];
};

/** One year's entries of a calendar (empty lists when it has none). */
export function yearData(calendar: CalendarDefinition, year: number): YearData {
  const holidays = calendar.holidays.filter(inYear(year));
  return {
    year,
    holidays,
    ranges: holidayRangesOf(holidays),
    adjustedWorkingDays: calendar.adjustedWorkingDays.filter(inYear(year)).sort((a, b) => a.date.localeCompare(b.date)),
  };
}

/** A year's stored entries as the rows of the year form (to correct or replace them). */
export function yearFormValuesOf(calendar: CalendarDefinition, year: number): YearFormValues {
  const data = yearData(calendar, year);
  return {
    year: String(year),
    holidays: data.ranges.map((r) => ({ name: r.name, nameEn: r.nameEn ?? "", from: r.from, to: r.to })),
    adjustedWorkingDays: data.adjustedWorkingDays.map((d) => ({ date: d.date, name: d.name ?? "" })),
  };
}
