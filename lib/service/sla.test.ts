// The SLA arithmetic on the shipped 2026 China calendar (Mon–Fri 09:00–12:00, 13:00–18:00,
// official holidays and 调休 working weekends): examples, then fast-check invariants.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDefaultChinaCalendar, isWorkingTime, type CalendarDefinition } from "@/lib/calendar";
import { addClockMs, caseSla, clockMsBetween, dueAfter, dueAfterPause, matchPolicy, nextDue, targetView, type MatchablePolicy, type SlaClock } from "./sla";

const cal = buildDefaultChinaCalendar();
const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();
const due = (from: string, minutes: number, clock: SlaClock = "BUSINESS") => iso(dueAfter(cal, clock, sh(from), minutes));

describe("due times on the 2026 China calendar", () => {
  it("a target that crosses the lunch break resumes at 13:00", () => {
    // 11:50 + 30 working minutes: 10 before lunch, 20 after.
    expect(due("2026-03-10T11:50:00", 30)).toBe(iso(sh("2026-03-10T13:20:00")));
  });

  it("a target that crosses the night continues the next morning", () => {
    expect(due("2026-03-10T17:50:00", 30)).toBe(iso(sh("2026-03-11T09:20:00")));
    // Received at night: counted from 09:00.
    expect(due("2026-03-10T22:00:00", 10)).toBe(iso(sh("2026-03-11T09:10:00")));
  });

  it("a target that crosses the weekend continues on Monday", () => {
    expect(due("2026-03-13T17:30:00", 60)).toBe(iso(sh("2026-03-16T09:30:00")));
    expect(due("2026-03-14T10:00:00", 30)).toBe(iso(sh("2026-03-16T09:30:00")));
  });

  it("a target that crosses the National Day holiday skips it and counts the 调休 Saturday", () => {
    // Wednesday 30 Sept 17:00 + 2 working hours: 1 h that day; 1–7 Oct are holidays; Thursday 8
    // Oct is the next working day.
    expect(due("2026-09-30T17:00:00", 120)).toBe(iso(sh("2026-10-08T10:00:00")));
    // Friday 9 Oct 17:30 + 1 h: Saturday 10 Oct is a 调休 working day.
    expect(due("2026-10-09T17:30:00", 60)).toBe(iso(sh("2026-10-10T09:30:00")));
  });

  it("the Spring Festival: received on the 调休 Saturday 14 Feb, due after the nine days off", () => {
    expect(due("2026-02-14T17:00:00", 120)).toBe(iso(sh("2026-02-24T10:00:00")));
    // A 调休 Sunday (20 Sept) is worked like a weekday.
    expect(due("2026-09-20T09:00:00", 30)).toBe(iso(sh("2026-09-20T09:30:00")));
  });

  it("a target due exactly at closing time ends at 18:00, not the next morning", () => {
    expect(due("2026-03-10T17:00:00", 60)).toBe(iso(sh("2026-03-10T18:00:00")));
  });

  it("calendar time ignores working hours", () => {
    expect(due("2026-10-01T23:50:00", 30, "CALENDAR")).toBe(iso(sh("2026-10-02T00:20:00")));
  });
});

