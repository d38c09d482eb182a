// An SLA clock can be paused (waiting for the customer). The rule that keeps pausing honest is
// that the working time left when the pause began is exactly the working time left when it
// ends: a pause never shortens, and never lengthens, the time the team has.

import { assertValidInstant } from "./errors";
import type { CalendarDefinition } from "./schemas";
import { addWorkingMilliseconds, workingMillisecondsBetween } from "./working-time";

export interface Pause {
  pausedAt: Date;
  resumedAt: Date;
}

/**
 * The deadline after a pause: the working time that was left at `pausedAt` (negative when the
 * deadline had already passed) counted again from `resumedAt`. A pause that ends before it
 * starts is treated as no pause.
 */
export function deadlineAfterPause(calendar: CalendarDefinition, due: Date, pause: Pause): Date {
  const pausedAt = assertValidInstant(pause.pausedAt, "pausedAt");
  const resumedAt = assertValidInstant(pause.resumedAt, "resumedAt");
  if (resumedAt <= pausedAt) return new Date(assertValidInstant(due, "due"));
  const left = workingMillisecondsBetween(calendar, pause.pausedAt, due);
  return addWorkingMilliseconds(calendar, pause.resumedAt, left);
}

/** The deadline after several pauses, applied in order. */
export function deadlineAfterPauses(calendar: CalendarDefinition, due: Date, pauses: readonly Pause[]): Date {
  const ordered = [...pauses].sort((a, b) => a.pausedAt.getTime() - b.pausedAt.getTime());
  return ordered.reduce((deadline, pause) => deadlineAfterPause(calendar, deadline, pause), due);
}
