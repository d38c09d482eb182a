// Calendar arithmetic is used by client code too, so its errors cannot be the server's
// DomainError. They carry a stable code instead; callers map it (an SLA policy on a calendar
// without working time is a configuration problem to show to an ADMIN, not a crash).

import type { CalendarProblem } from "./validate-calendar";

export const CALENDAR_ERROR_CODES = [
  /** The calendar has no working time at all in the searched direction. */
  "NO_WORKING_TIME",
  /** The definition cannot be used (see `problems`). */
  "INVALID_CALENDAR",
  /** An argument is not a finite number, an integer where one is needed, or an invalid Date. */
  "INVALID_ARGUMENT",
  /** The walk left the supported local-date range (years 1900 to 9999). */
  "OUT_OF_RANGE",
] as const;

export type CalendarErrorCode = (typeof CALENDAR_ERROR_CODES)[number];

export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
    readonly problems: readonly CalendarProblem[] = [],
  ) {
    super(`${code}: ${message}`);
    this.name = "CalendarError";
  }
}

export function isCalendarError(error: unknown): error is CalendarError {
  return error instanceof CalendarError;
}

/** Dates and amounts come from forms and databases; fail loudly rather than compute with NaN. */
export function assertValidInstant(at: Date, what = "instant"): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new CalendarError("INVALID_ARGUMENT", `${what} is not a valid Date`);
  return ms;
}

export function assertFiniteAmount(amount: number, what: string): void {
  if (typeof amount !== "number" || !Number.isFinite(amount)) {
    throw new CalendarError("INVALID_ARGUMENT", `${what} must be a finite number, got ${String(amount)}`);
  }
}

export function assertIntegerAmount(amount: number, what: string): void {
  assertFiniteAmount(amount, what);
  if (!Number.isInteger(amount)) {
    throw new CalendarError("INVALID_ARGUMENT", `${what} must be a whole number, got ${String(amount)}`);
  }
}
