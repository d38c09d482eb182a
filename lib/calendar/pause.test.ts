import { describe, expect, it } from "vitest";

import { deadlineAfterPause, deadlineAfterPauses } from "./pause";
import { china, iso, sh } from "./test-calendars";
import { workingMinutesBetween } from "./working-time";

const cal = china();
const due = sh("2026-03-10T14:00"); // a case received 10:00 with a 3-working-hour target

describe("deadlineAfterPause", () => {
  it("keeps the working time left at the pause for after the resume", () => {
    const pause = { pausedAt: sh("2026-03-10T11:00"), resumedAt: sh("2026-03-10T15:00") };
    // 2 working hours were left at 11:00 (11–12, 13–14); counted from 15:00 they end at 17:00.
    expect(iso(deadlineAfterPause(cal, due, pause))).toBe(iso(sh("2026-03-10T17:00")));
  });

  it("a pause during the lunch break changes nothing", () => {
    expect(iso(deadlineAfterPause(cal, due, { pausedAt: sh("2026-03-10T12:10"), resumedAt: sh("2026-03-10T12:50") }))).toBe(iso(due));
  });

  it("a pause over a holiday run carries the time left past it", () => {
    const before = sh("2026-09-30T17:00");
    const newDue = deadlineAfterPause(cal, sh("2026-09-30T17:30"), { pausedAt: before, resumedAt: sh("2026-10-08T09:00") });
    expect(iso(newDue)).toBe(iso(sh("2026-10-08T09:30")));
  });

  it("an overdue case stays exactly as overdue after the pause", () => {
    const pausedAt = sh("2026-03-10T15:00"); // one working hour overdue
    const resumedAt = sh("2026-03-11T10:00");
    const newDue = deadlineAfterPause(cal, due, { pausedAt, resumedAt });
    expect(iso(newDue)).toBe(iso(sh("2026-03-11T09:00")));
    expect(workingMinutesBetween(cal, resumedAt, newDue)).toBe(-60);
  });

  it("a pause that ends before it starts is no pause", () => {
    expect(iso(deadlineAfterPause(cal, due, { pausedAt: sh("2026-03-10T11:00"), resumedAt: sh("2026-03-10T10:00") }))).toBe(iso(due));
  });

  it("applies several pauses in order", () => {
    const pauses = [
      { pausedAt: sh("2026-03-10T15:00"), resumedAt: sh("2026-03-10T16:00") },
      { pausedAt: sh("2026-03-10T11:00"), resumedAt: sh("2026-03-10T11:30") },
    ];
    // First pause (11:00–11:30) moves 14:00 to 14:30; the second starts after that deadline.
    const afterFirst = deadlineAfterPause(cal, due, pauses[1]);
    expect(iso(afterFirst)).toBe(iso(sh("2026-03-10T14:30")));
    expect(iso(deadlineAfterPauses(cal, due, pauses))).toBe(iso(deadlineAfterPause(cal, afterFirst, pauses[0])));
    expect(iso(deadlineAfterPauses(cal, due, pauses))).toBe(iso(sh("2026-03-10T15:30")));
  });
});
