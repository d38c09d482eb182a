import { describe, expect, it } from "vitest";

import { civilDateToDay, formatCivilDate, isoWeekdayOfDay, parseCivilDate, parseTimeOfDay } from "./civil-date";
import { instantAtLocalTime, instantsForLocalRange, isKnownTimeZone, localDayOf, offsetAt, offsetPiecesForDay } from "./time-zone";

const HOUR = 3_600_000;
const day = (date: string) => civilDateToDay(date);

describe("civil dates and times of day", () => {
  it("parses real dates only", () => {
    expect(parseCivilDate("2026-02-28")).toBe(Date.UTC(2026, 1, 28) / 86_400_000);
    expect(parseCivilDate("2026-02-29")).toBeUndefined();
    expect(parseCivilDate("2028-02-29")).toBeDefined();
    expect(parseCivilDate("2026-1-01")).toBeUndefined();
    expect(formatCivilDate(day("2026-10-10"))).toBe("2026-10-10");
  });

  it("numbers weekdays the ISO way", () => {
    expect(isoWeekdayOfDay(day("2026-10-12"))).toBe(1);
    expect(isoWeekdayOfDay(day("2026-10-10"))).toBe(6);
    expect(isoWeekdayOfDay(day("2026-10-11"))).toBe(7);
    expect(isoWeekdayOfDay(day("1969-12-31"))).toBe(3);
  });

  it("parses HH:MM, with 24:00 as the end of a day", () => {
    expect(parseTimeOfDay("00:00")).toBe(0);
    expect(parseTimeOfDay("13:30")).toBe(810);
    expect(parseTimeOfDay("24:00")).toBe(1440);
    for (const bad of ["24:01", "9:00", "12:60", "25:00", "noon", ""]) expect(parseTimeOfDay(bad)).toBeUndefined();
  });
});

describe("time zones through Intl", () => {
  it("knows IANA names and refuses others", () => {
    expect(isKnownTimeZone("Asia/Shanghai")).toBe(true);
    expect(isKnownTimeZone("America/New_York")).toBe(true);
    expect(isKnownTimeZone("Asia/Beijing")).toBe(false);
    expect(isKnownTimeZone(" Asia/Shanghai")).toBe(false);
  });

  it("gives UTC offsets on both sides of a switch", () => {
    expect(offsetAt("Asia/Shanghai", Date.UTC(2026, 6, 1))).toBe(8 * HOUR);
    expect(offsetAt("Europe/Berlin", Date.parse("2026-03-29T00:59:59Z"))).toBe(HOUR);
    expect(offsetAt("Europe/Berlin", Date.parse("2026-03-29T01:00:00Z"))).toBe(2 * HOUR);
    expect(offsetAt("America/New_York", Date.parse("2026-11-01T05:59:59Z"))).toBe(-4 * HOUR);
    expect(offsetAt("America/New_York", Date.parse("2026-11-01T06:00:00Z"))).toBe(-5 * HOUR);
  });

  it("finds the switch instant to the second", () => {
    const pieces = offsetPiecesForDay("Europe/Berlin", day("2026-03-29"));
    expect(pieces).toHaveLength(2);
    expect(new Date(pieces[0].end).toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(offsetPiecesForDay("Asia/Shanghai", day("2026-03-29"))).toHaveLength(1);
  });

  it("gives local dates", () => {
    expect(localDayOf("Asia/Shanghai", Date.parse("2026-12-31T16:00:00Z"))).toBe(day("2027-01-01"));
    expect(localDayOf("America/New_York", Date.parse("2027-01-01T04:59:59Z"))).toBe(day("2026-12-31"));
  });

  it("maps local times to instants: gaps to the jump, repeats to the first", () => {
    expect(new Date(instantAtLocalTime("Europe/Berlin", day("2026-03-29"), 2.5 * HOUR)).toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(new Date(instantAtLocalTime("Europe/Berlin", day("2026-10-25"), 2.5 * HOUR)).toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(new Date(instantAtLocalTime("Europe/Berlin", day("2026-10-25"), 9 * HOUR)).toISOString()).toBe("2026-10-25T08:00:00.000Z");
  });

  it("maps a local range to the instants that show it", () => {
    const repeated = instantsForLocalRange("Europe/Berlin", day("2026-10-25"), 2 * HOUR, 3 * HOUR);
    expect(repeated.map((range) => (range.end - range.start) / HOUR)).toEqual([2]);
    expect(instantsForLocalRange("Europe/Berlin", day("2026-03-29"), 2 * HOUR, 3 * HOUR)).toEqual([]);
  });
});
