import { createHash } from "node:crypto";

// The hash chain of the audit trail: each event's hash covers its content and the previous
// event's hash, so removing, reordering or altering any event breaks every hash after it.
// Kept free of "server-only" so `npm run audit:verify` can use it.

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

export function auditHash(e: HashedAuditContent): string {
  const content = canonicalJson({
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
  });
  return createHash("sha256").update(content).digest("hex");
}
