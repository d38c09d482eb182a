import type { DbClient } from "@/lib/server/prisma-client";

// The public sign-in routes' per-address rate limit (docs/sign-in.md "Rate limit"): a counter per
// client address and minute in `sign_in_rate_limits`, incremented by one atomic upsert, so every
// process of the portal (several Next servers behind a balancer) shares it. Generous by default —
// a whole office signs in from one NAT address at 09:00, each sign-in being two requests (start,
// callback) — and meant to stop floods, not people: SIGN_IN_RATE_LIMIT_PER_MINUTE (default 300).

export const DEFAULT_SIGN_IN_RATE_PER_MINUTE = 300;
const MINUTE = 60_000;

export function signInRatePerMinute(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.SIGN_IN_RATE_LIMIT_PER_MINUTE);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_SIGN_IN_RATE_PER_MINUTE;
}

export type SlotResult = { ok: true; count: number } | { ok: false; count: number; retryAt: Date; firstOver: boolean };

/** Counts one request from `address` in the current minute; refuses past the limit. */
export async function takeSignInSlot(client: DbClient, address: string, now = new Date(), limit = signInRatePerMinute()): Promise<SlotResult> {
  const windowStart = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
  const key = `addr:${address.slice(0, 100)}`;
  const [{ count }] = await client.$queryRaw<{ count: number }[]>`
    INSERT INTO sign_in_rate_limits AS r (key, window_start, count) VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = r.count + 1
    RETURNING r.count`;
  // The first request of a window clears windows older than an hour (of every address).
  if (count === 1) await client.$executeRaw`DELETE FROM sign_in_rate_limits WHERE window_start < ${new Date(windowStart.getTime() - 60 * MINUTE)}`;
  if (count <= limit) return { ok: true, count };
  return { ok: false, count, retryAt: new Date(windowStart.getTime() + MINUTE), firstOver: count === limit + 1 };
}
