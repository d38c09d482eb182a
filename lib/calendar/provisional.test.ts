import { describe, expect, it } from "vitest";
import { buildDefaultChinaCalendar } from "./default-china-calendar";
import { hasHolidayData, provisionalYear, replaceHolidayYear, yearsToWarnAbout, yearsWithHolidayData } from "./holiday-data";
import { office } from "./test-calendars";

// A year without holiday data: deadlines falling in it are provisional, and ADMIN is warned
// about this year always and about next year from 1 November (local dates).

const china = buildDefaultChinaCalendar(); // holiday data for 2026 only
const with2027 = replaceHolidayYear(china, 2027, { holidays: [{ date: "2027-01-01", name: "元旦", nameEn: "New Year's Day" }], adjustedWorkingDays: [] });
const sh = (local: string) => new Date(`${local}+08:00`);

describe("provisionalYear", () => {
  it("is the due date's local year when that year has no holiday data", () => {
    expect(provisionalYear(china, sh("2026-12-31T18:00:00"))).toBeNull();
    expect(provisionalYear(china, sh("2027-01-04T18:00:00"))).toBe(2027);
    expect(provisionalYear(china, sh("2027-12-31T23:59:59"))).toBe(2027);
    expect(provisionalYear(china, sh("2025-06-01T12:00:00"))).toBe(2025);
    expect(provisionalYear(with2027, sh("2027-01-04T18:00:00"))).toBeNull();
  });

  it("uses the calendar's local year, not the UTC one", () => {
    // 2027-01-01 02:00 in China is still 2026 in UTC; 2026-12-31 20:00 UTC is already 2027 in China.
    expect(provisionalYear(china, sh("2027-01-01T02:00:00"))).toBe(2027);
    expect(provisionalYear(china, new Date("2026-12-31T20:00:00Z"))).toBe(2027);
    expect(provisionalYear(china, new Date("2026-12-31T15:59:59Z"))).toBeNull();
  });
});

describe("the years with holiday data, kept per definition", () => {
  it("answers for each definition object, so a calendar changed into a new object is asked afresh", () => {
    // Asked first of the calendar without 2027 (its answer is then kept for that object) …
    expect(hasHolidayData(china, 2027)).toBe(false);
    expect(yearsWithHolidayData(china)).toEqual([2026]);
    // … a new definition with the year loaded has it, and the first is unchanged.
    expect(hasHolidayData(with2027, 2027)).toBe(true);
    expect(yearsWithHolidayData(with2027)).toEqual([2026, 2027]);
    expect(hasHolidayData(china, 2027)).toBe(false);
    // The list handed out is a copy: changing it changes nothing kept.
    yearsWithHolidayData(china).push(2030);
    expect(hasHolidayData(china, 2030)).toBe(false);
  });
});

describe("yearsToWarnAbout", () => {
  it("warns about next year from 1 November (local) of the year before, not earlier", () => {
    expect(yearsToWarnAbout(china, sh("2026-10-31T23:59:59"))).toEqual([]);
    expect(yearsToWarnAbout(china, sh("2026-11-01T00:00:00"))).toEqual([2027]);
    expect(yearsToWarnAbout(china, new Date("2026-10-31T16:00:00Z"))).toEqual([2027]); // 00:00 on 1 November in China
    expect(yearsToWarnAbout(china, sh("2026-12-05T10:00:00"))).toEqual([2027]);
    expect(yearsToWarnAbout(china, sh("2026-12-31T23:59:59"))).toEqual([2027]);
  });

  it("warns about the current year whenever it has no data, and stops once the year is loaded", () => {
    expect(yearsToWarnAbout(china, sh("2027-03-01T10:00:00"))).toEqual([2027]);
    expect(yearsToWarnAbout(china, sh("2027-11-02T10:00:00"))).toEqual([2027, 2028]);
    expect(yearsToWarnAbout(with2027, sh("2026-12-05T10:00:00"))).toEqual([]);
    expect(yearsToWarnAbout(with2027, sh("2027-11-01T00:00:00"))).toEqual([2028]);
  });

  it("leaves a calendar that keeps no holidays at all alone, unless asked to always warn (the default calendar)", () => {
    const desk = office("Asia/Shanghai");
    expect(yearsToWarnAbout(desk, sh("2026-12-05T10:00:00"))).toEqual([]);
    expect(yearsToWarnAbout(desk, sh("2026-12-05T10:00:00"), { always: true })).toEqual([2026, 2027]);
  });
});
