import type { WorkingInterval } from "@/lib/calendar";
import { flattenRows, yearFormFields, type YearFormValues } from "@/lib/calendar/admin-schemas";

// Form data as the calendar forms post it (flat input names), for the schemas under test.

export const lunchDay = (): WorkingInterval[] => [
  { start: "09:00", end: "12:00" },
  { start: "13:00", end: "18:00" },
];

export type SettingsFormValues = {
  id?: string;
  version?: number;
  name?: string;
  nameEn?: string;
  code?: string;
  timeZone?: string;
  isDefault?: boolean;
  includeOfficialHolidays?: boolean;
  weeklyHours?: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, WorkingInterval[]>>;
  adjustedDayHours?: WorkingInterval[];
};

/** Mon–Fri with a lunch break unless weeklyHours says otherwise. */
export function settingsForm(values: SettingsFormValues = {}): Record<string, string> {
  const week = { 1: lunchDay(), 2: lunchDay(), 3: lunchDay(), 4: lunchDay(), 5: lunchDay(), 6: [], 7: [], ...values.weeklyHours };
  const out: Record<string, string> = {
    name: values.name ?? "中国大陆工作日历",
    nameEn: values.nameEn ?? "Mainland China business calendar",
    code: values.code ?? "CN-DEFAULT",
    timeZone: values.timeZone ?? "Asia/Shanghai",
  };
  if (values.id) out.id = values.id;
  if (values.version !== undefined) out.version = String(values.version);
  // A ticked checkbox posts "on"; an unticked one posts nothing.
  if (values.isDefault) out.isDefault = "on";
  if (values.includeOfficialHolidays) out.includeOfficialHolidays = "on";
  for (const [weekday, intervals] of Object.entries(week)) Object.assign(out, flattenRows(`weeklyHours.${weekday}`, intervals));
  if (values.adjustedDayHours) {
    out.customAdjustedHours = "on";
    Object.assign(out, flattenRows("adjustedDayHours", values.adjustedDayHours));
  }
  return out;
}

export function yearForm(values: YearFormValues & { calendarId?: string; version?: number }): Record<string, string> {
  const out = yearFormFields(values);
  if (values.calendarId) out.calendarId = values.calendarId;
  if (values.version !== undefined) out.version = String(values.version);
  return out;
}

/**
 * Test data shaped like a State Council notice for 2027; NOT the official 2027 calendar (not
 * published when this was written). 2027-01-01 is a Friday; 2027-01-31 and 2027-04-25 are
 * Sundays, 2027-02-20 a Saturday.
 */
export const notice2027: YearFormValues = {
  year: "2027",
  holidays: [
    { name: "元旦", nameEn: "New Year's Day", from: "2027-01-01", to: "2027-01-03" },
    { name: "春节", nameEn: "Spring Festival", from: "2027-02-05", to: "2027-02-13" },
    { name: "劳动节", nameEn: "Labour Day", from: "2027-05-01", to: "2027-05-05" },
  ],
  adjustedWorkingDays: [
    { date: "2027-01-31", name: "春节调休" },
    { date: "2027-02-20", name: "春节调休" },
    { date: "2027-04-25", name: "" },
  ],
};
