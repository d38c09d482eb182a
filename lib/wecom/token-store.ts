import { createHash } from "node:crypto";
import { decrypt, encrypt } from "@/lib/pii";
import type { DbClient } from "@/lib/server/prisma-client";

// The access-token cache in PostgreSQL, one row per corp id + app secret, shared by every server
// and worker process. The secret never reaches the table: the key is a SHA-256 of corp id and
// secret, and the token itself is stored encrypted (lib/pii). A refresh takes a transaction-level
// advisory lock on the key, re-reads the row (another process may have refreshed meanwhile) and
// only then asks WeCom, so N processes needing a token at once make one gettoken call.

export function tokenCacheKey(corpId: string, secret: string): string {
  return createHash("sha256").update(`wecom-token\u0000${corpId}\u0000${secret}`, "utf8").digest("hex");
}

export type CachedToken = { token: string; expiresAt: Date };

export async function readToken(prisma: DbClient, key: string, usableUntil: Date): Promise<CachedToken | null> {
  const row = await prisma.weComAccessToken.findUnique({ where: { cacheKey: key } });
  if (!row || row.expiresAt <= usableUntil) return null;
  try {
    return { token: decrypt(row.tokenCipher), expiresAt: row.expiresAt };
  } catch {
    return null; // made under a key we no longer have: fetch a new one
  }
}

/**
 * Returns a usable token, fetching one through `fetchToken` only if, under the lock, the cached
 * one is missing, due for an early refresh (expires before `usableUntil`) or is `stale` (the one
 * WeCom just refused with 40014/42001).
 */
export async function refreshToken(
  prisma: DbClient,
  key: string,
  opts: { usableUntil: () => Date; stale: string | null; fetchToken: () => Promise<{ token: string; expiresInSeconds: number }>; now: () => Date; lockTimeoutMs: number },
): Promise<CachedToken & { fetched: boolean }> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 4242))`;
      const row = await tx.weComAccessToken.findUnique({ where: { cacheKey: key } });
      if (row && row.expiresAt > opts.usableUntil()) {
        try {
          const token = decrypt(row.tokenCipher);
          if (token !== opts.stale) return { token, expiresAt: row.expiresAt, fetched: false };
        } catch {
          // fall through to a fresh token
        }
      }
      const fresh = await opts.fetchToken();
      const fetchedAt = opts.now();
      const expiresAt = new Date(fetchedAt.getTime() + Math.max(0, fresh.expiresInSeconds) * 1000);
      const tokenCipher = encrypt(fresh.token);
      await tx.weComAccessToken.upsert({ where: { cacheKey: key }, create: { cacheKey: key, tokenCipher, expiresAt, fetchedAt }, update: { tokenCipher, expiresAt, fetchedAt } });
      return { token: fresh.token, expiresAt, fetched: true };
    },
    { timeout: opts.lockTimeoutMs, maxWait: opts.lockTimeoutMs },
  );
}
