import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CALENDAR_PROBLEM_CODES, CN_CALENDAR_2026, buildDefaultChinaCalendar, expandHolidayRanges, officialYearEntries } from "@/lib/calendar";
import {
  calendarCreateSchema,
  calendarUpdateSchema,
  normalizeTimeText,
  parseOfficialNotice,
  removeYearSchema,
  yearEntriesSchema,
  yearFormFields,
} from "@/lib/calendar/admin-schemas";
import { addMonths, monthGrid } from "@/lib/calendar/month-grid";
import { holidayRangesOf, yearData, yearFormValuesOf } from "@/lib/calendar/year-entries";
import { fieldErrorsFrom } from "@/lib/forms";
import { en, zhCN } from "@/lib/i18n/messages";
import { createTranslator, hasMessage } from "@/lib/i18n/translate";
import { lunchDay, notice2027, settingsForm, yearForm } from "./helpers";

// The calendar administration's forms (the same zod schemas run in the browser and in
// defineAction), the pasted-notice reader, the year views and the month grid. No database.

const zh = createTranslator(zhCN);
const english = createTranslator(en);
const errorsOf = (result: { success: boolean; error?: Parameters<typeof fieldErrorsFrom>[0] }, t = zh) => (result.success ? {} : fieldErrorsFrom(result.error!, t));

describe("messages", () => {
  it("has calendar.problems.<CODE> (used by lib/calendar/schemas.ts) and the form's copy in both languages", () => {
    for (const code of CALENDAR_PROBLEM_CODES) {
      for (const messages of [zhCN, en]) {
        expect(hasMessage(messages, `calendar.problems.${code}`), code).toBe(true);
        expect(hasMessage(messages, `calendar.v.problems.${code}`), code).toBe(true);
      }
    }
  });
});

describe("the settings form", () => {
  it("accepts a week with a lunch break and gives the definition's shape", () => {
    const parsed = calendarCreateSchema.parse(settingsForm({ code: "cn-2", timeZone: "asia/shanghai" }));
    expect(parsed).toEqual({
      name: "中国大陆工作日历",
      nameEn: "Mainland China business calendar",
      code: "CN-2",
      timeZone: "Asia/Shanghai",
      isDefault: false,
      includeOfficialHolidays: false,
      weeklyHours: { 1: lunchDay(), 2: lunchDay(), 3: lunchDay(), 4: lunchDay(), 5: lunchDay(), 6: [], 7: [] },
      adjustedDayHours: undefined,
    });
  });

  it("puts each problem beside its field, in the person's language, all at once", () => {
    const result = calendarUpdateSchema.safeParse({
      ...settingsForm({
        id: "cncalendar2026default00001",
        version: 3,
        code: "CN DEFAULT",
        timeZone: "Asia/Peking",
        weeklyHours: {
          1: [{ start: "9 点", end: "12:00" }],
          2: lunchDay(),
          3: [{ start: "18:00", end: "09:00" }],
          4: [
            { start: "09:00", end: "18:00" },
            { start: "13:00", end: "14:00" },
          ],
          7: [{ start: "00:00", end: "24:00" }],
        },
      }),
      name: "",
    });
    expect(errorsOf(result)).toEqual({
      name: ["必填。"],
      code: ["代码只能包含字母、数字和连字符，最多 32 位。"],
      timeZone: ["不是系统认识的时区名称（IANA 格式，例如 Asia/Shanghai）。"],
      "weeklyHours.1.0.start": ["请输入有效的时间（HH:MM，00:00–23:59；结束时间可以是 24:00）。"],
      "weeklyHours.3.0": ["结束时间必须晚于开始时间（时段不能跨过午夜，请拆成两天的两个时段）。"],
      "weeklyHours.4.1": ["与同一天的另一个时段重叠。"],
    });
    expect(errorsOf(result, english)["weeklyHours.4.1"]).toEqual(["Overlaps another interval of the same day."]);
  });

  it("accepts touching intervals and a night shift split at midnight", () => {
    const result = calendarCreateSchema.safeParse(
      settingsForm({
        weeklyHours: {
          1: [
            { start: "09:00", end: "13:00" },
            { start: "13:00", end: "18:00" },
          ],
          5: [{ start: "22:00", end: "24:00" }],
          6: [{ start: "00:00", end: "06:00" }],
        },
      }),
    );
    expect(errorsOf(result)).toEqual({});
  });

  it("refuses an empty week and empty adjusted-day hours", () => {
    const empty = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
    expect(Object.keys(errorsOf(calendarCreateSchema.safeParse(settingsForm({ weeklyHours: empty }))))).toEqual(["weeklyHours"]);
    const noAdjusted = calendarCreateSchema.safeParse(settingsForm({ adjustedDayHours: [] }));
    expect(errorsOf(noAdjusted)).toEqual({ adjustedDayHours: ["调休工作日的工作时间不能为空。"] });
    const adjusted = calendarCreateSchema.parse(settingsForm({ adjustedDayHours: [{ start: "10:00", end: "15:00" }] }));
    expect(adjusted.adjustedDayHours).toEqual([{ start: "10:00", end: "15:00" }]);
  });

  it("keeps rows in order whatever order the fields arrive in", () => {
    const form = settingsForm();
    const reversed = Object.fromEntries(Object.entries(form).reverse());
    expect(calendarCreateSchema.parse(reversed).weeklyHours[1]).toEqual(lunchDay());
  });
});