describe("a target's state", () => {
  const view = (now: string, extra: { doneAt?: string; pausedAt?: string } = {}) =>
    targetView({
      calendar: cal,
      clock: "BUSINESS",
      target: "FIRST_RESPONSE",
      minutes: 30,
      dueAt: sh("2026-03-10T09:30:00"),
      doneAt: extra.doneAt ? sh(extra.doneAt) : null,
      now: sh(now),
      pausedAt: extra.pausedAt ? sh(extra.pausedAt) : null,
    });

  it("on track, at risk from 80% elapsed, breached after the due time", () => {
    expect(view("2026-03-10T09:23:00").state).toBe("ON_TRACK");
    expect(view("2026-03-10T09:24:00").state).toBe("AT_RISK");
    expect(view("2026-03-10T09:30:00").state).toBe("AT_RISK");
    expect(view("2026-03-10T09:30:01").state).toBe("BREACHED");
    expect(view("2026-03-10T09:24:00").leftMs).toBe(6 * 60_000);
  });

  it("met when done by the due time, breached when done after; the clock stops when done", () => {
    expect(view("2026-03-12T09:00:00", { doneAt: "2026-03-10T09:30:00" }).state).toBe("MET");
    const late = view("2026-03-12T09:00:00", { doneAt: "2026-03-10T09:40:00" });
    expect(late.state).toBe("BREACHED");
    expect(late.leftMs).toBe(-10 * 60_000);
  });

  it("time left overnight is working time: at 20:00 a target due 09:30 tomorrow has 30 minutes", () => {
    const v = targetView({ calendar: cal, clock: "BUSINESS", target: "RESOLUTION", minutes: 60, dueAt: sh("2026-03-11T09:30:00"), doneAt: null, now: sh("2026-03-10T20:00:00") });
    expect(v.leftMs).toBe(30 * 60_000);
    expect(v.state).toBe("ON_TRACK");
  });

  it("a business-time due time in a year without holiday data (2027) is provisional; on the calendar clock it is not", () => {
    const at = (clock: SlaClock, dueAt: string) => targetView({ calendar: cal, clock, target: "RESOLUTION", minutes: 480, dueAt: sh(dueAt), doneAt: null, now: sh("2026-12-31T15:00:00") }).provisionalYear;
    expect(at("BUSINESS", "2027-01-04T15:00:00")).toBe(2027);
    expect(at("BUSINESS", "2026-12-31T17:00:00")).toBeNull();
    expect(at("CALENDAR", "2027-01-01T15:00:00")).toBeNull();
  });

  it("a running pause freezes the clock at its start", () => {
    expect(view("2026-03-12T09:00:00", { pausedAt: "2026-03-10T09:10:00" })).toMatchObject({ state: "ON_TRACK", leftMs: 20 * 60_000 });
  });
});

describe("cases", () => {
  const base = {
    clock: "BUSINESS" as const,
    firstResponseMinutes: 10,
    resolutionMinutes: 240,
    firstResponseDueAt: sh("2026-03-10T09:10:00"),
    resolutionDueAt: sh("2026-03-10T14:00:00"),
    firstResponseAt: null,
    resolvedAt: null,
    pausedAt: null,
  };

  it("the case's state is the worse of its two targets; the next due is the earliest unmet", () => {
    const s = caseSla(cal, { ...base, firstResponseAt: sh("2026-03-10T09:20:00") }, sh("2026-03-10T10:00:00"));
    expect(s.firstResponse.state).toBe("BREACHED");
    expect(s.resolution.state).toBe("ON_TRACK");
    expect(s.state).toBe("BREACHED");
    expect(nextDue(base)).toEqual({ target: "FIRST_RESPONSE", dueAt: base.firstResponseDueAt });
    expect(nextDue({ ...base, firstResponseAt: sh("2026-03-10T09:05:00") })).toEqual({ target: "RESOLUTION", dueAt: base.resolutionDueAt });
    expect(nextDue({ ...base, firstResponseAt: sh("2026-03-10T09:05:00"), resolvedAt: sh("2026-03-10T11:00:00") })).toBeNull();
  });

  it("a pause over lunch and the night gives back exactly the working time that was left", () => {
    // Paused 11:00 with 2 working hours left (due 14:00); resumed next day 10:00: due 12:00.
    expect(iso(dueAfterPause(cal, "BUSINESS", base.resolutionDueAt, sh("2026-03-10T11:00:00"), sh("2026-03-11T10:00:00")))).toBe(iso(sh("2026-03-11T12:00:00")));
    // Resumed before it began: no change.
    expect(iso(dueAfterPause(cal, "BUSINESS", base.resolutionDueAt, sh("2026-03-10T11:00:00"), sh("2026-03-10T10:00:00")))).toBe(iso(base.resolutionDueAt));
    // Calendar time: 3 elapsed hours left, counted from the resume.
    expect(iso(dueAfterPause(cal, "CALENDAR", base.resolutionDueAt, sh("2026-03-10T11:00:00"), sh("2026-03-11T10:00:00")))).toBe(iso(sh("2026-03-11T13:00:00")));
  });
});

