import type { MembershipRules } from "./membership";
import type { NamingRule } from "./naming-rule";
import type { Classification, ReviewState } from "./schemas";

// The work-group policy's arithmetic, pure (the pages, the commands and the tests share it):
// review dates by classification, the review state of a group, and whether an archive record is
// fresh enough for a dissolution. Days are Asia/Shanghai calendar days (SPEC §14's default zone;
// it has no daylight saving time, so a day is always 24 hours).

export const POLICY_TIME_ZONE = "Asia/Shanghai";
const DAY_MS = 86_400_000;

/** A group is "due soon" this many days before its review date. */
export const REVIEW_DUE_SOON_DAYS = 14;

export type GroupPolicy = NamingRule & {
  id: string;
  version: number;
  archiveWindowDays: number;
  reviewDays: Record<Classification, number>;
  /** Membership rules per classification (lib/groups/membership.ts). */
  membership: MembershipRules;
  createdById: string | null;
  createdAt: Date;
};

/** The defaults the migration installs as version 1 (SPEC §4). */
export const DEFAULT_REVIEW_DAYS: Record<Classification, number> = { PUBLIC: 180, INTERNAL: 180, CONFIDENTIAL: 90, SECRET: 30 };
export const DEFAULT_ARCHIVE_WINDOW_DAYS = 7;

export function reviewDueAfter(policy: Pick<GroupPolicy, "reviewDays">, classification: Classification, from: Date): Date {
  return new Date(from.getTime() + policy.reviewDays[classification] * DAY_MS);
}

/** ok, due soon (within REVIEW_DUE_SOON_DAYS) or overdue; null for a group without a review date. */
export function reviewStateOf(reviewDueAt: Date | null, now: Date): ReviewState | null {
  if (!reviewDueAt) return null;
  if (reviewDueAt.getTime() < now.getTime()) return "overdue";
  if (reviewDueAt.getTime() < now.getTime() + REVIEW_DUE_SOON_DAYS * DAY_MS) return "dueSoon";
  return "ok";
}

/** The review-state filter as a range of review dates (for the query's where). */
export function reviewDueRange(state: ReviewState, now: Date): { lt?: Date; gte?: Date } {
  const soon = new Date(now.getTime() + REVIEW_DUE_SOON_DAYS * DAY_MS);
  if (state === "overdue") return { lt: now };
  if (state === "dueSoon") return { gte: now, lt: soon };
  return { gte: soon };
}

/** The local calendar date of an instant, as a UTC-midnight Date (how Postgres DATE arrives). */
export function localDay(at: Date, timeZone = POLICY_TIME_ZONE): Date {
  const ymd = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  return new Date(`${ymd}T00:00:00.000Z`);
}

export function isoDay(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/** An active group with no archive record this many days old or younger is "without a fresh archive" (dashboard). */
export const ARCHIVE_STALE_DAYS = 90;

/** Whole days from an archive's export day to today (local): 0 for an export made today. */
export function archiveAgeDays(exportedOn: Date, now: Date): number {
  return Math.round((localDay(now).getTime() - exportedOn.getTime()) / DAY_MS);
}

/**
 * Fresh enough for a dissolution: younger than `archiveWindowDays` days (SPEC §4: "younger than 7
 * days"), strictly: with the default 7, an export of six days ago counts; one of last week's same
 * weekday (7 days) does not. Checked when the dissolution is requested and again when it takes
 * effect at the final approval.
 */
export function isArchiveFresh(exportedOn: Date | null | undefined, now: Date, archiveWindowDays: number): boolean {
  if (!exportedOn) return false;
  const age = archiveAgeDays(exportedOn, now);
  return age >= 0 && age < archiveWindowDays;
}

/** An export cannot be recorded for a day that has not come yet, nor for before the group existed
 * far in the past (ten years is plenty for a mistyped year). */
export function exportDayProblem(exportedOn: Date, now: Date): "future" | "tooOld" | null {
  const today = localDay(now);
  if (exportedOn.getTime() > today.getTime()) return "future";
  if (today.getTime() - exportedOn.getTime() > 3653 * DAY_MS) return "tooOld";
  return null;
}