describe("the year form", () => {
  it("turns holiday ranges and adjusted days into the command's input", () => {
    const parsed = yearEntriesSchema.parse(yearForm(notice2027));
    expect(parsed.year).toBe(2027);
    expect(parsed.holidays[0]).toEqual({ name: "元旦", nameEn: "New Year's Day", from: "2027-01-01", to: "2027-01-03" });
    expect(parsed.adjustedWorkingDays).toEqual([{ date: "2027-01-31", name: "春节调休" }, { date: "2027-02-20", name: "春节调休" }, { date: "2027-04-25" }]);
    expect(expandHolidayRanges(parsed.holidays)).toHaveLength(17);
  });

  it("refuses dates outside the year, backwards and overlapping ranges, and a date both holiday and 调休", () => {
    const result = yearEntriesSchema.safeParse(
      yearForm({
        year: "2027",
        holidays: [
          { name: "元旦", nameEn: "", from: "2026-12-31", to: "2027-01-02" },
          { name: "春节", nameEn: "", from: "2027-02-13", to: "2027-02-05" },
          { name: "劳动节", nameEn: "", from: "2027-05-01", to: "2027-05-05" },
          { name: "劳动节", nameEn: "", from: "2027-05-05", to: "2027-05-06" },
          { name: "", nameEn: "", from: "2027-02-30", to: "2027-10-31" },
        ],
        adjustedWorkingDays: [
          { date: "2027-05-03", name: "" },
          { date: "2027-04-25", name: "" },
          { date: "2027-04-25", name: "" },
          { date: "2028-01-01", name: "" },
        ],
      }),
    );
    expect(errorsOf(result)).toEqual({
      "holidays.0.from": ["日期不在所填的年份内。跨年的假期请分别录入到各自的年份。"],
      "holidays.1.to": ["结束日期不能早于开始日期。"],
      "holidays.3.from": ["与前面的节假日日期重叠。"],
      "holidays.4.name": ["必填。"],
      "holidays.4.from": ["请输入有效的日期（YYYY-MM-DD）。"],
      "adjustedWorkingDays.0.date": ["这一天同时被列为节假日和调休工作日。"],
      "adjustedWorkingDays.2.date": ["这一天已经列过了。"],
      "adjustedWorkingDays.3.date": ["日期不在所填的年份内。跨年的假期请分别录入到各自的年份。"],
    });
  });

  it("refuses a year without entries and a year that is not one", () => {
    expect(errorsOf(yearEntriesSchema.safeParse(yearForm({ year: "27", holidays: [], adjustedWorkingDays: [] })))).toEqual({
      year: ["请输入 1900–9999 之间的四位年份。"],
      holidays: ["请至少填写一段节假日或一个调休工作日。要删除一年的数据，请使用“删除”。"],
    });
    const longRange = yearForm({ year: "2027", holidays: [{ name: "长假", nameEn: "", from: "2027-07-01", to: "2027-08-15" }], adjustedWorkingDays: [] });
    expect(errorsOf(yearEntriesSchema.safeParse(longRange))).toEqual({ "holidays.0.to": ["一段假期最长 31 天。"] });
    expect(removeYearSchema.safeParse({ calendarId: "cncalendar2026default00001", version: "2", year: "20x7" }).success).toBe(false);
  });

  it("reads a pasted official notice (the 2026 notice's shape) into rows that give the shipped year", () => {
    const pasted = parseOfficialNotice(JSON.stringify(CN_CALENDAR_2026, null, 2));
    if (!pasted.ok) throw new Error(pasted.detail);
    expect(pasted.values.year).toBe("2026");
    expect(pasted.values.holidays).toHaveLength(7);
    expect(pasted.values.adjustedWorkingDays[0]).toEqual({ date: "2026-01-04", name: "元旦调休" });
    const parsed = yearEntriesSchema.parse(yearFormFields(pasted.values));
    const official = officialYearEntries(CN_CALENDAR_2026);
    expect(expandHolidayRanges(parsed.holidays)).toEqual(official.holidays);
    expect(parsed.adjustedWorkingDays).toEqual(official.adjustedWorkingDays);
  });

  // The published notice itself, pasted as is (kept in the repository with its source:
  // tests/fixtures/reference/README.md).
  const referencePath = join(import.meta.dirname, "..", "fixtures", "reference", "cn-calendar-2026.json");
  it("reads the published 2026 notice (tests/fixtures/reference/cn-calendar-2026.json) pasted as is", () => {
    const pasted = parseOfficialNotice(readFileSync(referencePath, "utf8"));
    if (!pasted.ok) throw new Error(pasted.detail);
    const parsed = yearEntriesSchema.parse(yearFormFields(pasted.values));
    expect({ holidays: expandHolidayRanges(parsed.holidays), adjustedWorkingDays: parsed.adjustedWorkingDays }).toEqual(officialYearEntries(CN_CALENDAR_2026));
  });

  it("explains a notice that is not JSON or not the notice's shape", () => {
    expect(parseOfficialNotice("{ year: 2027 ")).toMatchObject({ ok: false, error: "calendar.yearForm.json.syntax" });
    expect(parseOfficialNotice(JSON.stringify({ year: "2027", holidays: [] }))).toMatchObject({ ok: false, error: "calendar.yearForm.json.shape", detail: expect.stringContaining("year") });
    expect(parseOfficialNotice(JSON.stringify({ year: 2027, holidays: [{ name: "元旦", from: "2027-01-01" }] }))).toMatchObject({
      ok: false,
      detail: expect.stringContaining("holidays.0.to"),
    });
  });
});

