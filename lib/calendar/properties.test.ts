// Invariants of business-time arithmetic, checked with generated instants and amounts on
// calendars with holidays and 调休 (China), lunch breaks, night shifts and DST switches.

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { workingIntervalsOn, isWorkingDay, localDateOf } from "./day-info";
import { deadlineAfterPause } from "./pause";
import type { CalendarDefinition } from "./schemas";
import { china, nightShift, office, roundTheClock, sundayNight } from "./test-calendars";
import { addWorkingDays } from "./working-days";
import {
  addWorkingMilliseconds,
  addWorkingMinutes,
  isWorkingTime,
  nextWorkingInstant,
  workingMillisecondsBetween,
} from "./working-time";

const CALENDARS: [string, CalendarDefinition][] = [
  ["China 2026", china()],
  ["Berlin office", office("Europe/Berlin")],
  ["New York office", office("America/New_York")],
  ["New York Sunday night 01:00–04:00", sundayNight("America/New_York", [{ start: "01:00", end: "04:00" }])],
  ["Berlin night shift", nightShift("Europe/Berlin")],
  ["Berlin 24/7", roundTheClock("Europe/Berlin")],
];

const WINDOW_START = Date.UTC(2025, 11, 20);
const WINDOW_END = Date.UTC(2027, 0, 15);
const DST_DAYS = ["2026-03-08", "2026-03-29", "2026-10-25", "2026-11-01"].map((date) => Date.parse(`${date}T00:00:00Z`));
const HOUR = 3_600_000;

const dateText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Any ms, whole quarter hours, DST weekends, and interval boundaries ±1 ms. */
function instant(calendar: CalendarDefinition): fc.Arbitrary<Date> {
  const anyMs = fc.integer({ min: WINDOW_START, max: WINDOW_END });
  const quarterHours = fc.integer({ min: WINDOW_START / 900_000, max: WINDOW_END / 900_000 }).map((q) => q * 900_000);
  const nearDst = fc.tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -72, max: 72 })).map(([day, hours]) => day + hours * HOUR);
  const boundary = fc
    .tuple(fc.integer({ min: 0, max: (WINDOW_END - WINDOW_START) / 86_400_000 }), fc.nat(), fc.boolean(), fc.constantFrom(-1, 0, 1))
    .map(([dayIndex, pick, atEnd, nudge]) => {
      const ranges = workingIntervalsOn(calendar, dateText(WINDOW_START + dayIndex * 86_400_000));
      if (ranges.length === 0) return WINDOW_START + dayIndex * 86_400_000;
      const range = ranges[pick % ranges.length];
      return (atEnd ? range.end : range.start).getTime() + nudge;
    });
  return fc.oneof(anyMs, quarterHours, nearDst, boundary).map((ms) => new Date(ms));
}

const minutes = fc.oneof(fc.integer({ min: -20_000, max: 20_000 }), fc.integer({ min: 1, max: 600 }));
const milliseconds = fc.integer({ min: -1_500_000_000, max: 1_500_000_000 });

