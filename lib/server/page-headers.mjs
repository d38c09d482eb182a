// What a page request carries into the app and what its response carries out, for security: the
// Content-Security-Policy with a fresh nonce, Strict-Transport-Security, and the request's path
// (docs/security.md). One definition for the two places a request can get them:
//  - scripts/serve.mjs's gate (production: `npm start`, the e2e server, every bench) sets them
//    before Next.js sees the request, and marks the request with GATED_HEADER;
//  - proxy.ts (`next dev`, or a bare `next start`) sets them when nothing did: its matcher skips a
//    request that carries GATED_HEADER, which is what saves Next.js's proxy round (about 2 ms of CPU
//    per request, docs/performance.md "The floor: the proxy's work in the gate").
// The trusted-proxy rules that decide HTTPS live here too, so the gate and lib/server/client-ip.ts
// read TRUSTED_PROXIES the same way. Plain JavaScript, so Node runs it as it is in the gate.
import { randomUUID } from "node:crypto";
import { BlockList, isIP } from "node:net";

/** Set by the gate from the socket (any copy the client sent is removed). */
export const PEER_HEADER = "x-wegovern-peer";
/** The request's path and query, for a page that sends a signed-out person to sign-in and back. */
export const PATH_HEADER = "x-wegovern-path";
/** The nonce of this request's CSP, for the few inline scripts we render ourselves. */
export const NONCE_HEADER = "x-nonce";
/** Marks a request whose headers the gate has set; proxy.ts's matcher skips it. Removed from
 * every request the gate receives, so a client cannot send it through the gate. */
export const GATED_HEADER = "x-wegovern-gated";

/**
 * Whether the proxy (and so, in production, the gate) handles this request at all: not Next's
 * static files and image optimiser, not the favicon, and not a router prefetch (Next.js sends no
 * HTML for those; proxy.ts's matcher says the same in its own terms).
 * @param {string} pathname
 * @param {(name: string) => string | null | undefined} get a request header, lower-case name
 */
export function wantsPageHeaders(pathname, get) {
  if (pathname.startsWith("/_next/static") || pathname.startsWith("/_next/image") || pathname.startsWith("/favicon.ico")) return false;
  return get("next-router-prefetch") == null && get("purpose") !== "prefetch";
}

/** A fresh nonce: 48 characters of base64, as Next.js's examples make it. */
export function newNonce() {
  return Buffer.from(randomUUID()).toString("base64");
}

/**
 * The Content-Security-Policy of a page. Framing is limited to the portal itself (WeCom's
 * workbench opens the portal as a page, not in a frame).
 * @param {string} nonce
 * @param {{ dev?: boolean, http?: boolean }} [options] dev: `next dev` (React needs eval); http:
 *   the request's URL is plain HTTP as Next.js sees it (no upgrade-insecure-requests then)
 */
export function contentSecurityPolicy(nonce, { dev = false, http = false } = {}) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    ...(dev || http ? [] : ["upgrade-insecure-requests"]),
  ].join("; ");
}

/**
 * An address as written in a header ("1.2.3.4", "1.2.3.4:5678", "[::1]:80", "::ffff:1.2.3.4", a
 * quoted Forwarded value), or null when it is not one.
 * @param {string | null | undefined} raw
 * @returns {string | null}
 */
export function normaliseAddress(raw) {
  if (!raw) return null;
  let v = raw.trim().replace(/^"|"$/g, "");
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  if (/^::ffff:[\d.]+$/i.test(v)) v = v.slice(7);
  v = v.replace(/%.*$/, ""); // an IPv6 zone
  return isIP(v) ? v.toLowerCase() : null;
}

/**
 * TRUSTED_PROXIES: addresses and CIDR ranges separated by commas or spaces; an entry that is
 * neither is an error, not silently ignored.
 * @param {string} source
 * @returns {BlockList}
 */
export function parseTrustedProxies(source) {
  const list = new BlockList();
  for (const entry of source.split(/[\s,]+/).filter(Boolean)) {
    const [address, bits, extra] = entry.split("/");
    const ip = normaliseAddress(address);
    const family = ip ? (isIP(ip) === 6 ? "ipv6" : "ipv4") : null;
    const prefix = bits === undefined ? null : Number(bits);
    if (!ip || !family || extra !== undefined || (prefix !== null && (!/^\d+$/.test(bits) || prefix > (family === "ipv6" ? 128 : 32)))) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an address or a CIDR range`);
    }
    if (prefix === null) list.addAddress(ip, family);
    else list.addSubnet(ip, prefix, family);
  }
  return list;
}

/** @type {{ source: string, list: BlockList } | null} */
let cached = null;

/** TRUSTED_PROXIES as read now (parsed once per value). */
export function trustedProxies() {
  const source = process.env.TRUSTED_PROXIES ?? "";
  if (cached?.source !== source) cached = { source, list: parseTrustedProxies(source) };
  return cached.list;
}

/**
 * @param {BlockList} list
 * @param {string} ip a normalised address
 */
export function isTrusted(list, ip) {
  return list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/**
 * Whether the client reached us over HTTPS: only a trusted proxy can say so (X-Forwarded-Proto or
 * Forwarded's proto=), as the app itself serves plain HTTP.
 * @param {(name: string) => string | null | undefined} get a request header, lower-case name
 * @param {BlockList} [trusted]
 */
export function requestIsHttps(get, trusted = trustedProxies()) {
  const peer = normaliseAddress(get(PEER_HEADER));
  if (!peer || !isTrusted(trusted, peer)) return false;
  const proto = get("x-forwarded-proto") ?? /(?:^|;)\s*proto=("?)([a-z]+)\1/i.exec(get("forwarded") ?? "")?.[2] ?? "";
  return proto.split(",")[0].trim().toLowerCase() === "https";
}

/**
 * Strict-Transport-Security for a request that reached us over HTTPS (through a trusted proxy):
 * HSTS_MAX_AGE in seconds, one year unless set; "off" sends none (0 tells browsers to forget the
 * rule).
 * @param {(name: string) => string | null | undefined} get a request header, lower-case name
 * @returns {string | null}
 */
export function hstsHeader(get) {
  const setting = (process.env.HSTS_MAX_AGE ?? "").trim();
  if (setting.toLowerCase() === "off" || !requestIsHttps(get)) return null;
  const maxAge = /^\d+$/.test(setting) ? Number(setting) : 31_536_000;
  return `max-age=${maxAge}${process.env.HSTS_INCLUDE_SUBDOMAINS === "1" ? "; includeSubDomains" : ""}`;
}

/**
 * Everything a page request needs set, decided once: the nonce, the policy (request and response),
 * HSTS (response, or null), and the path header's value.
 * @param {(name: string) => string | null | undefined} get a request header, lower-case name
 * @param {{ pathAndQuery: string, http: boolean, dev?: boolean }} request
 */
export function pageHeaders(get, { pathAndQuery, http, dev = false }) {
  const nonce = newNonce();
  return { nonce, csp: contentSecurityPolicy(nonce, { dev, http }), hsts: hstsHeader(get), path: pathAndQuery };
}
