import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { CN_CALENDAR_2026 } from "./cn-2026";
import { describeDate, isWorkingDay, localDateOf } from "./day-info";
import { buildDefaultChinaCalendar, expandHolidayRanges, officialYearEntries } from "./default-china-calendar";
import { CalendarError } from "./errors";
import { hasHolidayData, replaceHolidayYear, yearsMissingHolidayData, yearsWithHolidayData } from "./holiday-data";
import { china, sh } from "./test-calendars";

describe("the shipped 2026 data", () => {
  // The published notice, kept in the repository with its source (tests/fixtures/reference/README.md).
  const referencePath = join(import.meta.dirname, "..", "..", "tests", "fixtures", "reference", "cn-calendar-2026.json");
  it("is the reference file, copied faithfully", () => {
    expect(CN_CALENDAR_2026).toEqual(JSON.parse(readFileSync(referencePath, "utf8")));
  });

  it("expands to 33 holiday dates and 6 adjusted working days", () => {
    const { holidays, adjustedWorkingDays } = officialYearEntries(CN_CALENDAR_2026);
    // 3 + 9 + 3 + 5 + 3 + 3 + 7
    expect(holidays).toHaveLength(33);
    expect(adjustedWorkingDays.map((day) => day.date)).toEqual(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]);
    expect(adjustedWorkingDays[1].name).toBe("春节调休");
    expect(new Set(holidays.map((holiday) => holiday.date)).size).toBe(33);
  });
});

describe("buildDefaultChinaCalendar", () => {
  it("is Asia/Shanghai, Monday–Friday with a lunch break", () => {
    const cal = buildDefaultChinaCalendar();
    expect(cal.timeZone).toBe("Asia/Shanghai");
    expect(cal.weeklyHours[1]).toEqual([
      { start: "09:00", end: "12:00" },
      { start: "13:00", end: "18:00" },
    ]);
    expect(cal.weeklyHours[6]).toEqual([]);
    expect(cal.weeklyHours[7]).toEqual([]);
  });

  it("returns a fresh object each time, so editing one does not change the next", () => {
    const first = buildDefaultChinaCalendar();
    first.holidays.length = 0;
    first.weeklyHours[1].length = 0;
    const second = buildDefaultChinaCalendar();
    expect(second.holidays).toHaveLength(33);
    expect(second.weeklyHours[1]).toHaveLength(2);
  });
});

describe("expandHolidayRanges", () => {
  it("includes both ends, across a month end", () => {
    expect(expandHolidayRanges([{ name: "x", from: "2026-09-29", to: "2026-10-02" }]).map((holiday) => holiday.date)).toEqual([
      "2026-09-29",
      "2026-09-30",
      "2026-10-01",
      "2026-10-02",
    ]);
  });

  it("keeps the English name", () => {
    expect(expandHolidayRanges([{ name: "国庆节", nameEn: "National Day", from: "2026-10-01", to: "2026-10-01" }])).toEqual([
      { date: "2026-10-01", name: "国庆节", nameEn: "National Day" },
    ]);
  });

  it("refuses reversed and absurdly long ranges", () => {
    expect(() => expandHolidayRanges([{ name: "x", from: "2026-10-07", to: "2026-10-01" }])).toThrow(CalendarError);
    expect(() => expandHolidayRanges([{ name: "x", from: "2026-10-01", to: "2027-10-07" }])).toThrow(CalendarError);
    expect(() => expandHolidayRanges([{ name: "x", from: "2026-02-30", to: "2026-03-01" }])).toThrow(CalendarError);
  });
});

describe("years with and without holiday data", () => {
  it("lists 2026 only for the default calendar", () => {
    expect(yearsWithHolidayData(china())).toEqual([2026]);
    expect(hasHolidayData(china(), 2026)).toBe(true);
    expect(hasHolidayData(china(), 2027)).toBe(false);
  });

  it("names the years a span touches that have no data, in local years", () => {
    expect(yearsMissingHolidayData(china(), sh("2026-12-01T10:00"), sh("2027-02-01T10:00"))).toEqual([2027]);
    expect(yearsMissingHolidayData(china(), sh("2026-03-01T10:00"), sh("2026-11-01T10:00"))).toEqual([]);
    // 2026-12-31T16:30Z is already 2027-01-01 00:30 in Shanghai.
    expect(yearsMissingHolidayData(china(), new Date("2026-12-31T16:30:00Z"), new Date("2026-12-31T16:30:00Z"))).toEqual([2027]);
    expect(yearsMissingHolidayData(china(), sh("2027-02-01T10:00"), sh("2025-06-01T10:00"))).toEqual([2025, 2027]);
  });

  it("replaceHolidayYear adds next year and replaces only that year", () => {
    const cal = china();
    const with2027 = replaceHolidayYear(cal, 2027, { holidays: [{ date: "2027-01-01", name: "元旦" }], adjustedWorkingDays: [] });
    expect(yearsWithHolidayData(with2027)).toEqual([2026, 2027]);
    expect(with2027.holidays).toHaveLength(34);
    expect(cal.holidays).toHaveLength(33);
    const corrected = replaceHolidayYear(with2027, 2026, { holidays: [], adjustedWorkingDays: [] });
    expect(yearsWithHolidayData(corrected)).toEqual([2027]);
    expect(() => replaceHolidayYear(cal, 2027, { holidays: [{ date: "2026-12-31", name: "x" }], adjustedWorkingDays: [] })).toThrow(CalendarError);
  });
});

describe("describeDate and friends", () => {
  const cal = china();

  it("describes holidays, adjusted working days, working days and days off", () => {
    expect(describeDate(cal, "2026-10-01")).toMatchObject({ kind: "HOLIDAY", name: "国庆节", nameEn: "National Day", weekday: 4, hours: [], intervals: [] });
    expect(describeDate(cal, "2026-10-10")).toMatchObject({ kind: "ADJUSTED_WORKING_DAY", name: "国庆节调休", weekday: 6 });
    expect(describeDate(cal, "2026-10-10").hours).toEqual(cal.weeklyHours[1]);
    expect(describeDate(cal, "2026-10-12")).toMatchObject({ kind: "WORKING_DAY", weekday: 1 });
    expect(describeDate(cal, "2026-10-11")).toMatchObject({ kind: "DAY_OFF", weekday: 7, hours: [] });
  });

  it("uses the configured adjusted-day hours, or Monday's", () => {
    const short = { ...cal, adjustedDayHours: [{ start: "10:00", end: "16:00" }] };
    expect(describeDate(short, "2026-02-14").intervals.map((range) => range.start.toISOString())).toEqual([sh("2026-02-14T10:00").toISOString()]);
    const tuesdayToSaturday = {
      ...cal,
      weeklyHours: { ...cal.weeklyHours, 1: [], 6: [{ start: "10:00", end: "15:00" }] },
    };
    // Without Monday hours, an adjusted day works as the first weekday that has hours (Tuesday).
    expect(describeDate(tuesdayToSaturday, "2026-10-10").hours).toEqual(cal.weeklyHours[2]);
  });

  it("isWorkingDay and localDateOf answer in the calendar's zone", () => {
    expect(isWorkingDay(cal, "2026-02-28")).toBe(true);
    expect(isWorkingDay(cal, "2026-02-23")).toBe(false);
    expect(localDateOf(cal, new Date("2026-03-09T17:00:00Z"))).toBe("2026-03-10");
    expect(localDateOf({ ...cal, timeZone: "America/New_York" }, new Date("2026-03-10T03:00:00Z"))).toBe("2026-03-09");
  });
});
