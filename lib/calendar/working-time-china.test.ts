import { describe, expect, it } from "vitest";

import { CalendarError } from "./errors";
import { replaceHolidayYear } from "./holiday-data";
import { china, iso, nightShift, roundTheClock, sh } from "./test-calendars";
import {
  addWorkingHours,
  addWorkingMilliseconds,
  addWorkingMinutes,
  isWorkingTime,
  nextWorkingInstant,
  workingMillisecondsBetween,
  workingMinutesBetween,
} from "./working-time";

const cal = china();

describe("isWorkingTime on the 2026 China calendar", () => {
  it.each([
    ["2026-10-09T10:00", true, "Friday after National Day"],
    ["2026-10-10T10:00", true, "调休 Saturday for National Day"],
    ["2026-10-11T10:00", false, "ordinary Sunday"],
    ["2026-09-20T10:00", true, "调休 Sunday before National Day"],
    ["2026-02-14T10:00", true, "调休 Saturday before Spring Festival"],
    ["2026-02-28T10:00", true, "调休 Saturday after Spring Festival"],
    ["2026-03-01T10:00", false, "Sunday after the 调休 Saturday"],
    ["2026-01-04T10:00", true, "调休 Sunday after New Year"],
    ["2026-05-09T10:00", true, "调休 Saturday after Labour Day"],
    ["2026-04-06T10:00", false, "Qingming Monday"],
    ["2026-06-19T10:00", false, "Dragon Boat Friday"],
    ["2026-09-25T10:00", false, "Mid-Autumn Friday"],
  ])("%s is %s (%s)", (local, expected) => {
    expect(isWorkingTime(cal, sh(local))).toBe(expected);
  });

  it("every day of the National Day run 2026-10-01..07 is off, the day after is on", () => {
    for (let day = 1; day <= 7; day++) {
      for (const time of ["00:00", "09:00", "10:30", "15:00", "17:59"]) {
        expect(isWorkingTime(cal, sh(`2026-10-0${day}T${time}`))).toBe(false);
      }
    }
    expect(isWorkingTime(cal, sh("2026-10-08T09:00"))).toBe(true);
  });

  it("every day of the Spring Festival run 2026-02-15..23 is off, including its weekdays", () => {
    for (let day = 15; day <= 23; day++) expect(isWorkingTime(cal, sh(`2026-02-${day}T10:00`))).toBe(false);
    expect(isWorkingTime(cal, sh("2026-02-24T09:00"))).toBe(true);
  });

  it("treats opening as working and closing as not (half-open intervals)", () => {
    expect(isWorkingTime(cal, sh("2026-03-10T08:59:59.999"))).toBe(false);
    expect(isWorkingTime(cal, sh("2026-03-10T09:00"))).toBe(true);
    expect(isWorkingTime(cal, sh("2026-03-10T17:59:59.999"))).toBe(true);
    expect(isWorkingTime(cal, sh("2026-03-10T18:00"))).toBe(false);
    expect(isWorkingTime(cal, sh("2026-03-10T23:59"))).toBe(false);
  });

  it("the lunch break 12:00–13:00 is not working time", () => {
    expect(isWorkingTime(cal, sh("2026-03-10T11:59:59.999"))).toBe(true);
    expect(isWorkingTime(cal, sh("2026-03-10T12:00"))).toBe(false);
    expect(isWorkingTime(cal, sh("2026-03-10T12:30"))).toBe(false);
    expect(isWorkingTime(cal, sh("2026-03-10T13:00"))).toBe(true);
  });
});

