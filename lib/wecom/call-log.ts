import type { DbClient } from "@/lib/server/prisma-client";
import type { WeComFailure } from "./errors";

// The record of WeCom API calls (ADMIN reads the recent ones on /settings/wecom). A row never holds
// a token, a secret or a query string: `path` is the API path only. The table is pruned to the
// most recent CALL_LOG_KEEP rows every PRUNE_EVERY inserts, so it stays bounded however long a
// sync runs.

export const CALL_LOG_KEEP = 5000;
const PRUNE_EVERY = 100;

export type CallRecord = {
  app: string;
  method: string;
  path: string;
  errcode: number | null;
  failure: Exclude<WeComFailure, "API" | "NOT_CONFIGURED"> | null;
  httpStatus: number | null;
  durationMs: number;
  retries: number;
};

/** Strips the query string (and with it access_token, corpsecret) from a path. */
export function loggablePath(path: string): string {
  const q = path.search(/[?#]/);
  return q < 0 ? path : path.slice(0, q);
}

export async function recordCall(prisma: DbClient, call: CallRecord, keep = CALL_LOG_KEEP): Promise<void> {
  const row = await prisma.weComApiCall.create({
    data: { ...call, path: loggablePath(call.path), durationMs: Math.max(0, Math.round(call.durationMs)) },
    select: { id: true },
  });
  if (row.id % BigInt(PRUNE_EVERY) === BigInt(0) || keep < PRUNE_EVERY) await pruneCalls(prisma, keep);
}

/** Deletes all but the `keep` most recent calls. */
export async function pruneCalls(prisma: DbClient, keep = CALL_LOG_KEEP): Promise<number> {
  return prisma.$executeRaw`DELETE FROM wecom_api_calls WHERE id < (SELECT id FROM wecom_api_calls ORDER BY id DESC OFFSET ${keep - 1} LIMIT 1)`;
}

export async function recentCalls(prisma: DbClient, opts: { take?: number; errorsOnly?: boolean } = {}) {
  return prisma.weComApiCall.findMany({
    where: opts.errorsOnly ? { OR: [{ failure: { not: null } }, { errcode: { not: 0 } }] } : {},
    orderBy: { id: "desc" },
    take: opts.take ?? 50,
  });
}
