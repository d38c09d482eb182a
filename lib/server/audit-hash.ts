import { createHash, createHmac, hkdfSync } from "node:crypto";

// The hash chain of the audit trail: each event's hash covers its content and the previous
// event's hash, so removing, reordering or altering any event breaks every hash after it.
// Kept free of "server-only" so `npm run audit:verify` can use it.
//
// The chain is keyed (docs/decisions/0004-audit-trail.md): an event's hash is an HMAC-SHA256
// with a key kept outside the database (AUDIT_HMAC_KEY), written "hmac1.<keyId>.<hex>", so
// whoever holds only the database cannot recompute the chain after rewriting an event. Events
// written before the key existed carry the unkeyed SHA-256 (64 hex digits): "legacy", accepted
// only up to the event the operator names (AUDIT_HMAC_LEGACY_UNTIL).

export const GENESIS_HASH = "0".repeat(64);

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Normalises a value the way jsonb will give it back (Dates become ISO strings, undefined drops). */
export function toAuditJson(value: unknown): Json | null {
  if (value === undefined || value === null) return null;
  // jsonb refuses NUL and lone surrogates; an audit event must never make its change fail.
  return JSON.parse(
    JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : typeof v === "string" ? v.toWellFormed().replace(/\u0000/g, "\uFFFD") : v)),
  ) as Json;
}

/** JSON with object keys sorted, so jsonb's own key order cannot change the hash. */
export function canonicalJson(value: Json | null): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
}

export type HashedAuditContent = {
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  ip: string | null;
  createdAt: Date;
  prevHash: string;
};

function hashedContent(e: HashedAuditContent): Json {
  return {
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    before: toAuditJson(e.before),
    after: toAuditJson(e.after),
    ip: e.ip,
    createdAt: e.createdAt.toISOString(),
    prevHash: e.prevHash,
  };
}

/** The unkeyed SHA-256 of an event: what events written before the key carry ("legacy"). */
export function legacyAuditHash(e: HashedAuditContent): string {
  return createHash("sha256").update(canonicalJson(hashedContent(e))).digest("hex");
}

/** An audit key: its id (named in every hash it makes) and the HMAC key derived from it. */
export type AuditKey = { id: string; macKey: Buffer };
export type AuditKeyring = { current: AuditKey | null; all: Map<string, AuditKey> };

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuditKeyError";
  }
}

/** A key from its base64 text (`openssl rand -base64 32`). */
export function parseAuditKey(raw: string, name = "AUDIT_HMAC_KEY"): AuditKey {
  const text = raw.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw new AuditKeyError(`${name} is not base64 (generate one with: openssl rand -base64 32)`);
  const master = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (master.length !== 32) throw new AuditKeyError(`${name} must be 32 bytes in base64 (it decodes to ${master.length}); generate one with: openssl rand -base64 32`);
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), info, 32));
  const id = createHash("sha256").update(derive("wegovern/audit/key-id/v1")).digest("base64url").slice(0, 8);
  return { id, macKey: derive("wegovern/audit/hmac-sha256/v1") };
}

let cachedRing: { current: string; previous: string; ring: AuditKeyring } | null = null;

/** AUDIT_HMAC_KEY signs new events; AUDIT_HMAC_KEY_PREVIOUS (comma-separated) only verifies
 * events written before a rotation. */
export function auditKeyringFromEnv(env: Record<string, string | undefined> = process.env): AuditKeyring {
  const current = env.AUDIT_HMAC_KEY ?? "";
  const previous = env.AUDIT_HMAC_KEY_PREVIOUS ?? "";
  if (cachedRing && cachedRing.current === current && cachedRing.previous === previous) return cachedRing.ring;
  const all = new Map<string, AuditKey>();
  const old = previous.split(",").filter((k) => k.trim()).map((k) => parseAuditKey(k, "AUDIT_HMAC_KEY_PREVIOUS"));
  for (const k of old) all.set(k.id, k);
  const key = current.trim() ? parseAuditKey(current) : null;
  if (key) all.set(key.id, key);
  const ring = { current: key, all };
  cachedRing = { current, previous, ring };
  return ring;
}

export const KEYED_HASH = /^hmac1\.([A-Za-z0-9_-]{8})\.([0-9a-f]{64})$/;

/** The keyed hash of an event: "hmac1.<keyId>.<HMAC-SHA256 hex>". The key id is inside the MAC too. */
export function keyedAuditHash(e: HashedAuditContent, key: AuditKey): string {
  const mac = createHmac("sha256", key.macKey).update(canonicalJson({ keyId: key.id, content: hashedContent(e) })).digest("hex");
  return `hmac1.${key.id}.${mac}`;
}

/** The hash a new event gets: keyed with the current key, which must be set. */
export function auditHash(e: HashedAuditContent, ring: AuditKeyring = auditKeyringFromEnv()): string {
  if (!ring.current) {
    throw new AuditKeyError("AUDIT_HMAC_KEY is not set: audit events cannot be written (npm start generates one into .data/audit-key; see docs/decisions/0004-audit-trail.md)");
  }
  return keyedAuditHash(e, ring.current);
}
