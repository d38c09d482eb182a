// Calendars in zones with daylight saving time. 2026 switch days: US 03-08 and 11-01 (02:00
// local), EU 03-29 and 10-25 (01:00 UTC). Working hours are local wall-clock hours, so 09:00
// is 09:00 on both sides of a switch although its UTC offset differs.

import { describe, expect, it } from "vitest";

import { addCalendarDays } from "./calendar-time";
import { isWorkingDay, workingIntervalsOn } from "./day-info";
import { at, iso, office, roundTheClock, sundayNight } from "./test-calendars";
import { addWorkingDays } from "./working-days";
import { addWorkingHours, addWorkingMinutes, isWorkingTime, nextWorkingInstant, workingMinutesBetween } from "./working-time";

const utc = (text: string) => new Date(`${text}Z`);
const intervals = (list: { start: Date; end: Date }[]) => list.map(({ start, end }) => `${iso(start)}/${iso(end)}`);

describe("Europe/Berlin office (Mon–Fri 09–12, 13–18)", () => {
  const berlin = office("Europe/Berlin");

  it("maps 09:00 to different UTC instants before and after the spring switch (2026-03-29)", () => {
    expect(intervals(workingIntervalsOn(berlin, "2026-03-27"))).toEqual([
      "2026-03-27T08:00:00.000Z/2026-03-27T11:00:00.000Z",
      "2026-03-27T12:00:00.000Z/2026-03-27T17:00:00.000Z",
    ]);
    expect(intervals(workingIntervalsOn(berlin, "2026-03-30"))).toEqual([
      "2026-03-30T07:00:00.000Z/2026-03-30T10:00:00.000Z",
      "2026-03-30T11:00:00.000Z/2026-03-30T16:00:00.000Z",
    ]);
    expect(isWorkingTime(berlin, utc("2026-03-30T07:30"))).toBe(true); // 09:30 CEST
    expect(isWorkingTime(berlin, utc("2026-03-27T07:30"))).toBe(false); // 08:30 CET
  });

  it("adds across the spring switch weekend", () => {
    const friday = at("2026-03-27T17:00", "+01:00");
    expect(iso(addWorkingMinutes(berlin, friday, 120))).toBe(iso(at("2026-03-30T10:00", "+02:00")));
    expect(workingMinutesBetween(berlin, friday, at("2026-03-30T10:00", "+02:00"))).toBe(120);
    expect(iso(nextWorkingInstant(berlin, at("2026-03-28T12:00", "+01:00")))).toBe(iso(at("2026-03-30T09:00", "+02:00")));
  });

  it("adds across the autumn switch weekend (2026-10-25)", () => {
    const friday = at("2026-10-23T17:00", "+02:00");
    expect(iso(addWorkingMinutes(berlin, friday, 120))).toBe(iso(at("2026-10-26T10:00", "+01:00")));
    expect(workingMinutesBetween(berlin, friday, at("2026-10-26T18:00", "+01:00"))).toBe(60 + 480);
    expect(iso(addWorkingDays(berlin, at("2026-10-23T10:00", "+02:00"), 1))).toBe(iso(at("2026-10-26T10:00", "+01:00")));
  });
});

describe("Europe/Berlin 24/7 desk: the switch days are 23 and 25 hours long", () => {
  const desk = roundTheClock("Europe/Berlin");

  it("2026-03-29 has 23 working hours", () => {
    expect(intervals(workingIntervalsOn(desk, "2026-03-29"))).toEqual(["2026-03-28T23:00:00.000Z/2026-03-29T22:00:00.000Z"]);
    expect(workingMinutesBetween(desk, at("2026-03-29T00:00", "+01:00"), at("2026-03-30T00:00", "+02:00"))).toBe(23 * 60);
    // 24 working hours from midnight are 24 elapsed hours: 01:00 the next day on the wall clock.
    expect(iso(addWorkingHours(desk, at("2026-03-29T00:00", "+01:00"), 24))).toBe(iso(at("2026-03-30T01:00", "+02:00")));
  });

  it("2026-10-25 has 25 working hours", () => {
    expect(intervals(workingIntervalsOn(desk, "2026-10-25"))).toEqual(["2026-10-24T22:00:00.000Z/2026-10-25T23:00:00.000Z"]);
    expect(workingMinutesBetween(desk, at("2026-10-25T00:00", "+02:00"), at("2026-10-26T00:00", "+01:00"))).toBe(25 * 60);
  });

  it("the repeated hour 02:00–03:00 on 2026-10-25 is worked twice", () => {
    expect(isWorkingTime(desk, utc("2026-10-25T00:30"))).toBe(true); // 02:30 CEST
    expect(isWorkingTime(desk, utc("2026-10-25T01:30"))).toBe(true); // 02:30 CET
    expect(workingMinutesBetween(desk, utc("2026-10-25T00:00"), utc("2026-10-25T02:00"))).toBe(120);
  });
});

