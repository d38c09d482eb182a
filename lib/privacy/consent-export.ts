import Cursor from "pg-cursor";
import { escapeLike } from "@/lib/search";
import { bulkReadPool } from "@/lib/server/bulk-read";
import type { Tx } from "@/lib/server/prisma-client";
import { guessField, identifierHashes } from "./identifiers";
import { collectorIds } from "./queries";
import { EXPIRING_DAYS, type ConsentFilters } from "./schemas";

// The consent register as CSV lines (SPEC §7: a million records must export without the server
// holding them). One statement keeps what the list keeps (consentWhere's filters, in SQL) and
// writes every cell as text — state, effective expiry and withdrawal as the list works them out
// (lib/privacy/queries.ts rowState / effectiveExpiry), times as ISO 8601 in UTC — so the server
// only turns text into CSV. PostgreSQL reads it in one pass with hash joins, through a cursor,
// a page at a time. tests/privacy/export-sql.test.ts holds both sides to the list: the same
// consents for every filter, and every line equal to the one the list's row gives.

const DAY = 86_400_000;
/** Lines per page. A page's rows (25 strings each) live from the fetch until their CSV has been
 * handed to the response; at 5,000 they outlived the young generation's collections, were promoted
 * and grew the old generation by hundreds of MB over a million-line export; at 1,000 they die young
 * (docs/performance.md, "Export under load"). */
export const CONSENT_EXPORT_PAGE_SIZE = 1_000;

export const CONSENT_EXPORT_HEADER = ["consent_id", "subject_id", "subject_name", "subject_kind", "phone_masked", "wecom_id_masked", "email_masked", "notice_key", "notice_version", "purposes", "categories", "separate_consents", "channel", "method", "evidence_ref", "collector", "granted_at", "expires_at", "state", "withdrawn_at", "withdrawal_channel", "minor", "guardian_name", "guardian_relation", "source"] as const;

/** A timestamptz as JavaScript's toISOString writes it. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** A JSON array of codes joined by ";" (anything else: empty), as the list's rows join them. */
const codes = (column: string) => `CASE WHEN jsonb_typeof(${column}) = 'array' THEN array_to_string(ARRAY(SELECT jsonb_array_elements_text(${column})), ';') ELSE '' END`;

