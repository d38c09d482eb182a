// The arithmetic compared with a deliberately naive model that looks at every minute (or every
// five minutes) on its own: no intervals, no offsets pieces, no caches. If the two ever
// disagree, one of them misunderstands the calendar.

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { CN_CALENDAR_2026 } from "./cn-2026";
import { china, sundayNight } from "./test-calendars";
import { addWorkingMinutes, isWorkingTime, workingMinutesBetween } from "./working-time";

const MINUTE = 60_000;

// --- Shanghai: UTC+8 all year, holidays straight from the published ranges ---------------
const holidayDates = new Set<string>();
for (const { from, to } of CN_CALENDAR_2026.holidays) {
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) holidayDates.add(new Date(t).toISOString().slice(0, 10));
}
const adjustedDates = new Set<string>(CN_CALENDAR_2026.adjustedWorkingDays.map((day) => day.date));

function naiveChinaWorking(instant: number): boolean {
  const local = new Date(instant + 8 * 60 * MINUTE);
  const date = local.toISOString().slice(0, 10);
  const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes();
  const weekday = local.getUTCDay(); // 0 Sunday
  const workingDay = adjustedDates.has(date) || (weekday >= 1 && weekday <= 5 && !holidayDates.has(date));
  return workingDay && ((minuteOfDay >= 540 && minuteOfDay < 720) || (minuteOfDay >= 780 && minuteOfDay < 1080));
}

describe("China 2026 against a minute-by-minute model", () => {
  const cal = china();
  const start = Date.UTC(2025, 11, 28) / MINUTE;
  const end = Date.UTC(2027, 0, 10) / MINUTE;

  it("agrees on working time and on the minutes between two instants up to 12 days apart", () => {
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), fc.integer({ min: 0, max: 12 * 1440 }), (a, span) => {
        let naive = 0;
        for (let m = a; m < a + span; m++) if (naiveChinaWorking(m * MINUTE)) naive++;
        expect(workingMinutesBetween(cal, new Date(a * MINUTE), new Date((a + span) * MINUTE))).toBe(naive);
        expect(isWorkingTime(cal, new Date(a * MINUTE))).toBe(naiveChinaWorking(a * MINUTE));
      }),
      { numRuns: 150 },
    );
  });

  it("agrees on where N working minutes end", () => {
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), fc.integer({ min: 1, max: 3_000 }), (a, amount) => {
        let m = a;
        let left = amount;
        for (; left > 0; m++) if (naiveChinaWorking(m * MINUTE)) left--;
        expect(addWorkingMinutes(cal, new Date(a * MINUTE), amount).getTime()).toBe(m * MINUTE);
      }),
      { numRuns: 150 },
    );
  });

  it("every day of the year has the expected kind", () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const tenAm = t + 2 * 60 * MINUTE; // 10:00 in Shanghai
      expect(isWorkingTime(cal, new Date(tenAm))).toBe(naiveChinaWorking(tenAm));
    }
  });
});

// --- New York: Intl asked directly for each instant's wall clock ---------------------------
const newYorkClock = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", weekday: "short", hour: "numeric", minute: "numeric", hourCycle: "h23" });

function naiveNewYorkWorking(instant: number): boolean {
  const parts = Object.fromEntries(newYorkClock.formatToParts(instant).map((part) => [part.type, part.value]));
  const minuteOfDay = Number(parts.hour) * 60 + Number(parts.minute);
  if (parts.weekday === "Sun") return minuteOfDay >= 60 && minuteOfDay < 240;
  if (parts.weekday === "Sat") return false;
  return (minuteOfDay >= 540 && minuteOfDay < 720) || (minuteOfDay >= 780 && minuteOfDay < 1080);
}

describe("New York with a Sunday 01:00–04:00 window against Intl, around both switches", () => {
  const cal = sundayNight("America/New_York", [{ start: "01:00", end: "04:00" }]);
  const FIVE = 5 * MINUTE;
  const switchDays = [Date.UTC(2026, 2, 8), Date.UTC(2026, 10, 1)];

  it("agrees on the working time between instants near the switches", () => {
    fc.assert(
      fc.property(fc.constantFrom(...switchDays), fc.integer({ min: -48 * 12, max: 48 * 12 }), fc.integer({ min: 0, max: 72 * 12 }), (day, offset, span) => {
        const a = day + offset * FIVE;
        let naive = 0;
        for (let t = a; t < a + span * FIVE; t += FIVE) if (naiveNewYorkWorking(t)) naive += 5;
        expect(workingMinutesBetween(cal, new Date(a), new Date(a + span * FIVE))).toBe(naive);
        expect(isWorkingTime(cal, new Date(a))).toBe(naiveNewYorkWorking(a));
      }),
      { numRuns: 80 },
    );
  });
});
