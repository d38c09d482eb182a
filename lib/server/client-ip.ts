import { BlockList, isIP } from "node:net";

// The address a request came from, for the sign-in throttle, login attempts, the audit trail and
// API tokens: the one place it is read (docs/security.md).
//
// The direct peer (the socket's address) is what scripts/serve.mjs puts in PEER_HEADER, after
// removing any copy the client sent. Forwarded headers (X-Forwarded-For, Forwarded, X-Real-IP)
// are anyone's to write, so they count only when the peer is one of TRUSTED_PROXIES (addresses
// and CIDR ranges, none by default). X-Forwarded-For is then walked from the right: each proxy
// appends the address it saw, and the first hop that is not a trusted proxy is the client.

/** Set by scripts/serve.mjs from the socket (keep the two in step). */
export const PEER_HEADER = "x-wegovern-peer";
const UNKNOWN = "unknown";

let cached: { source: string; list: BlockList } | null = null;

/** TRUSTED_PROXIES: addresses and CIDR ranges separated by commas or spaces; an entry that is
 * neither is an error at the first request, not silently ignored. */
export function parseTrustedProxies(source: string): BlockList {
  const list = new BlockList();
  for (const entry of source.split(/[\s,]+/).filter(Boolean)) {
    const [address, bits, extra] = entry.split("/");
    const ip = normalise(address);
    const family = ip ? (isIP(ip) === 6 ? "ipv6" : "ipv4") : null;
    const prefix = bits === undefined ? null : Number(bits);
    if (!ip || !family || extra !== undefined || (prefix !== null && (!/^\d+$/.test(bits!) || prefix > (family === "ipv6" ? 128 : 32)))) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an address or a CIDR range`);
    }
    if (prefix === null) list.addAddress(ip, family);
    else list.addSubnet(ip, prefix, family);
  }
  return list;
}

function trustedProxies(): BlockList {
  const source = process.env.TRUSTED_PROXIES ?? "";
  if (cached?.source !== source) cached = { source, list: parseTrustedProxies(source) };
  return cached.list;
}

/** An address as written in a header ("1.2.3.4", "1.2.3.4:5678", "[::1]:80", "::ffff:1.2.3.4",
 * a quoted Forwarded value), or null when it is not one. */
function normalise(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let v = raw.trim().replace(/^"|"$/g, "");
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  if (/^::ffff:[\d.]+$/i.test(v)) v = v.slice(7);
  v = v.replace(/%.*$/, ""); // an IPv6 zone
  return isIP(v) ? v.toLowerCase() : null;
}

const isTrusted = (list: BlockList, ip: string) => list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");

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
  const peer = normalise(headers.get(PEER_HEADER));
  if (!peer || !isTrusted(trusted, peer)) return false;
  const proto = headers.get("x-forwarded-proto") ?? /(?:^|;)\s*proto=("?)([a-z]+)\1/i.exec(headers.get("forwarded") ?? "")?.[2] ?? "";
  return proto.split(",")[0].trim().toLowerCase() === "https";
}
