import type { SessionClaims } from "./session";

// Decoding the session cookie through Auth.js (a key derived by HKDF, the token decrypted, then
// encrypted again for a cookie a page cannot set) cost every page view about 2 ms of CPU, for the
// same few cookies over and over. The claims a cookie decoded to are kept, per process, under the
// cookie's exact value, until the token expires and for at most a minute: the token is immutable
// and decodes the same in every process, and whether the session still stands (ended, expired,
// version raised, person departed) is read from the database on every request
// (lib/server/session.ts actorForSession), so nothing kept here outlives a revocation. Only a
// cookie that decoded is kept; anything else goes through Auth.js each time.

const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;
export const CLAIMS_KEEP_MS = 60_000;
const CLAIMS_MAX = 5_000;

type Kept = Map<string, { claims: SessionClaims; until: number }>;
const globalForClaims = globalThis as unknown as { wegovernSessionClaims?: Kept };

/** The decoded claims of the request's session cookie (all its chunks), from the per-process store or
 * from `decode` (Auth.js): `expires` is the token's own expiry, seconds since the epoch. */
export async function claimsForCookies(
  cookies: readonly { name: string; value: string }[],
  decode: () => Promise<{ claims: SessionClaims; expires?: number } | null>,
  now = Date.now(),
): Promise<SessionClaims | null> {
  const kept = (globalForClaims.wegovernSessionClaims ??= new Map());
  const key = cookies
    .filter((c) => SESSION_COOKIE.test(c.name))
    .map((c) => `${c.name}=${c.value}`)
    .sort()
    .join("; ");
  const hit = key ? kept.get(key) : undefined;
  if (hit && hit.until > now) return hit.claims;
  if (hit) kept.delete(key);
  const decoded = await decode();
  if (decoded && key && typeof decoded.expires === "number") {
    if (kept.size >= CLAIMS_MAX) kept.delete(kept.keys().next().value!);
    kept.set(key, { claims: decoded.claims, until: Math.min(now + CLAIMS_KEEP_MS, decoded.expires * 1000) });
  }
  return decoded?.claims ?? null;
}
