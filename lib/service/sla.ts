// The SLA arithmetic of a service case: which policy applies, when each target is due, how much
// time is left, whether it is on track, at risk, breached or met, and what a pause does. Pure and
// browser-safe: every duration is counted by lib/calendar (business time on a calendar, or
// elapsed calendar time); nothing here adds or subtracts working time by itself.

import {
  addCalendarMinutes,
  addWorkingMilliseconds,
  calendarMinutesBetween,
  deadlineAfterPause,
  provisionalYear,
  workingMillisecondsBetween,
  type CalendarDefinition,
} from "@/lib/calendar";

export const SERVICE_CHANNELS = ["WECOM_CONTACT", "WECHAT_OA", "WECHAT_GROUP", "MINI_PROGRAM", "PHONE"] as const;
export type ServiceChannel = (typeof SERVICE_CHANNELS)[number];
export const CASE_TYPES = ["INQUIRY", "COMPLAINT", "SUGGESTION"] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const SLA_CLOCKS = ["BUSINESS", "CALENDAR"] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];
export const CASE_STATUSES = ["OPEN", "WAITING_CUSTOMER", "RESOLVED", "CLOSED"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const TARGETS = ["FIRST_RESPONSE", "RESOLUTION"] as const;
export type Target = (typeof TARGETS)[number];
export const SLA_STATES = ["ON_TRACK", "AT_RISK", "BREACHED", "MET"] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** A target is at risk once this share of it has elapsed (SPEC §8: under 20% left). */
export const AT_RISK_RATIO = 0.8;
const MS_PER_MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------
// Policies

export type PolicyCriteria = { channel: ServiceChannel | null; caseType: CaseType | null; priority: Priority | null };
export type MatchablePolicy = PolicyCriteria & { id: string; position: number; active: boolean };
export type CaseCriteria = { channel: ServiceChannel; caseType: CaseType; priority: Priority };

/** The first active policy, in position order, whose criteria (null = any) all match. */
export function matchPolicy<P extends MatchablePolicy>(policies: readonly P[], c: CaseCriteria): P | null {
  const ordered = [...policies].sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  return (
    ordered.find(
      (p) => p.active && (p.channel === null || p.channel === c.channel) && (p.caseType === null || p.caseType === c.caseType) && (p.priority === null || p.priority === c.priority),
    ) ?? null
  );
}

// ---------------------------------------------------------------------------------------------
// Counting on the policy's clock (all through lib/calendar)

/** The instant `ms` of the clock's time after `from` (business: the earliest such instant). */
export function addClockMs(calendar: CalendarDefinition, clock: SlaClock, from: Date, ms: number): Date {
  return clock === "BUSINESS" ? addWorkingMilliseconds(calendar, from, ms) : addCalendarMinutes(calendar, from, ms / MS_PER_MINUTE);
}

/** The clock's time from `a` to `b` in ms; negative when b is before a. */
export function clockMsBetween(calendar: CalendarDefinition, clock: SlaClock, a: Date, b: Date): number {
  return clock === "BUSINESS" ? workingMillisecondsBetween(calendar, a, b) : Math.round(calendarMinutesBetween(a, b) * MS_PER_MINUTE);
}

/** When a target of `minutes` counted from `from` is due. */
export function dueAfter(calendar: CalendarDefinition, clock: SlaClock, from: Date, minutes: number): Date {
  return addClockMs(calendar, clock, from, minutes * MS_PER_MINUTE);
}

/**
 * The due time after a pause: the time left when the pause began, counted again from its end.
 * A pause never shortens (nor lengthens) the time the team has.
 */
export function dueAfterPause(calendar: CalendarDefinition, clock: SlaClock, due: Date, pausedAt: Date, resumedAt: Date): Date {
  if (resumedAt.getTime() <= pausedAt.getTime()) return new Date(due.getTime());
  if (clock === "BUSINESS") return deadlineAfterPause(calendar, due, { pausedAt, resumedAt });
  return addClockMs(calendar, clock, resumedAt, clockMsBetween(calendar, clock, pausedAt, due));
}

// ---------------------------------------------------------------------------------------------
// A target's state

export type TargetView = {
  target: Target;
  dueAt: Date;
  /** When it was met (first response / resolution), or null while open. */
  doneAt: Date | null;
  state: SlaState;
  /** Time left on the clock (negative: overdue); for a done target, the margin it was done with. */
  leftMs: number;
  /** Share of the target elapsed (0…, above 1 when overdue). */
  elapsedRatio: number;
  /** On the business clock, the due time's year when it has no holiday data: the due time is
   * provisional (counted on the weekly hours alone). Null on the calendar clock. */
  provisionalYear: number | null;
};

export function targetView(input: {
  calendar: CalendarDefinition;
  clock: SlaClock;
  target: Target;
  minutes: number;
  dueAt: Date;
  doneAt: Date | null;
  now: Date;
  /** A running pause: the clock is frozen at its start. */
  pausedAt?: Date | null;
}): TargetView {
  const total = input.minutes * MS_PER_MINUTE;
  const at = input.doneAt ?? input.pausedAt ?? input.now;
  const leftMs = clockMsBetween(input.calendar, input.clock, at, input.dueAt);
  const late = at.getTime() > input.dueAt.getTime();
  const elapsedRatio = total > 0 ? (total - leftMs) / total : 1;
  let state: SlaState;
  if (input.doneAt) state = late ? "BREACHED" : "MET";
  else if (late) state = "BREACHED";
  else state = elapsedRatio >= AT_RISK_RATIO ? "AT_RISK" : "ON_TRACK";
  const provisional = input.clock === "BUSINESS" ? provisionalYear(input.calendar, input.dueAt) : null;
  return { target: input.target, dueAt: input.dueAt, doneAt: input.doneAt, state, leftMs, elapsedRatio, provisionalYear: provisional };
}

export type SlaCase = {
  clock: SlaClock;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  pausedAt: Date | null;
};

export type CaseSla = { firstResponse: TargetView; resolution: TargetView; state: SlaState };

const SEVERITY: Record<SlaState, number> = { MET: 0, ON_TRACK: 1, AT_RISK: 2, BREACHED: 3 };

/** Both targets of a case at `now`, and the case's state: the worse of the two. */
export function caseSla(calendar: CalendarDefinition, c: SlaCase, now: Date): CaseSla {
  const common = { calendar, clock: c.clock, now, pausedAt: c.pausedAt };
  const firstResponse = targetView({ ...common, target: "FIRST_RESPONSE", minutes: c.firstResponseMinutes, dueAt: c.firstResponseDueAt, doneAt: c.firstResponseAt });
  const resolution = targetView({ ...common, target: "RESOLUTION", minutes: c.resolutionMinutes, dueAt: c.resolutionDueAt, doneAt: c.resolvedAt });
  const state = SEVERITY[firstResponse.state] >= SEVERITY[resolution.state] ? firstResponse.state : resolution.state;
  return { firstResponse, resolution, state };
}

/** The earliest target not yet met and its due time: the queue's order and the escalation's moment. */
export function nextDue(c: Pick<SlaCase, "firstResponseAt" | "resolvedAt" | "firstResponseDueAt" | "resolutionDueAt">): { target: Target; dueAt: Date } | null {
  if (!c.firstResponseAt) return { target: "FIRST_RESPONSE", dueAt: c.firstResponseDueAt };
  if (!c.resolvedAt) return { target: "RESOLUTION", dueAt: c.resolutionDueAt };
  return null;
}

/** Both due times of a case received at `receivedAt` under a policy's targets. */
export function initialDueTimes(calendar: CalendarDefinition, clock: SlaClock, receivedAt: Date, targets: { firstResponseMinutes: number; resolutionMinutes: number }) {
  return {
    firstResponseDueAt: dueAfter(calendar, clock, receivedAt, targets.firstResponseMinutes),
    resolutionDueAt: dueAfter(calendar, clock, receivedAt, targets.resolutionMinutes),
  };
}

/** A duration for people: whole hours and minutes (rounded toward zero), and its sign. */
export function durationParts(ms: number): { negative: boolean; hours: number; minutes: number } {
  const negative = ms < 0;
  const total = Math.floor(Math.abs(ms) / MS_PER_MINUTE);
  return { negative, hours: Math.floor(total / 60), minutes: total % 60 };
}

/** Time used on the clock when a target was met: the target minus the time left then (pauses
 * moved the due time, so they are not counted), in whole seconds. */
export function usedSeconds(calendar: CalendarDefinition, clock: SlaClock, minutes: number, doneAt: Date, dueAt: Date): number {
  return Math.round((minutes * MS_PER_MINUTE - clockMsBetween(calendar, clock, doneAt, dueAt)) / 1000);
}
