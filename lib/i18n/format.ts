// One way to write a date, a time and a duration everywhere in the portal, in both languages:
//   date       2026-12-06
//   date-time  2026-12-06 14:30        (with seconds where the second matters: the audit trail)
//   duration   2 天 3 小时 / 2 days 3 hours   (the two largest units people would say)
// Times are China time (Asia/Shanghai), the company's zone, whoever reads them. A Postgres DATE
// (stored as UTC midnight) is a calendar day and is written with formatDay. Pages and exports call
// these; nothing else builds a date string for a person.

export const DISPLAY_TIME_ZONE = "Asia/Shanghai";

// Building an Intl.DateTimeFormat costs far more than using one: each is built once and kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The zones whose offset has not changed since the given instant, and that offset: from then on a
 * date's fields are the UTC fields of the instant moved by the offset, which is exact and about
 * ten times cheaper than Intl's formatToParts (a list page writes 25–50 dates;
 * docs/performance.md, "Dates written without Intl"). China has kept UTC+8 since its last summer
 * time ended on 1991-09-15; earlier instants, and other zones, go through Intl.
 */
const FIXED_OFFSETS: Record<string, { since: number; offsetMs: number }> = {
  UTC: { since: -8_640_000_000_000_000, offsetMs: 0 },
  "Asia/Shanghai": { since: Date.UTC(1991, 8, 15), offsetMs: 8 * 3_600_000 },
};
const YEAR_10000 = Date.UTC(10_000, 0, 1);
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** The fields by arithmetic, when the zone's offset is fixed at that instant (years 1000–9999). */
function fixedParts(value: Date, timeZone: string): Record<string, string> | null {
  const fixed = FIXED_OFFSETS[timeZone];
  const time = value.getTime();
  if (!fixed || time < fixed.since || time < Date.UTC(1000, 0, 1) || time >= YEAR_10000 - fixed.offsetMs) return null;
  const local = new Date(time + fixed.offsetMs);
  return {
    year: String(local.getUTCFullYear()),
    month: pad2(local.getUTCMonth() + 1),
    day: pad2(local.getUTCDate()),
    hour: pad2(local.getUTCHours()),
    minute: pad2(local.getUTCMinutes()),
    second: pad2(local.getUTCSeconds()),
  };
}

function parts(value: Date, timeZone: string, withTime: boolean, seconds: boolean): Record<string, string> {
  const fast = fixedParts(value, timeZone);
  if (fast) return fast;
  const key = `${timeZone}|${withTime}|${seconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" as const, ...(seconds ? { second: "2-digit" as const } : {}) } : {}),
    });
    formatters.set(key, f);
  }
  return Object.fromEntries(f.formatToParts(value).map((p) => [p.type, p.value]));
}

type When = Date | null | undefined;
const valid = (value: When): value is Date => value instanceof Date && !Number.isNaN(value.getTime());

/** 2026-12-06 (China date). `locale` is accepted for symmetry; the form is the same in both languages. */
export function formatDate(value: When, _locale?: string, timeZone = DISPLAY_TIME_ZONE): string {
  if (!valid(value)) return "—";
  const p = parts(value, timeZone, false, false);
  return `${p.year}-${p.month}-${p.day}`;
}

/** A calendar day stored as UTC midnight (a Postgres DATE): 2026-12-06, whatever the zone. */
export function formatDay(value: When, _locale?: string): string {
  return formatDate(value, _locale, "UTC");
}

/** 2026-12-06 14:30 (China time); with `seconds`, 2026-12-06 14:30:05. */
export function formatDateTime(value: When, _locale?: string, options: { seconds?: boolean; timeZone?: string } = {}): string {
  if (!valid(value)) return "—";
  const p = parts(value, options.timeZone ?? DISPLAY_TIME_ZONE, true, options.seconds ?? false);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${options.seconds ? `:${p.second}` : ""}`;
}

const UNITS = [
  { ms: 86_400_000, zh: "天", en: ["day", "days"] },
  { ms: 3_600_000, zh: "小时", en: ["hour", "hours"] },
  { ms: 60_000, zh: "分钟", en: ["minute", "minutes"] },
] as const;

/**
 * A duration as people say it: the two largest units that are not zero ("2 天 3 小时",
 * "1 hour 20 minutes"), rounded to the minute; under a minute is "不到 1 分钟" / "under a minute".
 */
export function formatDuration(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const zh = !locale.startsWith("en");
  const sign = ms < 0 ? "-" : "";
  let rest = Math.round(Math.abs(ms) / 60_000) * 60_000;
  if (rest === 0) return zh ? "不到 1 分钟" : "under a minute";
  const said: string[] = [];
  for (const unit of UNITS) {
    const n = Math.floor(rest / unit.ms);
    rest -= n * unit.ms;
    if (n > 0) said.push(zh ? `${n} ${unit.zh}` : `${n} ${unit.en[n === 1 ? 0 : 1]}`);
    else if (said.length) break;
    if (said.length === 2) break;
  }
  return sign + said.join(" ");
}

/** formatDuration for a number of minutes (the SLA figures are kept in minutes). */
export function formatMinutes(minutes: number | null | undefined, locale: string): string {
  return minutes === null || minutes === undefined ? "—" : formatDuration(minutes * 60_000, locale);
}

// Names in the order a Chinese reader expects: by pinyin (Intl.Collator's zh-CN collation, with
// Latin names sorted among them by their letters); numbers inside names in numeric order.
const collator = new Intl.Collator("zh-CN", { numeric: true, sensitivity: "base" });

export const compareNames = (a: string, b: string): number => collator.compare(a, b);

/** Sorts a copy by the name `of` each item gives, by pinyin. */
export function sortByName<T>(items: readonly T[], of: (item: T) => string): T[] {
  return [...items].sort((a, b) => collator.compare(of(a), of(b)));
}
