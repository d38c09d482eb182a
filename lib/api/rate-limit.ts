import type { DbClient } from "@/lib/server/prisma-client";
import { ApiProblem } from "./problem";

// Per-token rate limit, counted in the database (so every server instance shares it): a fixed
// one-minute window per token, one upsert per request. Answers carry RateLimit-Limit,
// RateLimit-Remaining and RateLimit-Reset (draft-ietf-httpapi-ratelimit-headers); past the limit,
// 429 with Retry-After.

export const WINDOW_MS = 60_000;

export type RateState = { limit: number; remaining: number; resetSeconds: number };

export function rateHeaders(s: RateState): Record<string, string> {
  return { "RateLimit-Limit": String(s.limit), "RateLimit-Remaining": String(s.remaining), "RateLimit-Reset": String(s.resetSeconds), "RateLimit-Policy": `${s.limit};w=${WINDOW_MS / 1000}` };
}

export async function takeRequest(client: DbClient, tokenId: string, limit: number, now = new Date()): Promise<RateState> {
  const start = new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
  const rows = await client.$queryRaw<{ count: number }[]>`
    INSERT INTO api_rate_windows (token_id, window_start, count) VALUES (${tokenId}, ${start}, 1)
    ON CONFLICT (token_id, window_start) DO UPDATE SET count = api_rate_windows.count + 1
    RETURNING count`;
  const count = Number(rows[0]?.count ?? 1);
  const resetSeconds = Math.max(1, Math.ceil((start.getTime() + WINDOW_MS - now.getTime()) / 1000));
  const state = { limit, remaining: Math.max(0, limit - count), resetSeconds };
  if (count > limit) throw new ApiProblem("rate_limited", `At most ${limit} requests a minute.`, undefined, { ...rateHeaders(state), "Retry-After": String(resetSeconds) });
  // Old windows go now and then (one request in a hundred), never in a job of their own.
  if (count === 1 && Math.random() < 0.01) await client.$executeRaw`DELETE FROM api_rate_windows WHERE window_start < ${new Date(start.getTime() - WINDOW_MS * 5)}`;
  return state;
}