describe("policy matching", () => {
  const p = (id: string, position: number, c: Partial<MatchablePolicy> = {}): MatchablePolicy => ({ id, position, active: true, channel: null, caseType: null, priority: null, ...c });
  const policies = [p("default", 1000), p("urgent-complaint", 10, { caseType: "COMPLAINT", priority: "URGENT" }), p("complaint", 20, { caseType: "COMPLAINT" }), p("phone", 5, { channel: "PHONE", active: false })];

  it("first match in position order wins; null criteria match anything; inactive ones are skipped", () => {
    expect(matchPolicy(policies, { channel: "WECOM_CONTACT", caseType: "COMPLAINT", priority: "URGENT" })?.id).toBe("urgent-complaint");
    expect(matchPolicy(policies, { channel: "WECOM_CONTACT", caseType: "COMPLAINT", priority: "LOW" })?.id).toBe("complaint");
    expect(matchPolicy(policies, { channel: "PHONE", caseType: "INQUIRY", priority: "LOW" })?.id).toBe("default");
    expect(matchPolicy([p("x", 1, { channel: "PHONE" })], { channel: "WECHAT_OA", caseType: "INQUIRY", priority: "LOW" })).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Invariants (fast-check)

const START = Date.parse("2025-12-20T00:00:00Z");
const END = Date.parse("2027-01-10T00:00:00Z");
const instant = fc.oneof(
  fc.integer({ min: START, max: END }).map((ms) => new Date(ms)),
  // Whole quarter hours hit interval boundaries (09:00, 12:00, 13:00, 18:00) often.
  fc.integer({ min: START / 900_000, max: END / 900_000 }).map((q) => new Date(q * 900_000)),
);
const minutes = fc.integer({ min: 1, max: 5 * 24 * 60 });
const calendars: [string, CalendarDefinition][] = [["China 2026", cal]];

describe.each(calendars)("invariants on %s", (_name, calendar) => {
  it("a business-time due is never inside non-working time (it is working time or the end of an interval)", () => {
    fc.assert(
      fc.property(instant, minutes, (from, m) => {
        const d = dueAfter(calendar, "BUSINESS", from, m);
        expect(isWorkingTime(calendar, d) || isWorkingTime(calendar, new Date(d.getTime() - 1))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("adding the working time between two instants to the first gives back the second", () => {
    fc.assert(
      fc.property(instant, instant, (a, raw) => {
        // The second instant as working time or an interval's end (the only instants an addition can reach).
        const b = dueAfter(calendar, "BUSINESS", raw, 1);
        const between = clockMsBetween(calendar, "BUSINESS", a, b);
        expect(addClockMs(calendar, "BUSINESS", a, between).getTime()).toBe(b.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it("pausing never shortens time left (business and calendar time)", () => {
    fc.assert(
      fc.property(fc.constantFrom<SlaClock>("BUSINESS", "CALENDAR"), instant, minutes, instant, fc.integer({ min: 0, max: 10 * 24 * 60 * 60_000 }), (clock, received, m, pausedAt, pauseLength) => {
        const dueAt = dueAfter(calendar, clock, received, m);
        const resumedAt = new Date(pausedAt.getTime() + pauseLength);
        const after = dueAfterPause(calendar, clock, dueAt, pausedAt, resumedAt);
        const leftAtPause = clockMsBetween(calendar, clock, pausedAt, dueAt);
        const leftAtResume = clockMsBetween(calendar, clock, resumedAt, after);
        expect(leftAtResume).toBeGreaterThanOrEqual(leftAtPause);
        // And the due time never moves earlier.
        expect(after.getTime()).toBeGreaterThanOrEqual(Math.min(dueAt.getTime(), resumedAt.getTime()));
      }),
      { numRuns: 300 },
    );
  });

  it("a calendar-time due is exactly the target's minutes later, wherever it falls", () => {
    fc.assert(
      fc.property(instant, minutes, (from, m) => {
        expect(dueAfter(calendar, "CALENDAR", from, m).getTime() - from.getTime()).toBe(m * 60_000);
      }),
      { numRuns: 200 },
    );
  });
});
