import { describe, expect, it } from "vitest";
import { compareNames, DISPLAY_TIME_ZONE, formatDate, formatDateTime, formatDay, formatDuration, formatMinutes, sortByName } from "./format";

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

  // formatDate and formatDateTime write China's and UTC's fields by arithmetic (the offset is fixed
  // there); they must write exactly what Intl writes, and leave older instants to Intl.
  it("writes exactly what Intl writes, for any instant since China's last summer time, and before it", () => {
    const intl = (value: Date, timeZone: string) =>
      new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(value);
    const instants = [
      Date.UTC(1991, 8, 14, 15, 59, 59), // 1991-09-14 23:59:59 in summer time (UTC+9): Intl's answer
      Date.UTC(1991, 8, 15, 0, 0, 0),
      Date.UTC(1988, 6, 1, 12, 0, 0), // summer time: 21:00 in Shanghai
      Date.UTC(1970, 0, 1),
      Date.UTC(2000, 1, 28, 16, 0, 0), // 2000-02-29 00:00 in Shanghai
      Date.UTC(2026, 11, 31, 15, 59, 59), // 23:59:59 on new year's eve
      Date.UTC(2026, 11, 31, 16, 0, 0),
      Date.UTC(9999, 11, 31, 15, 59, 59),
      Date.UTC(9999, 11, 31, 16, 0, 0), // year 10000 in Shanghai
      Date.UTC(999, 11, 31, 23, 59, 59),
    ];
    let seed = 20261207;
    for (let i = 0; i < 2_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      instants.push(Date.UTC(1985, 0, 1) + Math.floor((seed / 2_147_483_648) * (Date.UTC(2200, 0, 1) - Date.UTC(1985, 0, 1))));
    }
    for (const time of instants) {
      const at = new Date(time);
      for (const timeZone of [DISPLAY_TIME_ZONE, "UTC"]) {
        const [day, clock] = intl(at, timeZone).split(" ");
        expect(formatDateTime(at, "zh-CN", { seconds: true, timeZone }), `${at.toISOString()} in ${timeZone}`).toBe(`${day} ${clock}`);
        expect(formatDate(at, "zh-CN", timeZone)).toBe(day);
      }
    }
    expect(formatDateTime(new Date(Date.UTC(1988, 6, 1, 12, 0, 0)))).toBe("1988-07-01 21:00");
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
