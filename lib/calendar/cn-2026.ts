// The official 2026 holiday calendar of the People's Republic of China, copied from
// shared/reference/cn-calendar-2026.json into code so that it ships with the client bundle
// and needs no file read at run time.
//
// Source: 国务院办公厅关于2026年部分节假日安排的通知 (published 2025-11-04).
// Holidays are given as from/to ranges, as the notice publishes them; adjusted working days
// (调休) are weekend days worked in exchange, with the holiday they belong to.

/** An official calendar year as the State Council notice publishes it. */
export interface OfficialHolidayYear {
  year: number;
  timeZone: string;
  source: string;
  holidays: readonly { name: string; nameEn: string; from: string; to: string }[];
  adjustedWorkingDays: readonly { date: string; for: string }[];
}

export const CN_CALENDAR_2026 = {
  year: 2026,
  timeZone: "Asia/Shanghai",
  source: "国务院办公厅关于2026年部分节假日安排的通知 (published 2025-11-04)",
  holidays: [
    { name: "元旦", nameEn: "New Year's Day", from: "2026-01-01", to: "2026-01-03" },
    { name: "春节", nameEn: "Spring Festival", from: "2026-02-15", to: "2026-02-23" },
    { name: "清明节", nameEn: "Qingming Festival", from: "2026-04-04", to: "2026-04-06" },
    { name: "劳动节", nameEn: "Labour Day", from: "2026-05-01", to: "2026-05-05" },
    { name: "端午节", nameEn: "Dragon Boat Festival", from: "2026-06-19", to: "2026-06-21" },
    { name: "中秋节", nameEn: "Mid-Autumn Festival", from: "2026-09-25", to: "2026-09-27" },
    { name: "国庆节", nameEn: "National Day", from: "2026-10-01", to: "2026-10-07" },
  ],
  adjustedWorkingDays: [
    { date: "2026-01-04", for: "元旦" },
    { date: "2026-02-14", for: "春节" },
    { date: "2026-02-28", for: "春节" },
    { date: "2026-05-09", for: "劳动节" },
    { date: "2026-09-20", for: "国庆节" },
    { date: "2026-10-10", for: "国庆节" },
  ],
} as const satisfies OfficialHolidayYear;

/** Every official year shipped with the product; add the next one here when it is published. */
export const CN_OFFICIAL_YEARS: readonly OfficialHolidayYear[] = [CN_CALENDAR_2026];