describe("Europe/Berlin Sunday night window 01:00–04:00", () => {
  const night = sundayNight("Europe/Berlin", [{ start: "01:00", end: "04:00" }]);

  it("is 2 hours on 2026-03-29 (02:00–03:00 does not exist)", () => {
    expect(intervals(workingIntervalsOn(night, "2026-03-29"))).toEqual(["2026-03-29T00:00:00.000Z/2026-03-29T02:00:00.000Z"]);
  });

  it("is 4 hours on 2026-10-25 (02:00–03:00 happens twice)", () => {
    expect(intervals(workingIntervalsOn(night, "2026-10-25"))).toEqual(["2026-10-24T23:00:00.000Z/2026-10-25T03:00:00.000Z"]);
  });

  it("an interval entirely inside the spring gap has no working time that day", () => {
    const gap = sundayNight("Europe/Berlin", [{ start: "02:15", end: "02:45" }]);
    expect(isWorkingDay(gap, "2026-03-29")).toBe(false);
    expect(isWorkingDay(gap, "2026-04-05")).toBe(true);
  });
});

describe("America/New_York office (Mon–Fri 09–12, 13–18)", () => {
  const newYork = office("America/New_York");

  it("adds across the spring switch weekend (2026-03-08)", () => {
    const friday = at("2026-03-06T17:00", "-05:00");
    expect(iso(addWorkingMinutes(newYork, friday, 120))).toBe(iso(at("2026-03-09T10:00", "-04:00")));
    expect(iso(addWorkingMinutes(newYork, friday, 120))).toBe("2026-03-09T14:00:00.000Z");
    expect(iso(addWorkingMinutes(newYork, at("2026-03-09T10:00", "-04:00"), -120))).toBe(iso(friday));
  });

  it("adds across the autumn switch weekend (2026-11-01)", () => {
    const friday = at("2026-10-30T17:00", "-04:00");
    expect(iso(addWorkingMinutes(newYork, friday, 120))).toBe("2026-11-02T15:00:00.000Z");
    expect(workingMinutesBetween(newYork, friday, at("2026-11-02T10:00", "-05:00"))).toBe(120);
    expect(iso(addWorkingDays(newYork, at("2026-10-30T09:30", "-04:00"), 1))).toBe(iso(at("2026-11-02T09:30", "-05:00")));
  });
});

describe("America/New_York Sunday night windows", () => {
  it("01:00–04:00 is 2 hours on 2026-03-08 and 4 hours on 2026-11-01", () => {
    const night = sundayNight("America/New_York", [{ start: "01:00", end: "04:00" }]);
    expect(intervals(workingIntervalsOn(night, "2026-03-08"))).toEqual(["2026-03-08T06:00:00.000Z/2026-03-08T08:00:00.000Z"]);
    expect(intervals(workingIntervalsOn(night, "2026-11-01"))).toEqual(["2026-11-01T05:00:00.000Z/2026-11-01T09:00:00.000Z"]);
  });

  it("an interval starting in the spring gap starts when the clocks jump", () => {
    const night = sundayNight("America/New_York", [{ start: "02:30", end: "05:00" }]);
    expect(intervals(workingIntervalsOn(night, "2026-03-08"))).toEqual(["2026-03-08T07:00:00.000Z/2026-03-08T09:00:00.000Z"]);
  });

  it("an interval inside the repeated hour is worked in both occurrences", () => {
    const night = sundayNight("America/New_York", [{ start: "01:00", end: "01:30" }]);
    expect(intervals(workingIntervalsOn(night, "2026-11-01"))).toEqual([
      "2026-11-01T05:00:00.000Z/2026-11-01T05:30:00.000Z",
      "2026-11-01T06:00:00.000Z/2026-11-01T06:30:00.000Z",
    ]);
    expect(isWorkingTime(night, utc("2026-11-01T05:45"))).toBe(false); // 01:45 EDT
    expect(isWorkingTime(night, utc("2026-11-01T06:15"))).toBe(true); // 01:15 EST
    expect(iso(addWorkingMinutes(night, utc("2026-11-01T05:15"), 30))).toBe("2026-11-01T06:15:00.000Z");
  });

  it("two intervals around the repeated hour stay in time order", () => {
    const night = sundayNight("America/New_York", [
      { start: "00:30", end: "01:15" },
      { start: "01:45", end: "02:30" },
    ]);
    const list = workingIntervalsOn(night, "2026-11-01");
    for (let i = 1; i < list.length; i++) expect(list[i].start.getTime()).toBeGreaterThan(list[i - 1].end.getTime());
    // 00:30–01:15 EDT, 01:00–01:15 EST, then 01:45 EDT–… and 01:45 EST–02:30 EST: 45+15+15+45 min.
    const total = list.reduce((sum, range) => sum + (range.end.getTime() - range.start.getTime()), 0);
    expect(total / 60_000).toBe(45 + 15 + 15 + 45);
  });
});

describe("addCalendarDays keeps the wall-clock time across switches", () => {
  const newYork = office("America/New_York");
  it.each([
    ["2026-03-07T14:00", "2026-03-08T13:00", "09:00 EST → 09:00 EDT"],
    ["2026-03-07T07:30", "2026-03-08T07:00", "02:30 does not exist on 03-08: the jump instant"],
    ["2026-10-31T05:30", "2026-11-01T05:30", "01:30 happens twice on 11-01: the first one"],
  ])("%sZ + 1 day → %sZ (%s)", (from, expected) => {
    expect(iso(addCalendarDays(newYork, utc(from), 1))).toBe(iso(utc(expected)));
  });

  it("Berlin: 30 days from 2026-03-15 09:00 CET is 2026-04-14 09:00 CEST", () => {
    expect(iso(addCalendarDays(office("Europe/Berlin"), at("2026-03-15T09:00", "+01:00"), 30))).toBe(iso(at("2026-04-14T09:00", "+02:00")));
  });
});