describe("nextWorkingInstant", () => {
  it.each([
    ["2026-03-10T10:15:30", "2026-03-10T10:15:30", "already working"],
    ["2026-03-10T12:30", "2026-03-10T13:00", "inside the lunch break"],
    ["2026-03-10T07:00", "2026-03-10T09:00", "before opening"],
    ["2026-03-10T18:00", "2026-03-11T09:00", "at closing"],
    ["2026-10-09T19:00", "2026-10-10T09:00", "Friday evening → 调休 Saturday"],
    ["2026-10-10T19:00", "2026-10-12T09:00", "调休 Saturday evening → Monday"],
    ["2026-09-30T18:00", "2026-10-08T09:00", "over the whole National Day run"],
    ["2026-02-13T18:30", "2026-02-14T09:00", "Friday → 调休 Saturday before Spring Festival"],
    ["2026-02-14T18:00", "2026-02-24T09:00", "over the Spring Festival run"],
    ["2026-01-01T10:00", "2026-01-04T09:00", "New Year → 调休 Sunday"],
  ])("%s → %s (%s)", (from, expected) => {
    expect(iso(nextWorkingInstant(cal, sh(from)))).toBe(iso(sh(expected)));
  });
});

describe("addWorkingMinutes / addWorkingHours", () => {
  it.each([
    ["2026-03-10T10:00", 30, "2026-03-10T10:30", "within the morning"],
    ["2026-03-10T11:30", 60, "2026-03-10T13:30", "across the lunch break"],
    ["2026-03-10T12:30", 30, "2026-03-10T13:30", "starting inside the lunch break"],
    ["2026-03-10T11:00", 60, "2026-03-10T12:00", "ending exactly at the lunch break"],
    ["2026-03-10T07:00", 30, "2026-03-10T09:30", "starting before opening"],
    ["2026-03-10T19:00", 30, "2026-03-11T09:30", "starting after closing"],
    ["2026-03-10T17:30", 60, "2026-03-11T09:30", "across midnight"],
    ["2026-03-10T17:00", 60, "2026-03-10T18:00", "ending exactly at closing, not next morning"],
    ["2026-09-30T17:00", 120, "2026-10-08T10:00", "over National Day"],
    ["2026-10-09T17:00", 120, "2026-10-10T10:00", "into the 调休 Saturday"],
    ["2026-02-13T17:00", 60 * 9, "2026-02-14T18:00", "to the close of the 调休 Saturday"],
    ["2026-02-13T17:00", 60 * 10, "2026-02-24T10:00", "over 调休 Saturday and the Spring Festival run"],
    ["2026-02-27T17:00", 120, "2026-02-28T10:00", "into the 2026-02-28 调休 Saturday"],
    ["2026-03-10T10:00", 0, "2026-03-10T10:00", "zero is the identity"],
    ["2026-03-10T12:30", 0, "2026-03-10T12:30", "zero is the identity even off hours"],
  ])("%s + %i min → %s (%s)", (from, minutes, expected) => {
    expect(iso(addWorkingMinutes(cal, sh(from), minutes))).toBe(iso(sh(expected)));
  });

  it("counts negative amounts backwards to the latest instant", () => {
    expect(iso(addWorkingMinutes(cal, sh("2026-10-08T10:00"), -120))).toBe(iso(sh("2026-09-30T17:00")));
    expect(iso(addWorkingMinutes(cal, sh("2026-03-11T09:00"), -60))).toBe(iso(sh("2026-03-10T17:00")));
    expect(iso(addWorkingMinutes(cal, sh("2026-03-10T14:00"), -60))).toBe(iso(sh("2026-03-10T13:00")));
    expect(iso(addWorkingMinutes(cal, sh("2026-03-10T14:00"), -90))).toBe(iso(sh("2026-03-10T11:30")));
  });

  it("keeps seconds and milliseconds exact", () => {
    expect(iso(addWorkingMinutes(cal, sh("2026-03-10T11:59:30.250"), 1))).toBe(iso(sh("2026-03-10T13:00:30.250")));
    expect(iso(addWorkingMinutes(cal, sh("2026-03-10T10:00"), 1.5))).toBe(iso(sh("2026-03-10T10:01:30")));
    expect(iso(addWorkingMilliseconds(cal, sh("2026-03-10T17:59:59.999"), 2))).toBe(iso(sh("2026-03-11T09:00:00.001")));
  });

  it("adds hours, including fractional hours", () => {
    expect(iso(addWorkingHours(cal, sh("2026-03-10T17:00"), 8))).toBe(iso(sh("2026-03-11T17:00")));
    expect(iso(addWorkingHours(cal, sh("2026-03-10T09:00"), 2.25))).toBe(iso(sh("2026-03-10T11:15")));
  });

  it("adds 30 working days' worth of minutes over a whole holiday season", () => {
    // 8 working hours a day; 2026-09-21 (Mon) .. : 21–24 (4), 28–30 (3), 10-08–10 (3), 12–16 (5),
    // 19–23 (5), 26–30 (5), 11-02–06 (5) = 30 days, so 30×480 minutes end at 11-06 18:00.
    expect(iso(addWorkingMinutes(cal, sh("2026-09-21T09:00"), 30 * 480))).toBe(iso(sh("2026-11-06T18:00")));
  });

  it("adds 10,000 working minutes quickly (interval walk, not minute steps)", () => {
    // No clock reading: a busy machine can stall any run. A walk gone wrong shows as the test's
    // time limit (testTimeout), far above what 200 interval walks take.
    for (let i = 0; i < 200; i++) addWorkingMinutes(cal, sh("2026-01-05T09:00"), 10_000 + i);
    // 10,000 min = 20 days of 480 min + 400 min; from Mon 01-05: the 21st working day is 02-02.
    expect(iso(addWorkingMinutes(cal, sh("2026-01-05T09:00"), 10_000))).toBe(iso(sh("2026-02-02T16:40")));
  });
});

