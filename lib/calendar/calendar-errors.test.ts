import { describe, expect, it } from "vitest";

import { addCalendarMinutes, calendarMinutesBetween } from "./calendar-time";
import { isWorkingDay } from "./day-info";
import { CalendarError } from "./errors";
import { china, emptyWeek, iso, sh } from "./test-calendars";
import { addWorkingDays } from "./working-days";
import { addWorkingMinutes, isWorkingTime, nextWorkingInstant, workingMinutesBetween } from "./working-time";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof CalendarError) return error.code;
    throw error;
  }
  return undefined;
}

describe("a calendar without working time", () => {
  const none = emptyWeek();

  it("throws NO_WORKING_TIME instead of looping forever", () => {
    expect(codeOf(() => addWorkingMinutes(none, sh("2026-03-10T10:00"), 1))).toBe("NO_WORKING_TIME");
    expect(codeOf(() => addWorkingMinutes(none, sh("2026-03-10T10:00"), -1))).toBe("NO_WORKING_TIME");
    expect(codeOf(() => nextWorkingInstant(none, sh("2026-03-10T10:00")))).toBe("NO_WORKING_TIME");
    expect(codeOf(() => addWorkingDays(none, sh("2026-03-10T10:00"), 1))).toBe("NO_WORKING_TIME");
  });

  it("answers the bounded questions without throwing", () => {
    expect(isWorkingTime(none, sh("2026-03-10T10:00"))).toBe(false);
    expect(workingMinutesBetween(none, sh("2026-03-10T10:00"), sh("2030-03-10T10:00"))).toBe(0);
    expect(isWorkingDay(none, "2026-03-10")).toBe(false);
  });

  it("works on its adjusted working days and throws only past them", () => {
    const onlyTwo = emptyWeek(["2026-03-14", "2026-10-10"]);
    expect(iso(addWorkingMinutes(onlyTwo, sh("2026-01-01T00:00"), 60))).toBe(iso(sh("2026-03-14T10:00")));
    expect(iso(addWorkingMinutes(onlyTwo, sh("2026-01-01T00:00"), 9 * 60 + 30))).toBe(iso(sh("2026-10-10T09:30")));
    expect(iso(addWorkingDays(onlyTwo, sh("2026-01-01T00:00"), 2, { at: "end-of-day" }))).toBe(iso(sh("2026-10-10T18:00")));
    expect(codeOf(() => addWorkingMinutes(onlyTwo, sh("2026-01-01T00:00"), 18 * 60 + 1))).toBe("NO_WORKING_TIME");
    expect(codeOf(() => addWorkingMinutes(onlyTwo, sh("2026-03-14T10:00"), -120))).toBe("NO_WORKING_TIME");
    expect(workingMinutesBetween(onlyTwo, sh("2020-01-01T00:00"), sh("2030-01-01T00:00"))).toBe(18 * 60);
  });
});

describe("an invalid definition", () => {
  it("is refused with INVALID_CALENDAR and its problems", () => {
    const broken = { ...china(), weeklyHours: { ...china().weeklyHours, 1: [{ start: "09:00", end: "13:00" }, { start: "12:00", end: "18:00" }] } };
    try {
      addWorkingMinutes(broken, sh("2026-03-10T10:00"), 10);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarError);
      expect((error as CalendarError).code).toBe("INVALID_CALENDAR");
      expect((error as CalendarError).problems.map((problem) => problem.code)).toEqual(["OVERLAPPING_INTERVALS"]);
    }
    expect(codeOf(() => isWorkingTime({ ...china(), timeZone: "Atlantis/Capital" }, sh("2026-03-10T10:00")))).toBe("INVALID_CALENDAR");
  });
});

describe("limits", () => {
  it("refuses to walk past the supported years", () => {
    expect(codeOf(() => addWorkingDays(china(), new Date("9999-12-30T12:00:00Z"), 5))).toBe("OUT_OF_RANGE");
  });

  it("refuses amounts whose answer lies more than a century away, quickly", () => {
    // No clock reading (a busy machine can stall any run): walking a century shows as the test's
    // time limit (testTimeout).
    expect(codeOf(() => addWorkingMinutes(china(), sh("2026-03-10T10:00"), 1e12))).toBe("OUT_OF_RANGE");
    expect(codeOf(() => addWorkingDays(china(), sh("2026-03-10T10:00"), -1e9))).toBe("OUT_OF_RANGE");
    expect(codeOf(() => workingMinutesBetween(china(), sh("1950-01-01T00:00"), sh("2200-01-01T00:00")))).toBe("OUT_OF_RANGE");
    // A decade is fine.
    expect(workingMinutesBetween(china(), sh("2026-01-01T00:00"), sh("2036-01-01T00:00"))).toBeGreaterThan(0);
  });
});

describe("calendar time", () => {
  it("adds and measures elapsed minutes, ignoring holidays", () => {
    expect(iso(addCalendarMinutes(china(), sh("2026-09-30T17:00"), 24 * 60))).toBe(iso(sh("2026-10-01T17:00")));
    expect(iso(addCalendarMinutes(china(), sh("2026-09-30T17:00"), -0.5))).toBe(iso(sh("2026-09-30T16:59:30")));
    expect(calendarMinutesBetween(sh("2026-10-01T17:00"), sh("2026-09-30T17:00"))).toBe(-24 * 60);
    expect(codeOf(() => addCalendarMinutes(china(), sh("2026-09-30T17:00"), Number.NaN))).toBe("INVALID_ARGUMENT");
  });
});
