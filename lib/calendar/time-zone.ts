// Time-zone facts come from the built-in Intl API (full ICU in Node 20 and in browsers), so the
// module ships no tz database. Intl only answers "what wall clock does this instant show", so
// everything else is derived from UTC offsets: for each local day we find the offset pieces
// that cover it, which makes gaps (spring forward) and repeated hours (fall back) exact.

import { CalendarError } from "./errors";
import { MS_PER_DAY, assertSupportedDay } from "./civil-date";

const MS_PER_SECOND = 1_000;
const MS_PER_HOUR = 3_600_000;

/** A stretch of instants [start, end) during which the zone keeps one UTC offset. */
export interface OffsetPiece {
  start: number;
  end: number;
  /** local wall-clock ms minus UTC ms */
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        // h23: some ICU versions print midnight as "24" with hour12:false.
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw new CalendarError("INVALID_CALENDAR", `unknown time zone "${timeZone}"`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isKnownTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || timeZone.trim() === "" || timeZone !== timeZone.trim()) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** UTC offset in ms at an instant. tzdata offsets change on whole seconds, so ms are dropped. */
export function offsetAt(timeZone: string, instant: number): number {
  const seconds = Math.floor(instant / MS_PER_SECOND) * MS_PER_SECOND;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(seconds)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  return wall - seconds;
}

/** Local day number (days since 1970-01-01 on the zone's wall calendar) of an instant. */
export function localDayOf(timeZone: string, instant: number): number {
  return Math.floor((instant + offsetAt(timeZone, instant)) / MS_PER_DAY);
}

/** Milliseconds since local midnight shown by the zone's wall clock at an instant. */
export function localTimeOfDayOf(timeZone: string, instant: number): number {
  const wall = instant + offsetAt(timeZone, instant);
  return wall - Math.floor(wall / MS_PER_DAY) * MS_PER_DAY;
}

// Walking a calendar asks for the same days again and again (every SLA case of a week shares
// them); the pieces are facts of the zone, not of a calendar, so caching them is safe.
const PIECE_CACHE_LIMIT = 20_000;
const pieceCache = new Map<string, readonly OffsetPiece[]>();

/**
 * Offset pieces covering every instant whose local date can be `day`. UTC offsets lie within
 * −12 h … +14 h, so those instants lie in [day − 14 h, day + 36 h); the window is a little wider.
 */
export function offsetPiecesForDay(timeZone: string, day: number): readonly OffsetPiece[] {
  assertSupportedDay(day);
  const key = `${timeZone}|${day}`;
  const cached = pieceCache.get(key);
  if (cached) return cached;
  const start = day * MS_PER_DAY - 15 * MS_PER_HOUR;
  const end = day * MS_PER_DAY + 37 * MS_PER_HOUR;
  const pieces = splitAtTransitions(timeZone, start, offsetAt(timeZone, start), end, offsetAt(timeZone, end));
  if (pieceCache.size >= PIECE_CACHE_LIMIT) pieceCache.clear();
  pieceCache.set(key, pieces);
  return pieces;
}

// Assumes that when the offsets at both ends of the window agree, nothing changed in between:
// two transitions that cancel out within 52 hours do not occur in tzdata since 1900.
function splitAtTransitions(timeZone: string, start: number, startOffset: number, end: number, endOffset: number): OffsetPiece[] {
  if (startOffset === endOffset) return [{ start, end, offset: startOffset }];
  // Bisect on whole seconds for the first instant that no longer has the starting offset.
  let lo = start;
  let hi = end;
  while (hi - lo > MS_PER_SECOND) {
    const mid = lo + Math.floor((hi - lo) / (2 * MS_PER_SECOND)) * MS_PER_SECOND;
    if (offsetAt(timeZone, mid) === startOffset) lo = mid;
    else hi = mid;
  }
  const transition = hi;
  return [{ start, end: transition, offset: startOffset }, ...splitAtTransitions(timeZone, transition, offsetAt(timeZone, transition), end, endOffset)];
}

/**
 * The instants whose local wall-clock time lies in [fromMs, toMs) on `day` (ms since local
 * midnight, toMs up to 24 h). Usually one range; none when it falls in a spring-forward gap,
 * two when a fall-back repeats part of it.
 */
export function instantsForLocalRange(timeZone: string, day: number, fromMs: number, toMs: number): { start: number; end: number }[] {
  const midnight = day * MS_PER_DAY;
  const ranges: { start: number; end: number }[] = [];
  for (const piece of offsetPiecesForDay(timeZone, day)) {
    const start = Math.max(piece.start, midnight + fromMs - piece.offset);
    const end = Math.min(piece.end, midnight + toMs - piece.offset);
    if (start >= end) continue;
    const last = ranges[ranges.length - 1];
    if (last && last.end === start) last.end = end;
    else ranges.push({ start, end });
  }
  return ranges;
}

/**
 * The earliest instant whose wall clock shows at least `msOfDay` on `day`. A time that does not
 * exist (spring-forward gap) becomes the moment the clocks jump; a repeated time (fall back)
 * is its first occurrence.
 */
export function instantAtLocalTime(timeZone: string, day: number, msOfDay: number): number {
  const target = day * MS_PER_DAY + msOfDay;
  let best = Number.POSITIVE_INFINITY;
  for (const piece of offsetPiecesForDay(timeZone, day)) {
    const candidate = Math.max(piece.start, target - piece.offset);
    if (candidate < piece.end && candidate < best) best = candidate;
  }
  return best;
}