describe("across the year end 2026 → 2027", () => {
  it("treats 2027 without holiday data as weekly hours only", () => {
    // 2027-01-01 is a Friday; without 2027 data it is an ordinary working day.
    expect(isWorkingTime(cal, sh("2027-01-01T10:00"))).toBe(true);
    expect(iso(addWorkingMinutes(cal, sh("2026-12-31T17:00"), 120))).toBe(iso(sh("2027-01-01T10:00")));
    expect(workingMinutesBetween(cal, sh("2026-12-31T09:00"), sh("2027-01-04T09:00"))).toBe(2 * 480);
  });

  it("uses 2027 holidays once ADMIN adds them", () => {
    const with2027 = replaceHolidayYear(cal, 2027, {
      holidays: ["2027-01-01", "2027-01-02", "2027-01-03"].map((date) => ({ date, name: "元旦" })),
      adjustedWorkingDays: [],
    });
    expect(isWorkingTime(with2027, sh("2027-01-01T10:00"))).toBe(false);
    expect(iso(addWorkingMinutes(with2027, sh("2026-12-31T17:00"), 120))).toBe(iso(sh("2027-01-04T10:00")));
    expect(iso(addWorkingMinutes(with2027, sh("2027-01-04T09:30"), -60))).toBe(iso(sh("2026-12-31T17:30")));
    expect(workingMinutesBetween(with2027, sh("2026-12-31T09:00"), sh("2027-01-04T09:00"))).toBe(480);
  });
});

