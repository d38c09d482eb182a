import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ApiProblem } from "./problem";

// Opaque, signed pagination cursors. A cursor holds the keyset position of the last row handed
// out (never an offset, so rows inserted meanwhile neither repeat nor shift a page) and the
// listing it belongs to (the operation and its filters); an HMAC makes any change to it, or its
// use with other filters, a 400 invalid_cursor rather than a query with a forged position.

let fallbackKey: Buffer | null = null;
function key(): Buffer | string {
  const configured = process.env.API_CURSOR_SECRET ?? process.env.AUTH_SECRET;
  if (configured) return `api-cursor:${configured}`;
  // Without a configured secret (tests, scripts), cursors are valid for this process's life.
  fallbackKey ??= randomBytes(32);
  return fallbackKey;
}

const mac = (payload: string) => createHmac("sha256", key()).update(payload).digest().subarray(0, 16).toString("base64url");

/** The listing a cursor is bound to: its operation and its filters, in a stable order. */
export function listingOf(operationId: string, filters: Record<string, unknown>): string {
  const stable = Object.keys(filters)
    .filter((k) => k !== "cursor" && k !== "limit" && filters[k] !== undefined && filters[k] !== "")
    .sort()
    .map((k) => `${k}=${String(filters[k] instanceof Date ? (filters[k] as Date).toISOString() : filters[k])}`)
    .join("&");
  return `${operationId}?${stable}`;
}

export type KeysetPosition = (string | number)[];

export function encodeCursor(listing: string, position: KeysetPosition): string {
  const payload = Buffer.from(JSON.stringify({ l: listing, p: position }), "utf8").toString("base64url");
  return `${payload}.${mac(payload)}`;
}

export function decodeCursor(listing: string, cursor: string): KeysetPosition {
  const invalid = () => new ApiProblem("invalid_cursor");
  const dot = cursor.indexOf(".");
  if (dot <= 0 || cursor.length > 2000) throw invalid();
  const payload = cursor.slice(0, dot);
  const given = Buffer.from(cursor.slice(dot + 1), "base64url");
  const expected = Buffer.from(mac(payload), "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const { l, p } = (parsed ?? {}) as { l?: unknown; p?: unknown };
  if (l !== listing || !Array.isArray(p) || !p.every((v) => typeof v === "string" || typeof v === "number")) throw invalid();
  return p as KeysetPosition;
}