export async function consentExportStatement(tx: Tx, filters: ConsentFilters, now: Date): Promise<{ text: string; values: unknown[] }> {
  const values: unknown[] = [];
  // Every parameter typed: a statement read through a cursor gets no type inference for them.
  const v = (value: unknown, type: "text" | "text[]" | "timestamptz" | "jsonb" = value instanceof Date ? "timestamptz" : Array.isArray(value) ? "text[]" : "text") => `$${values.push(value)}::${type}`;
  const at = v(now);
  const soon = v(new Date(now.getTime() + EXPIRING_DAYS * DAY));
  const follow = (kind: "WITHDRAW" | "RENEW", extra = "") => `EXISTS (SELECT 1 FROM consent_events w WHERE w.consent_id = c.id AND w.kind = '${kind}'${extra})`;
  const notWithdrawn = `NOT ${follow("WITHDRAW")}`;
  const where = ["c.kind = 'GRANT'"];
  // consentWhere (lib/privacy/queries.ts), clause by clause.
  if (filters.state === "withdrawn") where.push(follow("WITHDRAW"));
  if (filters.state === "valid") where.push(notWithdrawn, `c.occurred_at <= ${at}`, `(c.expires_at > ${at} OR ${follow("RENEW", ` AND w.expires_at > ${at}`)})`);
  if (filters.state === "expired") where.push(notWithdrawn, `c.expires_at <= ${at}`, `NOT ${follow("RENEW", ` AND w.expires_at > ${at}`)}`);
  if (filters.state === "expiring")
    where.push(
      notWithdrawn,
      `((c.expires_at > ${at} AND c.expires_at <= ${soon}) OR ${follow("RENEW", ` AND w.expires_at > ${at} AND w.expires_at <= ${soon}`)})`,
      `c.expires_at <= ${soon}`,
      `NOT ${follow("RENEW", ` AND w.expires_at > ${soon}`)}`,
    );
  if (filters.withdrawnDays) where.push(follow("WITHDRAW", ` AND w.occurred_at > ${v(new Date(now.getTime() - filters.withdrawnDays * DAY))} AND w.occurred_at <= ${at}`));
  if (filters.department) {
    where.push(`c.collected_by_id IN (SELECT e.id FROM employees e JOIN departments d ON d.id = e.department_id
                 JOIN departments top ON top.id = ${v(filters.department)} AND starts_with(d.path, top.path))`);
  }
  if (filters.channel) where.push(`c.channel::text = ${v(filters.channel)}`);
  if (filters.purpose) where.push(`c.purposes @> ${v(JSON.stringify([filters.purpose]), "jsonb")}`);
  if (filters.subject) where.push(`s.name ILIKE ${v(`%${escapeLike(filters.subject)}%`)}`);
  if (filters.identifier) {
    const field = guessField(filters.identifier);
    const column = field === "phone" ? "s.phone_hash" : field === "email" ? "s.email_hash" : "s.wecom_id_hash";
    where.push(`${column} = ANY(${v(identifierHashes(field, filters.identifier))})`);
  }
  if (filters.collector) where.push(`c.collected_by_id = ANY(${v(await collectorIds(tx, filters.collector))})`);
  // The cells, in CONSENT_EXPORT_HEADER's order. State as rowState: a consent not yet given is
  // neither withdrawn nor expired; past that, a withdrawal up to now, then the effective expiry
  // (the grant's or a renewal's up to now, the later) decide.
  const text = `
  SELECT c.id, c.subject_id, s.name, s.kind::text, s.phone_mask, s.wecom_id_mask, s.email_mask, n.notice_key, n.notice_version::text,
         ${codes("c.purposes")}, ${codes("c.categories")}, ${codes("c.separate_consents")},
         c.channel::text, c.method, c.evidence_ref, e.name, ${iso("c.occurred_at")}, ${iso("x.expiry")},
         CASE WHEN c.occurred_at <= ${at} AND f.withdrawn_by_now THEN 'withdrawn'
              WHEN c.occurred_at <= ${at} AND x.expiry <= ${at} THEN 'expired'
              WHEN x.expiry <= ${soon} THEN 'expiring'
              ELSE 'valid' END,
         ${iso("f.withdrawn_at")}, f.withdrawal_channel,
         CASE WHEN c.subject_minor THEN 'yes' ELSE 'no' END, c.guardian_name, c.guardian_relation, c.source
    FROM consent_events c
    JOIN privacy_subjects s ON s.id = c.subject_id
    LEFT JOIN privacy_notices n ON n.id = c.notice_id
    LEFT JOIN employees e ON e.id = c.collected_by_id
    LEFT JOIN (SELECT consent_id,
                      max(expires_at) FILTER (WHERE kind = 'RENEW' AND occurred_at <= ${at}) AS renewed_to,
                      bool_or(kind = 'WITHDRAW' AND occurred_at <= ${at}) AS withdrawn_by_now,
                      (array_agg(occurred_at ORDER BY occurred_at) FILTER (WHERE kind = 'WITHDRAW'))[1] AS withdrawn_at,
                      (array_agg(channel::text ORDER BY occurred_at) FILTER (WHERE kind = 'WITHDRAW'))[1] AS withdrawal_channel
                 FROM consent_events WHERE consent_id IS NOT NULL GROUP BY consent_id) f ON f.consent_id = c.id
    CROSS JOIN LATERAL (SELECT GREATEST(c.expires_at, f.renewed_to) AS expiry) x
   WHERE ${where.join("\n     AND ")}`;
  return { text, values };
}

/** Every cell as PostgreSQL wrote it: no value is parsed (a million lines of dates and JSON cost
 * more than the rest of the export). */
const asText = { getTypeParser: () => (value: string) => value };

/**
 * The register's lines for these filters, `pageSize` at a time (arrays of cells in the header's
 * order, in the register's storage order: sorting a million lines would cost PostgreSQL a
 * temporary file before the first one). Read through a cursor on a connection of the bulk-read
 * pool, held for the export: at most BULK_POOL_MAX exports run at once, more wait their turn.
 * Memory holds two pages whatever the register's size: the next is fetched while the caller
 * writes out the current one. A download cancelled midway closes the cursor and returns the
 * connection.
 */
export async function* consentExportLines(tx: Tx, filters: ConsentFilters, now = new Date(), pageSize = CONSENT_EXPORT_PAGE_SIZE): AsyncGenerator<(string | null)[][]> {
  const { text, values } = await consentExportStatement(tx, filters, now);
  const client = await bulkReadPool().connect();
  const cursor = client.query(new Cursor<(string | null)[]>(text, values, { rowMode: "array", types: asText }));
  let next: Promise<(string | null)[][]> = cursor.read(pageSize);
  let failed = false;
  try {
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      next = rows.length < pageSize ? Promise.resolve([]) : cursor.read(pageSize);
      next.catch(() => undefined); // awaited on the next turn; a download cancelled first must not leave it unhandled
      yield rows;
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await next.catch(() => undefined);
    await cursor.close().catch(() => (failed = true));
    // A connection whose cursor failed is not handed out again.
    client.release(failed);
  }
}
