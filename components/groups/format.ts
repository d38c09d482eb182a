import { POLICY_TIME_ZONE } from "@/lib/groups/policy-rules";

// Dates on the work-group screens, in the company's time zone (Asia/Shanghai) and the reader's
// language.

export function formatDate(value: Date | null | undefined, locale: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: POLICY_TIME_ZONE }).format(value);
}

/** A Postgres DATE (UTC midnight): shown as the calendar day it names, whatever the zone. */
export function formatDay(value: Date | null | undefined, locale: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(value);
}

export function formatDateTime(value: Date | null | undefined, locale: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: POLICY_TIME_ZONE }).format(value);
}
