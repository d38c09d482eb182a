// Time rules of offboarding (SPEC §6, reference/wecom-api.md). Pure, so tests and jobs pass `now`.

export const TRANSFER_WAIT_MS = 24 * 60 * 60 * 1000;
export const TRANSFER_LIMIT_WINDOW_DAYS = 90;
export const TRANSFER_LIMIT_COUNT = 2;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The company's day runs on China time (UTC+8 all year, no daylight saving). */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
/** A leaver becomes DEPARTED at 18:00 China time on their last working day (10:00 UTC): the end
 * of the working day, so they can still hand over during it. */
export const DEPARTURE_HOUR_SHANGHAI = 18;

/** Today's date in China, as the UTC midnight Date that Postgres DATE columns map to. */
export function shanghaiToday(now: Date): Date {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
}

/** The instant a leaver with this last working day (a UTC-midnight DATE) becomes DEPARTED. */
export function departureInstant(lastWorkingDay: Date): Date {
  return new Date(lastWorkingDay.getTime() + DEPARTURE_HOUR_SHANGHAI * 3600_000 - SHANGHAI_OFFSET_MS);
}

/** The latest last working day whose departure instant has passed at `now`. */
export function departedUpTo(now: Date): Date {
  const shifted = new Date(now.getTime() - (DEPARTURE_HOUR_SHANGHAI * 3600_000 - SHANGHAI_OFFSET_MS));
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()));
}

export function transferDue(startedAt: Date): Date {
  return new Date(startedAt.getTime() + TRANSFER_WAIT_MS);
}

export function limitWindowStart(now: Date): Date {
  return new Date(now.getTime() - TRANSFER_LIMIT_WINDOW_DAYS * DAY_MS);
}

/** When a customer with these completed-transfer times may be transferred again: the older of
 * the two most recent ones leaves the 90-day window. Null when they may be transferred now. */
export function transferAllowedFrom(finishedTimes: Date[], now: Date): Date | null {
  const inWindow = finishedTimes.filter((t) => t.getTime() > limitWindowStart(now).getTime()).sort((a, b) => b.getTime() - a.getTime());
  if (inWindow.length < TRANSFER_LIMIT_COUNT) return null;
  const older = inWindow[TRANSFER_LIMIT_COUNT - 1];
  return new Date(older.getTime() + TRANSFER_LIMIT_WINDOW_DAYS * DAY_MS);
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
