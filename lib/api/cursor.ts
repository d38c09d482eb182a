import { createHmac, timingSafeEqual } from "node:crypto";
import type { DbClient } from "@/lib/server/prisma-client";
import { serverSecret } from "@/lib/server/server-secrets";
import { ApiProblem } from "./problem";

// Opaque, signed pagination cursors. A cursor holds the keyset position of the last row handed
// out (never an offset, so rows inserted meanwhile neither repeat nor shift a page) and the
// listing it belongs to (the operation and its filters); an HMAC makes any change to it, or its
// use with other filters, a 400 invalid_cursor rather than a query with a forged position.

/** The key cursors are signed with: derived from API_CURSOR_SECRET or AUTH_SECRET when one is
 * set, else a key stored once in the database (server_secrets, made race-safely on first use).
 * Never per process: a cursor handed out by one instance, or before a restart, stays valid. */
export type CursorKey = string;

const loaded = new WeakMap<object, Promise<CursorKey>>();

export function configuredCursorKey(env: Record<string, string | undefined> = process.env): CursorKey | null {
  const configured = env.API_CURSOR_SECRET || env.AUTH_SECRET;
  return configured ? `api-cursor:${configured}` : null;
}

export function loadCursorKey(client: DbClient): Promise<CursorKey> {
  const configured = configuredCursorKey();
  if (configured) return Promise.resolve(configured);
  let key = loaded.get(client);
  if (!key) {
    key = serverSecret(client, "api.cursor").then((secret) => `api-cursor-db:${secret}`);
    // A failed load is tried again on the next request, not remembered.
    key.catch(() => loaded.delete(client));
    loaded.set(client, key);
  }
  return key;
}

const mac = (key: CursorKey, payload: string) => createHmac("sha256", key).update(payload).digest().subarray(0, 16).toString("base64url");

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

export function encodeCursor(key: CursorKey, listing: string, position: KeysetPosition): string {
  const payload = Buffer.from(JSON.stringify({ l: listing, p: position }), "utf8").toString("base64url");
  return `${payload}.${mac(key, payload)}`;
}

export function decodeCursor(key: CursorKey, listing: string, cursor: string): KeysetPosition {
  const invalid = () => new ApiProblem("invalid_cursor");
  const dot = cursor.indexOf(".");
  if (dot <= 0 || cursor.length > 2000) throw invalid();
  const payload = cursor.slice(0, dot);
  const given = Buffer.from(cursor.slice(dot + 1), "base64url");
  const expected = Buffer.from(mac(key, payload), "base64url");
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
