import { canonicalJson, toAuditJson } from "@/lib/server/audit-hash";

// What an audit event changed, field by field, for the list's compact view. Values are JSON
// text (rendered by React, which escapes it); equality is the hash's own notion (canonical JSON),
// so key order in jsonb never shows up as a change.

export type FieldChange = {
  /** The top-level key, or null when the values are not objects (compared whole). */
  field: string | null;
  /** JSON text, or undefined when the key is absent on that side. */
  before: string | undefined;
  after: string | undefined;
};

export const DIFF_VALUE_MAX = 1_000;

type Json = ReturnType<typeof toAuditJson>;
type JsonObject = { [key: string]: Json };

function isObject(value: Json): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function render(value: Json | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value);
  return json.length > max ? `${json.slice(0, max)}…` : json;
}

export function auditDiff(beforeValue: unknown, afterValue: unknown, max = DIFF_VALUE_MAX): FieldChange[] {
  const before = toAuditJson(beforeValue);
  const after = toAuditJson(afterValue);
  if (before === null && after === null) return [];
  if ((before === null || isObject(before)) && (after === null || isObject(after))) {
    const b: JsonObject = before ?? {};
    const a: JsonObject = after ?? {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
    // Own keys only: "constructor" or "toString" in a record are fields like any other.
    const has = (o: JsonObject, k: string) => Object.hasOwn(o, k);
    return keys
      .filter((k) => !(has(b, k) && has(a, k) && canonicalJson(b[k]) === canonicalJson(a[k])))
      .map((k) => ({ field: k, before: has(b, k) ? render(b[k], max) : undefined, after: has(a, k) ? render(a[k], max) : undefined }));
  }
  if (canonicalJson(before) === canonicalJson(after)) return [];
  return [{ field: null, before: before === null ? undefined : render(before, max), after: after === null ? undefined : render(after, max) }];
}

/**
 * The fields an event changed, by name (null: the value as a whole), in auditDiff's order; null
 * when it has neither a before nor an after. What the trail's folded summary shows: the page
 * reads it from PostgreSQL (lib/audit/queries.ts auditTrailView, which sends the names, not the
 * values); this is the same computed from the values (tests/audit/trail-view.test.ts).
 */
export function auditChangedFields(beforeValue: unknown, afterValue: unknown): (string | null)[] | null {
  if ((beforeValue === null || beforeValue === undefined) && (afterValue === null || afterValue === undefined)) return null;
  return auditDiff(beforeValue, afterValue, 0).map((c) => c.field);
}
