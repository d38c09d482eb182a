import { POLICY_TIME_ZONE } from "@/lib/groups/policy-rules";

// Dates on the work-group screens, in the company's time zone (Asia/Shanghai) and the reader's
// language.

// An Intl.DateTimeFormat costs far more to build than to use (a list of 25 rows with two dates
// each spent ~9 ms of CPU per request building them), so each is built once per locale and kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: "date" | "day" | "dateTime", locale: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    f =
      kind === "date"
        ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: POLICY_TIME_ZONE })
        : kind === "day"
          ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" })
          : new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: POLICY_TIME_ZONE });
    // Locales come from the cookie's two known values; the bound only guards against a caller
    // passing something unexpected many times.
    if (formatters.size < 64) formatters.set(key, f);
  }
  return f;
}

export function formatDate(value: Date | null | undefined, locale: string): string {
  if (!value) return "—";
  return formatter("date", locale).format(value);
}

/** A Postgres DATE (UTC midnight): shown as the calendar day it names, whatever the zone. */
export function formatDay(value: Date | null | undefined, locale: string): string {
  if (!value) return "—";
  return formatter("day", locale).format(value);
}

export function formatDateTime(value: Date | null | undefined, locale: string): string {
  if (!value) return "—";
  return formatter("dateTime", locale).format(value);
}