describe.each(CALENDARS)("%s", (_name, calendar) => {
  it("a due time is never inside non-working time", () => {
    fc.assert(
      fc.property(instant(calendar), fc.integer({ min: 1, max: 20_000 }), (from, amount) => {
        const due = addWorkingMinutes(calendar, from, amount);
        // Working time runs right up to the due time: it is inside an interval or at its end.
        expect(isWorkingTime(calendar, new Date(due.getTime() - 1))).toBe(true);
        expect(due.getTime()).toBeGreaterThan(from.getTime());
      }),
    );
  });

  it("the working time between from and from + x is x", () => {
    fc.assert(
      fc.property(instant(calendar), fc.oneof(milliseconds, minutes.map((m) => m * 60_000)), (from, amount) => {
        expect(workingMillisecondsBetween(calendar, from, addWorkingMilliseconds(calendar, from, amount))).toBe(amount);
      }),
    );
  });

  it("adding the working time between a and b to a gives back b", () => {
    fc.assert(
      fc.property(instant(calendar), instant(calendar), (a, b) => {
        const back = addWorkingMilliseconds(calendar, a, workingMillisecondsBetween(calendar, a, b));
        // Always: nothing of working time lies between the result and b.
        expect(workingMillisecondsBetween(calendar, back, b)).toBe(0);
        // Exactly b when b is reachable: working time (or an interval's end) on the side walked.
        const forwardReachable = b >= a && isWorkingTime(calendar, new Date(b.getTime() - 1));
        const backwardReachable = b < a && isWorkingTime(calendar, b);
        if (forwardReachable || backwardReachable || a.getTime() === b.getTime()) expect(back.getTime()).toBe(b.getTime());
      }),
    );
  });

  it("working time between is antisymmetric and additive", () => {
    fc.assert(
      fc.property(instant(calendar), instant(calendar), instant(calendar), (a, b, c) => {
        const ab = workingMillisecondsBetween(calendar, a, b);
        expect(workingMillisecondsBetween(calendar, b, a)).toBe(ab === 0 ? 0 : -ab);
        expect(ab + workingMillisecondsBetween(calendar, b, c)).toBe(workingMillisecondsBetween(calendar, a, c));
      }),
      { numRuns: 60 },
    );
  });

  it("adding more never gives an earlier instant", () => {
    fc.assert(
      fc.property(instant(calendar), minutes, minutes, (from, x, y) => {
        const [small, large] = x <= y ? [x, y] : [y, x];
        expect(addWorkingMinutes(calendar, from, small).getTime()).toBeLessThanOrEqual(addWorkingMinutes(calendar, from, large).getTime());
      }),
    );
  });

  it("nextWorkingInstant is the first working instant at or after", () => {
    fc.assert(
      fc.property(instant(calendar), (at) => {
        const next = nextWorkingInstant(calendar, at);
        expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(isWorkingTime(calendar, next)).toBe(true);
        expect(workingMillisecondsBetween(calendar, at, next)).toBe(0);
        if (isWorkingTime(calendar, at)) expect(next.getTime()).toBe(at.getTime());
      }),
    );
  });

  it("pausing never shortens the time left", () => {
    fc.assert(
      fc.property(instant(calendar), fc.integer({ min: 1, max: 5_000 }), instant(calendar), fc.integer({ min: 0, max: 14 * 24 * 60 }), (created, target, pausedAt, pauseMinutes) => {
        const due = addWorkingMinutes(calendar, created, target);
        const resumedAt = new Date(pausedAt.getTime() + pauseMinutes * 60_000);
        const newDue = deadlineAfterPause(calendar, due, { pausedAt, resumedAt });
        const leftAtPause = workingMillisecondsBetween(calendar, pausedAt, due);
        // The time left when the clock stopped is exactly the time left when it restarts…
        expect(workingMillisecondsBetween(calendar, resumedAt, newDue)).toBe(leftAtPause);
        // …so at any moment after the pause, at least as much is left as without it.
        expect(workingMillisecondsBetween(calendar, resumedAt, newDue)).toBeGreaterThanOrEqual(workingMillisecondsBetween(calendar, resumedAt, due));
        expect(workingMillisecondsBetween(calendar, due, newDue)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60 },
    );
  });

  it("N working days later lands on working time of the Nth working day", () => {
    fc.assert(
      fc.property(instant(calendar), fc.integer({ min: -25, max: 25 }).filter((n) => n !== 0), fc.boolean(), (from, days, endOfDay) => {
        const due = addWorkingDays(calendar, from, days, { at: endOfDay ? "end-of-day" : "same-time" });
        // A same-time result may be the very start of a day (00:00 on a 24/7 desk), an
        // end-of-day result is the close, which on a night shift is the next day's 00:00.
        const dueDate = localDateOf(calendar, !endOfDay && isWorkingTime(calendar, due) ? due : new Date(due.getTime() - 1));
        expect(isWorkingDay(calendar, dueDate)).toBe(true);
        expect(isWorkingTime(calendar, new Date(due.getTime() - 1)) || isWorkingTime(calendar, due)).toBe(true);
        // Count the working days from the day of `from` (excluded) to the due day (included).
        const fromDay = Date.parse(`${localDateOf(calendar, from)}T00:00:00Z`);
        const toDay = Date.parse(`${dueDate}T00:00:00Z`);
        const step = days > 0 ? 86_400_000 : -86_400_000;
        let counted = 0;
        for (let day = fromDay + step; days > 0 ? day <= toDay : day >= toDay; day += step) if (isWorkingDay(calendar, dateText(day))) counted++;
        expect(counted).toBe(Math.abs(days));
        if (endOfDay) {
          const ranges = workingIntervalsOn(calendar, dueDate);
          expect(due.getTime()).toBe(ranges[ranges.length - 1].end.getTime());
        }
      }),
      { numRuns: 60 },
    );
  });
});
