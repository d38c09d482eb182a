import { describe, expect, it } from "vitest";
import { addMonthsToCivilDate } from "./civil-date";
import { addCalendarMonths } from "./calendar-time";
import { buildDefaultChinaCalendar } from "./default-china-calendar";
import { isCalendarError } from "./errors";
import { office } from "./test-calendars";

// Calendar-month arithmetic ("+1 month", "+1 year") happens on the civil date the calendar's
// zone shows, with the day clamped to the end of a shorter month. In China (UTC+8) the local
// date runs ahead of the UTC one from 00:00 to 08:00, so arithmetic on the UTC date lands a day
// late at month ends.

const china = buildDefaultChinaCalendar();
const at = (iso: string) => new Date(iso);

describe("addMonthsToCivilDate", () => {
  it.each([
    ["2026-01-31", 1, "2026-02-28"],
    ["2026-01-30", 1, "2026-02-28"],
    ["2028-01-31", 1, "2028-02-29"],
    ["2028-02-29", 12, "2029-02-28"],
    ["2028-02-29", 48, "2032-02-29"],
    ["2026-03-31", 1, "2026-04-30"],
    ["2026-03-31", -1, "2026-02-28"],
    ["2026-12-15", 1, "2027-01-15"],
    ["2027-01-15", -1, "2026-12-15"],
    ["2026-08-31", 6, "2027-02-28"],
    ["2026-05-31", 0, "2026-05-31"],
    ["2100-01-31", 1, "2100-02-28"], // 2100 is not a leap year
    ["2000-01-31", 1, "2000-02-29"], // 2000 is
  ])("%s + %i months = %s", (from, months, expected) => {
    expect(addMonthsToCivilDate(from, months)).toBe(expected);
  });

  it("refuses a fractional amount, a non-date and leaving the supported years", () => {
    for (const bad of [() => addMonthsToCivilDate("2026-01-31", 1.5), () => addMonthsToCivilDate("2026-02-30", 1), () => addMonthsToCivilDate("1900-01-15", -1)]) {
      expect(bad).toThrow();
      try {
        bad();
      } catch (e) {
        expect(isCalendarError(e)).toBe(true);
      }
    }
  });
});

describe("addCalendarMonths on the China-time civil date", () => {
  it.each([
    // completions between 00:00 and 08:00 China time, when the UTC date is still the day before
    ["2026-01-31T02:00:00+08:00", 1, "2026-02-28T02:00:00+08:00"],
    ["2026-03-31T07:30:00+08:00", 1, "2026-04-30T07:30:00+08:00"],
    ["2026-03-01T00:00:00+08:00", 1, "2026-04-01T00:00:00+08:00"],
    ["2026-05-31T07:59:59.999+08:00", 1, "2026-06-30T07:59:59.999+08:00"],
    ["2028-01-31T06:00:00+08:00", 1, "2028-02-29T06:00:00+08:00"],
    ["2028-02-29T01:00:00+08:00", 12, "2029-02-28T01:00:00+08:00"],
    ["2027-02-28T03:00:00+08:00", 12, "2028-02-28T03:00:00+08:00"],
    ["2026-12-31T05:00:00+08:00", 2, "2027-02-28T05:00:00+08:00"],
    // later in the day the two dates agree anyway
    ["2026-01-31T12:00:00+08:00", 1, "2026-02-28T12:00:00+08:00"],
    ["2026-03-10T10:00:00+08:00", 12, "2027-03-10T10:00:00+08:00"],
  ])("%s + %i months = %s", (from, months, expected) => {
    expect(addCalendarMonths(china, at(from), months).getTime()).toBe(at(expected).getTime());
  });

  it("keeps the wall-clock time across a daylight-saving switch (New York)", () => {
    const ny = office("America/New_York");
    // 2026-02-15 09:00 EST (UTC−5) + 1 month = 2026-03-15 09:00 EDT (UTC−4)
    expect(addCalendarMonths(ny, at("2026-02-15T14:00:00Z"), 1).toISOString()).toBe("2026-03-15T13:00:00.000Z");
  });
});