describe("workingMinutesBetween", () => {
  it("counts the Spring Festival season", () => {
    // 02-13 Fri, 02-14 调休 Sat, then 02-24..27: six working days.
    expect(workingMinutesBetween(cal, sh("2026-02-13T09:00"), sh("2026-02-27T18:00"))).toBe(6 * 480);
    // 02-27 Fri and the 02-28 调休 Saturday.
    expect(workingMinutesBetween(cal, sh("2026-02-27T09:00"), sh("2026-03-02T09:00"))).toBe(2 * 480);
  });

  it("counts across National Day and the 10-10 调休 Saturday", () => {
    expect(workingMinutesBetween(cal, sh("2026-09-30T10:00"), sh("2026-10-09T10:00"))).toBe(7 * 60 + 8 * 60 + 60);
    expect(workingMinutesBetween(cal, sh("2026-10-09T18:00"), sh("2026-10-12T09:00"))).toBe(480);
  });

  it("ignores non-working time at both ends", () => {
    expect(workingMinutesBetween(cal, sh("2026-03-10T12:10"), sh("2026-03-10T12:50"))).toBe(0);
    expect(workingMinutesBetween(cal, sh("2026-03-10T11:30"), sh("2026-03-10T13:30"))).toBe(60);
    expect(workingMinutesBetween(cal, sh("2026-03-10T20:00"), sh("2026-03-11T08:00"))).toBe(0);
    expect(workingMinutesBetween(cal, sh("2026-03-10T10:00"), sh("2026-03-10T10:00"))).toBe(0);
  });

  it("is negative when the second instant is earlier (time overdue)", () => {
    expect(workingMinutesBetween(cal, sh("2026-10-08T10:00"), sh("2026-09-30T17:00"))).toBe(-120);
    expect(workingMinutesBetween(cal, sh("2026-03-10T12:50"), sh("2026-03-10T12:10"))).toBe(0);
  });

  it("gives fractional minutes for instants with seconds", () => {
    expect(workingMinutesBetween(cal, sh("2026-03-10T10:00"), sh("2026-03-10T10:00:30"))).toBe(0.5);
    expect(workingMillisecondsBetween(cal, sh("2026-03-10T11:59:59.999"), sh("2026-03-10T13:00:00.001"))).toBe(2);
  });
});

describe("calendars whose working time crosses midnight", () => {
  it("a 24-hour desk in Shanghai adds straight across midnight", () => {
    const desk = roundTheClock("Asia/Shanghai");
    expect(iso(addWorkingMinutes(desk, sh("2026-10-01T23:30"), 60))).toBe(iso(sh("2026-10-02T00:30")));
    expect(workingMinutesBetween(desk, sh("2026-12-31T23:00"), sh("2027-01-01T01:00"))).toBe(120);
    expect(isWorkingTime(desk, sh("2026-10-02T00:00"))).toBe(true);
  });

  it("a night shift 22:00–06:00 is one stretch across midnight", () => {
    const night = nightShift("Asia/Shanghai");
    // 2026-03-09 is a Monday.
    expect(iso(addWorkingMinutes(night, sh("2026-03-09T23:00"), 120))).toBe(iso(sh("2026-03-10T01:00")));
    expect(iso(addWorkingMinutes(night, sh("2026-03-10T05:30"), 60))).toBe(iso(sh("2026-03-10T22:30")));
    expect(workingMinutesBetween(night, sh("2026-03-09T21:00"), sh("2026-03-10T07:00"))).toBe(8 * 60);
    // Friday morning ends the week; the next shift starts Monday night.
    expect(iso(nextWorkingInstant(night, sh("2026-03-13T06:00")))).toBe(iso(sh("2026-03-16T22:00")));
  });
});

describe("argument checks", () => {
  it("refuses invalid dates and amounts with INVALID_ARGUMENT", () => {
    const expectCode = (fn: () => unknown) => {
      try {
        fn();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(CalendarError);
        expect((error as CalendarError).code).toBe("INVALID_ARGUMENT");
      }
    };
    expectCode(() => addWorkingMinutes(cal, new Date(Number.NaN), 10));
    expectCode(() => addWorkingMinutes(cal, sh("2026-03-10T10:00"), Number.NaN));
    expectCode(() => addWorkingMinutes(cal, sh("2026-03-10T10:00"), Number.POSITIVE_INFINITY));
    expectCode(() => isWorkingTime(cal, new Date("not a date")));
    expectCode(() => workingMinutesBetween(cal, sh("2026-03-10T10:00"), new Date(Number.NaN)));
  });
});
