import { describe, expect, it } from "vitest";
import { compareNames, formatDate, formatDateTime, formatDay, formatDuration, formatMinutes, sortByName } from "./format";

describe("one date and one date-time format", () => {
  const at = new Date("2026-12-06T06:30:05Z"); // 14:30:05 in Shanghai

  it("writes the China date and time the same way in both languages", () => {
    for (const locale of ["zh-CN", "en"]) {
      expect(formatDate(at, locale)).toBe("2026-12-06");
      expect(formatDateTime(at, locale)).toBe("2026-12-06 14:30");
      expect(formatDateTime(at, locale, { seconds: true })).toBe("2026-12-06 14:30:05");
    }
  });

  it("takes the China date across midnight UTC, and a DATE column's own day", () => {
    expect(formatDate(new Date("2026-12-05T17:00:00Z"))).toBe("2026-12-06");
    expect(formatDateTime(new Date("2026-12-05T16:00:00Z"))).toBe("2026-12-06 00:00");
    expect(formatDay(new Date("2026-12-06T00:00:00Z"))).toBe("2026-12-06");
  });

  it("shows a dash for nothing", () => {
    expect(formatDate(null)).toBe("—");
    expect(formatDateTime(undefined)).toBe("—");
    expect(formatDate(new Date(Number.NaN))).toBe("—");
  });
});

describe("durations as people say them", () => {
  const H = 3_600_000;
  it("uses the two largest units, in Chinese and in English with plurals", () => {
    expect(formatDuration(2 * 24 * H + 3 * H + 10 * 60_000, "zh-CN")).toBe("2 天 3 小时");
    expect(formatDuration(2 * 24 * H + 3 * H, "en")).toBe("2 days 3 hours");
    expect(formatDuration(24 * H + H, "en")).toBe("1 day 1 hour");
    expect(formatDuration(H + 20 * 60_000, "en")).toBe("1 hour 20 minutes");
    expect(formatMinutes(45, "zh-CN")).toBe("45 分钟");
    expect(formatMinutes(1, "en")).toBe("1 minute");
    expect(formatDuration(24 * H + 5 * 60_000, "zh-CN")).toBe("1 天");
    expect(formatDuration(10_000, "zh-CN")).toBe("不到 1 分钟");
    expect(formatDuration(10_000, "en")).toBe("under a minute");
    expect(formatMinutes(null, "en")).toBe("—");
  });
});

describe("names by pinyin", () => {
  it("sorts Chinese names by their pinyin, not by code point", () => {
    const names = ["张伟", "王芳", "李娜", "陈静", "赵磊", "安琪"];
    expect(sortByName(names, (n) => n)).toEqual(["安琪", "陈静", "李娜", "王芳", "张伟", "赵磊"]);
    // By code point 张 (U+5F20) would come before 王 (U+738B) and 李 (U+674E).
    expect(compareNames("李娜", "张伟")).toBeLessThan(0);
    expect(sortByName(["部门10", "部门2"], (n) => n)).toEqual(["部门2", "部门10"]);
  });
});
