import { describe, expect, it } from "vitest";

import { CalendarError } from "./errors";
import { china, iso, office, sh } from "./test-calendars";
import { addWorkingDays } from "./working-days";
import { isWorkingTime } from "./working-time";

const cal = china();

describe("addWorkingDays, same-time (default)", () => {
  it.each([
    ["2026-09-30T10:00", 1, "2026-10-08T10:00", "over National Day"],
    ["2026-09-30T10:00", 3, "2026-10-10T10:00", "onto the 调休 Saturday"],
    ["2026-09-30T10:00", 4, "2026-10-12T10:00", "past the 调休 Saturday"],
    ["2026-09-29T10:00", 3, "2026-10-09T10:00", "09-30, 10-08, 10-09"],
    ["2026-09-18T10:00", 1, "2026-09-20T10:00", "onto the 调休 Sunday"],
    ["2026-02-13T15:00", 1, "2026-02-14T15:00", "onto the 02-14 调休 Saturday"],
    ["2026-02-13T15:00", 2, "2026-02-24T15:00", "over the Spring Festival run"],
    ["2026-02-27T15:00", 1, "2026-02-28T15:00", "onto the 02-28 调休 Saturday"],
    ["2026-12-31T10:00", 1, "2027-01-01T10:00", "into 2027, which has no holiday data"],
    ["2026-03-10T12:30", 1, "2026-03-11T13:00", "from the lunch break: forward to 13:00"],
    ["2026-03-09T07:00", 1, "2026-03-10T09:00", "from before opening: forward to opening"],
    ["2026-03-09T19:00", 1, "2026-03-10T18:00", "from after closing: the close of the target day"],
    ["2026-03-14T10:00", 1, "2026-03-16T10:00", "from a Saturday: Monday"],
    ["2026-03-10T10:00", 0, "2026-03-10T10:00", "zero is the identity"],
    ["2026-10-08T10:00", -1, "2026-09-30T10:00", "backwards over National Day"],
    ["2026-10-12T10:00", -1, "2026-10-10T10:00", "backwards onto the 调休 Saturday"],
  ])("%s + %i → %s (%s)", (from, days, expected) => {
    expect(iso(addWorkingDays(cal, sh(from), days))).toBe(iso(sh(expected)));
  });

  it("adds 30 working days through the autumn holidays", () => {
    // The day of receipt (the 调休 Sunday 09-20) does not count; then 21–24 (4), 28–30 (3),
    // 10-08–10 (3), 12–16 (5), 19–23 (5), 26–30 (5), 11-02–06 (5) are the 30 working days.
    expect(iso(addWorkingDays(cal, sh("2026-09-20T11:00"), 30))).toBe(iso(sh("2026-11-06T11:00")));
    expect(iso(addWorkingDays(cal, sh("2026-09-21T11:00"), 30))).toBe(iso(sh("2026-11-09T11:00")));
  });

  it("always lands on working time or a day's close", () => {
    for (const local of ["2026-03-10T00:00", "2026-03-10T08:00", "2026-03-10T12:00", "2026-03-10T12:59", "2026-03-10T18:00", "2026-03-10T23:59"]) {
      const due = addWorkingDays(cal, sh(local), 2);
      expect(isWorkingTime(cal, due) || isWorkingTime(cal, new Date(due.getTime() - 1))).toBe(true);
    }
  });
});

describe("addWorkingDays, end-of-day (statutory periods)", () => {
  it("is the close of business of the Nth working day after the day of receipt", () => {
    expect(iso(addWorkingDays(cal, sh("2026-09-30T10:00"), 1, { at: "end-of-day" }))).toBe(iso(sh("2026-10-08T18:00")));
    expect(iso(addWorkingDays(cal, sh("2026-03-09T23:30"), 1, { at: "end-of-day" }))).toBe(iso(sh("2026-03-10T18:00")));
    expect(iso(addWorkingDays(cal, sh("2026-03-14T10:00"), 1, { at: "end-of-day" }))).toBe(iso(sh("2026-03-16T18:00")));
  });

  it("a data-subject request received 2026-09-18 is due 15 working days later, 2026-10-15 18:00", () => {
    // 09-20 (调休), 21–24, 28–30, 10-08, 09, 10 (调休), 12, 13, 14, 15: fifteen working days.
    expect(iso(addWorkingDays(cal, sh("2026-09-18T15:00"), 15, { at: "end-of-day" }))).toBe(iso(sh("2026-10-15T18:00")));
  });
});

describe("addWorkingDays argument checks", () => {
  it("refuses fractional days", () => {
    expect(() => addWorkingDays(cal, sh("2026-03-10T10:00"), 1.5)).toThrow(CalendarError);
  });

  it("works in another zone's local days", () => {
    const newYork = office("America/New_York");
    // 23:30 Monday in New York is already Tuesday in UTC; the day counted is New York's Monday.
    expect(iso(addWorkingDays(newYork, new Date("2026-03-10T03:30:00Z"), 1, { at: "end-of-day" }))).toBe("2026-03-10T22:00:00.000Z");
  });
});