describe("a year's stored entries", () => {
  it("folds one-per-date holidays back into the notice's ranges, which expand to the same dates", () => {
    const calendar = buildDefaultChinaCalendar();
    const ranges = holidayRangesOf(calendar.holidays);
    expect(ranges.map((r) => [r.name, r.from, r.to, r.days])).toEqual(CN_CALENDAR_2026.holidays.map((h) => [h.name, h.from, h.to, expandHolidayRanges([h]).length]));
    const values = yearFormValuesOf(calendar, 2026);
    expect(expandHolidayRanges(yearEntriesSchema.parse(yearFormFields(values)).holidays)).toEqual(calendar.holidays);
    expect(yearData(calendar, 2027)).toEqual({ year: 2027, holidays: [], ranges: [], adjustedWorkingDays: [] });
  });

  it("keeps adjacent holidays with different names apart", () => {
    const ranges = holidayRangesOf([
      { date: "2023-10-01", name: "国庆节" },
      { date: "2023-09-29", name: "中秋节" },
      { date: "2023-09-30", name: "国庆节" },
    ]);
    expect(ranges.map((r) => `${r.name} ${r.from}–${r.to}`)).toEqual(["中秋节 2023-09-29–2023-09-29", "国庆节 2023-09-30–2023-10-01"]);
  });
});

describe("the month grid", () => {
  it("shows October 2026 as the calendar makes it, Monday first", () => {
    const grid = monthGrid(buildDefaultChinaCalendar(), "2026-10");
    expect(grid.weeks).toHaveLength(5);
    // 2026-10-01 is a Thursday.
    expect(grid.weeks[0].slice(0, 3)).toEqual([null, null, null]);
    expect(grid.weeks[0][3]).toMatchObject({ date: "2026-10-01", kind: "HOLIDAY", name: "国庆节", nameEn: "National Day", hours: [] });
    const byDate = new Map(grid.weeks.flat().filter((d) => d !== null).map((d) => [d.date, d]));
    expect(byDate.get("2026-10-08")).toMatchObject({ kind: "WORKING_DAY", hours: lunchDay() });
    expect(byDate.get("2026-10-10")).toMatchObject({ kind: "ADJUSTED_WORKING_DAY", name: "国庆节调休", weekday: 6 });
    expect(byDate.get("2026-10-11")).toMatchObject({ kind: "DAY_OFF" });
    // 8–31 October: 24 days, 7 of them weekend days, one of which (the 10th) is worked.
    expect(grid.counts).toEqual({ working: 17, dayOff: 6, holiday: 7, adjusted: 1 });
    expect(grid.missingHolidayData).toBe(false);
    expect(monthGrid(buildDefaultChinaCalendar(), "2027-01").missingHolidayData).toBe(true);
  });

  it("navigates across year ends", () => {
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2027-01", -1)).toBe("2026-12");
    expect(addMonths("2026-10", -22)).toBe("2024-12");
  });
});

describe("typing times", () => {
  it("accepts 9:00, 0900 and a full-width colon as 09:00, and leaves nonsense for validation", () => {
    expect(["9:00", "0900", "09：00", " 09:00 ", "9.00"].map(normalizeTimeText)).toEqual(["09:00", "09:00", "09:00", "09:00", "09:00"]);
    expect(normalizeTimeText("25:00")).toBe("25:00");
    expect(normalizeTimeText("nine")).toBe("nine");
    const parsed = calendarCreateSchema.parse(settingsForm({ weeklyHours: { 1: [{ start: "9:00", end: "1800" }] } }));
    expect(parsed.weeklyHours[1]).toEqual([{ start: "09:00", end: "18:00" }]);
  });
});
