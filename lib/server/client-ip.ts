import type { BlockList } from "node:net";
import { isTrusted, normaliseAddress, PEER_HEADER, parseTrustedProxies, requestIsHttps as isHttps, trustedProxies } from "./page-headers.mjs";

// The address a request came from, for the sign-in throttle, login attempts, the audit trail and
// API tokens: the one place it is read (docs/security.md).
//
// The direct peer (the socket's address) is what scripts/serve.mjs puts in PEER_HEADER, after
// removing any copy the client sent. Forwarded headers (X-Forwarded-For, Forwarded, X-Real-IP)
// are anyone's to write, so they count only when the peer is one of TRUSTED_PROXIES (addresses
// and CIDR ranges, none by default). X-Forwarded-For is then walked from the right: each proxy
// appends the address it saw, and the first hop that is not a trusted proxy is the client.

// PEER_HEADER is set by scripts/serve.mjs from the socket; TRUSTED_PROXIES is parsed where the
// gate reads it too (lib/server/page-headers.mjs).
export { PEER_HEADER, parseTrustedProxies };
const UNKNOWN = "unknown";
const normalise = normaliseAddress;

/** The hops a trusted proxy reports, nearest last: X-Forwarded-For, else Forwarded's for=. */
function reportedHops(headers: Headers): string[] {
  const xff = headers.get("x-forwarded-for");
  if (xff) return xff.split(",");
  const forwarded = headers.get("forwarded");
  if (forwarded) {
    return forwarded.split(",").map((element) => /(?:^|;)\s*for=("[^"]*"|[^;]*)/i.exec(element)?.[1] ?? "");
  }
  const real = headers.get("x-real-ip");
  return real ? [real] : [];
}

/** The client's address (at most 64 characters), or "unknown" when nothing says who the peer is
 * (no scripts/serve.mjs in front, e.g. `next dev`): forwarded headers are then not believed. */
export function clientIp(headers: Headers, trusted: BlockList = trustedProxies()): string {
  const peer = normalise(headers.get(PEER_HEADER));
  if (!peer) return UNKNOWN;
  if (!isTrusted(trusted, peer)) return peer;
  let client = peer;
  const hops = reportedHops(headers);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalise(hops[i]);
    // A trusted proxy writes addresses; anything else left of them came from the client.
    if (!hop) break;
    client = hop;
    if (!isTrusted(trusted, hop)) break;
  }
  return client.slice(0, 64);
}

/** Whether the client reached us over HTTPS: only a trusted proxy can say so (X-Forwarded-Proto
 * or Forwarded's proto=), as the app itself serves plain HTTP. */
export function requestIsHttps(headers: Headers, trusted: BlockList = trustedProxies()): boolean {
  return isHttps((name) => headers.get(name), trusted);
}
