import { describe, expect, it } from "vitest";

import { chinaStandardWeeklyHours } from "./default-china-calendar";
import { calendarDefinitionSchema, type CalendarDefinition, type WeeklyHours } from "./schemas";
import { china } from "./test-calendars";
import { validateCalendar } from "./validate-calendar";

const base = (patch: Partial<CalendarDefinition> = {}): CalendarDefinition => ({ ...china(), ...patch });
const week = (patch: Partial<WeeklyHours>): WeeklyHours => ({ ...chinaStandardWeeklyHours(), ...patch });
const codes = (definition: CalendarDefinition) => validateCalendar(definition).map((problem) => problem.code);

describe("validateCalendar", () => {
  it("accepts the default China calendar", () => {
    expect(validateCalendar(china())).toEqual([]);
  });

  it("refuses overlapping intervals and names the weekday", () => {
    const problems = validateCalendar(base({ weeklyHours: week({ 2: [{ start: "09:00", end: "12:30" }, { start: "12:00", end: "18:00" }] }) }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "OVERLAPPING_INTERVALS", weekday: 2, path: ["weeklyHours", "2", 1] });
  });

  it("finds an overlap hidden behind a long interval, whatever the order", () => {
    const hours = [{ start: "13:00", end: "14:00" }, { start: "09:00", end: "18:00" }, { start: "15:00", end: "16:00" }];
    expect(codes(base({ weeklyHours: week({ 3: hours }) })).filter((code) => code === "OVERLAPPING_INTERVALS")).toHaveLength(2);
  });

  it("accepts touching intervals (12:00 end, 12:00 start)", () => {
    expect(codes(base({ weeklyHours: week({ 1: [{ start: "09:00", end: "12:00" }, { start: "12:00", end: "18:00" }] }) }))).toEqual([]);
  });

  it("refuses an empty working week", () => {
    const empty: WeeklyHours = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
    expect(codes(base({ weeklyHours: empty }))).toEqual(["EMPTY_WEEK"]);
  });

  it("refuses invalid times, with the field", () => {
    const problems = validateCalendar(base({ weeklyHours: week({ 5: [{ start: "9:00", end: "25:00" }] }) }));
    expect(problems.map((problem) => [problem.code, problem.path.join(".")])).toEqual([
      ["INVALID_TIME", "weeklyHours.5.0.start"],
      ["INVALID_TIME", "weeklyHours.5.0.end"],
    ]);
    expect(codes(base({ weeklyHours: week({ 1: [{ start: "24:00", end: "24:00" }] }) }))).toEqual(["INVALID_TIME"]);
  });

  it("refuses intervals that end before (or when) they start, e.g. across midnight", () => {
    expect(codes(base({ weeklyHours: week({ 1: [{ start: "22:00", end: "06:00" }] }) }))).toEqual(["END_BEFORE_START"]);
    expect(codes(base({ weeklyHours: week({ 1: [{ start: "10:00", end: "10:00" }] }) }))).toEqual(["END_BEFORE_START"]);
  });

  it("allows 24:00 as the end of a day", () => {
    expect(codes(base({ weeklyHours: week({ 6: [{ start: "00:00", end: "24:00" }] }) }))).toEqual([]);
  });

  it("refuses an unknown time zone", () => {
    expect(codes(base({ timeZone: "Mars/Olympus_Mons" }))).toEqual(["UNKNOWN_TIME_ZONE"]);
    expect(codes(base({ timeZone: "" }))).toEqual(["UNKNOWN_TIME_ZONE"]);
    expect(codes(base({ timeZone: "Europe/Berlin" }))).toEqual([]);
  });

  it("refuses a date that is both holiday and adjusted working day", () => {
    const definition = china();
    definition.adjustedWorkingDays.push({ date: "2026-10-03", name: "mistake" });
    const problems = validateCalendar(definition);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "HOLIDAY_AND_WORKDAY_SAME_DATE", date: "2026-10-03" });
  });

  it("refuses dates that do not exist", () => {
    expect(codes(base({ holidays: [{ date: "2026-02-30", name: "x" }] }))).toEqual(["INVALID_DATE"]);
    expect(codes(base({ adjustedWorkingDays: [{ date: "2026-13-01" }] }))).toEqual(["INVALID_DATE"]);
  });

  it("checks the adjusted-day hours like a weekday", () => {
    expect(codes(base({ adjustedDayHours: [{ start: "09:00", end: "13:00" }, { start: "12:00", end: "18:00" }] }))).toEqual(["OVERLAPPING_INTERVALS"]);
    expect(codes(base({ adjustedDayHours: [] }))).toEqual(["EMPTY_ADJUSTED_DAY"]);
  });
});

describe("calendarDefinitionSchema", () => {
  it("parses the default calendar unchanged", () => {
    expect(calendarDefinitionSchema.parse(china())).toEqual(china());
  });

  it("applies the defaults: Asia/Shanghai and no holidays", () => {
    const parsed = calendarDefinitionSchema.parse({ weeklyHours: chinaStandardWeeklyHours() });
    expect(parsed.timeZone).toBe("Asia/Shanghai");
    expect(parsed.holidays).toEqual([]);
    expect(parsed.adjustedWorkingDays).toEqual([]);
  });

  it("reports each problem once, as an i18n key with the reason code", () => {
    const result = calendarDefinitionSchema.safeParse({
      timeZone: "Nowhere/Town",
      weeklyHours: week({ 1: [{ start: "09:00", end: "12:00" }, { start: "11:00", end: "25:00" }] }),
      holidays: [{ date: "2026-10-01", name: "国庆节" }],
      adjustedWorkingDays: [{ date: "2026-10-01" }],
    });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`) ?? [];
    expect(issues.sort()).toEqual([
      "adjustedWorkingDays.0.date calendar.problems.HOLIDAY_AND_WORKDAY_SAME_DATE",
      "timeZone calendar.problems.UNKNOWN_TIME_ZONE",
      "weeklyHours.1.1.end calendar.problems.INVALID_TIME",
    ]);
  });

  it("reports overlaps and an empty week through the schema too", () => {
    const overlap = calendarDefinitionSchema.safeParse({ weeklyHours: week({ 4: [{ start: "09:00", end: "12:00" }, { start: "11:00", end: "13:00" }] }) });
    expect(overlap.error?.issues.map((issue) => issue.message)).toEqual(["calendar.problems.OVERLAPPING_INTERVALS"]);
    const empty = calendarDefinitionSchema.safeParse({ weeklyHours: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] } });
    expect(empty.error?.issues.map((issue) => issue.message)).toEqual(["calendar.problems.EMPTY_WEEK"]);
  });

  it("refuses a missing weekday", () => {
    const { 7: _sunday, ...sixDays } = chinaStandardWeeklyHours();
    void _sunday;
    expect(calendarDefinitionSchema.safeParse({ weeklyHours: sixDays }).success).toBe(false);
  });
});
