import { performance } from "node:perf_hooks";
import pg from "pg";
import Cursor from "pg-cursor";
import { csvFromCopyText, type CopyTextColumn } from "@/lib/csv";
import { bulkReadPool } from "@/lib/server/bulk-read";
import type { Tx } from "@/lib/server/prisma-client";
import { consentFilterSql, nowParams, sqlParams } from "./consent-sql";
import type { ConsentFilters } from "./schemas";

// The consent register as CSV lines (SPEC §7: a million records must export without the server
// holding them). One statement keeps what the list keeps (consentWhere's filters, in SQL) and
// writes every cell as text — state, effective expiry and withdrawal as the list works them out
// (lib/privacy/queries.ts rowState / effectiveExpiry), times as ISO 8601 in UTC — so the server
// only turns text into CSV. PostgreSQL reads it in one pass with hash joins, through a cursor,
// a page at a time. tests/privacy/export-sql.test.ts holds both sides to the list: the same
// consents for every filter, and every line equal to the one the list's row gives.

/** Lines per page. A page's rows (25 strings each) live from the fetch until their CSV has been
 * handed to the response; at 5,000 they outlived the young generation's collections, were promoted
 * and grew the old generation by hundreds of MB over a million-line export; at 1,000 they die young
 * (docs/performance.md, "Export under load"). */
export const CONSENT_EXPORT_PAGE_SIZE = 1_000;

export const CONSENT_EXPORT_HEADER = ["consent_id", "subject_id", "subject_name", "subject_kind", "phone_masked", "wecom_id_masked", "email_masked", "notice_key", "notice_version", "purposes", "categories", "separate_consents", "channel", "method", "evidence_ref", "collector", "granted_at", "expires_at", "state", "withdrawn_at", "withdrawal_channel", "minor", "guardian_name", "guardian_relation", "source"] as const;

/** A timestamptz as JavaScript's toISOString writes it. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** A timestamptz as a `timestamp` in UTC, which COPY writes in DateStyle ISO (`2026-11-26 06:26:54.72`)
 * and csvFromCopyText turns into what `iso` gives: to_char cost PostgreSQL about 0.5 s per column and
 * million lines, the cast a tenth of that. */
const utc = (column: string) => `(${column} AT TIME ZONE 'UTC')`;
/** A JSON array of codes joined by ";" (anything else: empty), as the list's rows join them. Up to
 * four elements (every register row has fewer) without a subquery: concat_ws skips the NULLs that
 * `->>` gives past the end (and for a JSON null), as array_to_string does — a third of PostgreSQL's
 * time for the export went into the three subqueries per line. */
export const codes = (column: string) =>
  `CASE WHEN jsonb_typeof(${column}) = 'array' AND jsonb_array_length(${column}) <= 4 THEN concat_ws(';', ${column}->>0, ${column}->>1, ${column}->>2, ${column}->>3)
        WHEN jsonb_typeof(${column}) = 'array' THEN array_to_string(ARRAY(SELECT jsonb_array_elements_text(${column})), ';') ELSE '' END`;

/** The download's columns as csvFromCopyText reads them: the times come as `utc` writes them. */
export const CONSENT_EXPORT_COPY_COLUMNS: readonly CopyTextColumn[] = CONSENT_EXPORT_HEADER.map((name) => (name === "granted_at" || name === "expires_at" || name === "withdrawn_at" ? "time" : "value"));

/** The statement; `times` "iso" writes the times as the CSV has them (the cursor's lines), "utc" as
 * `timestamp`s for csvFromCopyText (the download). */
export function consentExportStatement(filters: ConsentFilters, now: Date, times: "iso" | "utc" = "iso"): { text: string; values: unknown[] } {
  const time = times === "iso" ? iso : utc;
  const { values, param } = sqlParams();
  const { at, soon } = nowParams(now, param);
  // consentWhere (lib/privacy/queries.ts), clause by clause (consent-sql.ts, as the list's statement has them).
  const { where } = consentFilterSql(filters, now, param, { at, soon });
  // The cells, in CONSENT_EXPORT_HEADER's order. State as rowState: a consent not yet given is
  // neither withdrawn nor expired; past that, a withdrawal up to now, then the effective expiry
  // (the grant's or a renewal's up to now, the later) decide.
  const text = `
  SELECT c.id, c.subject_id, s.name, s.kind::text, s.phone_mask, s.wecom_id_mask, s.email_mask, n.notice_key, n.notice_version::text,
         ${codes("c.purposes")}, ${codes("c.categories")}, ${codes("c.separate_consents")},
         c.channel::text, c.method, c.evidence_ref, e.name, ${time("c.occurred_at")}, ${time("x.expiry")},
         CASE WHEN c.occurred_at <= ${at} AND f.withdrawn_by_now THEN 'withdrawn'
              WHEN c.occurred_at <= ${at} AND x.expiry <= ${at} THEN 'expired'
              WHEN x.expiry <= ${soon} THEN 'expiring'
              ELSE 'valid' END,
         ${time("f.withdrawn_at")}, f.withdrawal_channel,
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
  const { text, values } = consentExportStatement(filters, now);
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

/** Bytes of COPY text per chunk of the CSV download (about 600 lines): a chunk is turned into CSV in
 * under a millisecond, so a page view whose database answer has arrived waits at most that long
 * behind the export; and few enough chunks (1,600 for a million lines) that their per-chunk cost
 * on the way out (a turn of the event loop, the response's write, the client's read) stays small. */
export const CONSENT_EXPORT_CHUNK_BYTES = 128 * 1024;
/** Lines per second the download keeps to while the server has other work (page views): the issue's
 * 50,000 and the pace's own shortfall — beside page views it runs 2–10 % under its pace (at 53,000 it
 * ran at 47,700–47,900 on this session's machine, docs/performance.md "The export's cost per line").
 * Alone, it runs as fast as PostgreSQL and the client take it. */
export const CONSENT_EXPORT_SHARED_RATE = 60_000;

/** The statement with its values written in as literals (COPY takes no parameters): each value is
 * quoted by node-postgres's escapeLiteral, and the statement's own casts (`$n::type`) type it. */
export function inlineStatement({ text, values }: { text: string; values: unknown[] }): string {
  const literal = (value: unknown): string =>
    value instanceof Date ? pg.escapeLiteral(value.toISOString()) : Array.isArray(value) ? `ARRAY[${value.map(literal).join(",")}]` : pg.escapeLiteral(String(value));
  return text.replace(/\$(\d+)\b/g, (_, n: string) => `(${literal(values[Number(n) - 1])})`);
}

type CopyConnection = { query(text: string): void; stream: { pause(): void; resume(): void; destroy(): void } };
type Chunk = { text: Buffer; lines: number };

/**
 * `COPY (…) TO STDOUT` on a node-postgres client (a custom query, as pg-cursor is one): PostgreSQL
 * sends one message per row, in COPY's text format, which node-postgres hands over as bytes — no
 * string per cell. Each row is copied at once (node-postgres reuses its read buffer) into chunks of
 * `chunkBytes`, which queue here until taken; past QUEUED_BYTES the socket is paused, so PostgreSQL
 * waits (a full socket buffer) instead of the server's memory filling.
 */
class CopyOut {
  private static readonly QUEUED_BYTES = 1 << 20;
  private chunks: Chunk[] = [];
  private queued = 0;
  private block: Buffer | null = null;
  private at = 0;
  private lines = 0;
  private ended = false;
  private error: Error | null = null;
  private wake: (() => void) | null = null;
  private connection: CopyConnection | null = null;
  private paused = false;

  constructor(
    readonly text: string,
    private readonly chunkBytes: number,
  ) {}

  submit(connection: CopyConnection) {
    this.connection = connection;
    connection.query(this.text);
  }
  handleCopyData(message: { chunk: Buffer }) {
    const row = message.chunk;
    if (this.block && this.at + row.length > this.block.length) this.seal();
    this.block ??= Buffer.allocUnsafe(Math.max(this.chunkBytes, row.length));
    this.block.set(row, this.at); // not Buffer#copy: its checks cost as much as the copy, a million times
    this.at += row.length;
    this.lines++;
    if (this.at === this.block.length) this.seal();
    if (this.queued > CopyOut.QUEUED_BYTES && !this.paused) {
      this.paused = true;
      this.connection?.stream.pause();
    }
    if (this.chunks.length > 0) this.notify();
  }
  handleCommandComplete() {}
  handleReadyForQuery() {
    this.ended = true;
    this.notify();
  }
  handleError(error: Error) {
    this.error = error;
    this.notify();
  }
  handleEmptyQuery() {}

  private seal() {
    if (!this.block) return;
    this.chunks.push({ text: this.block.subarray(0, this.at), lines: this.lines });
    this.queued += this.at;
    this.block = null;
    this.at = 0;
    this.lines = 0;
  }

  private notify() {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The next full chunk of rows, waiting for one (the last may be shorter); null at the end. */
  async take(): Promise<Chunk | null> {
    while (this.chunks.length === 0 && !this.ended && !this.error) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.error) throw this.error;
    if (this.chunks.length === 0) this.seal();
    const chunk = this.chunks.shift();
    if (!chunk) return null;
    this.queued -= chunk.text.length;
    if (this.paused && this.queued < CopyOut.QUEUED_BYTES / 2) {
      this.paused = false;
      this.connection?.stream.resume();
    }
    return chunk;
  }

  /** A download cancelled midway: the connection is closed, and PostgreSQL stops at its next row. */
  abort() {
    this.connection?.stream.destroy();
  }
}

/**
 * Keeps the export to `rate` lines per second while the event loop has others' work to do: every
 * 100 ms, the loop's busy time (performance.eventLoopUtilization) less the export's own is the
 * others' share; above a quarter, the export paces itself for the next second. Alone, it is not
 * held back.
 */
function giveWay(rate: number) {
  let window = performance.eventLoopUtilization();
  let windowStart = performance.now();
  let own = 0;
  let sharedUntil = 0;
  let due = 0;
  return {
    /** Milliseconds of the export's own work on the event loop. */
    spent(ms: number) {
      own += ms;
    },
    /** After `lines` were handed out: waits as long as the pace asks. */
    async after(lines: number) {
      const now = performance.now();
      if (now - windowStart >= 100) {
        const { active, idle } = performance.eventLoopUtilization(window);
        if (active - own > (active + idle) / 4) sharedUntil = now + 1_000;
        window = performance.eventLoopUtilization();
        windowStart = now;
        own = 0;
      }
      if (now >= sharedUntil) {
        due = now;
        return;
      }
      due = Math.max(due, now - 50) + (lines / rate) * 1_000;
      if (due > now) await new Promise((resolve) => setTimeout(resolve, due - now));
    },
  };
}

/**
 * The register as CSV lines, `chunkBytes` of COPY text at a time (bytes, as csvRow writes consentExportLines's
 * lines: tests/privacy/export-sql.test.ts compares them byte for byte), through COPY on a
 * connection of the bulk-read pool held for the export. Memory holds about a megabyte of rows
 * whatever the register's size. A download cancelled midway closes that connection.
 */
export async function* consentExportCsv(tx: Tx, filters: ConsentFilters, now = new Date(), chunkBytes = CONSENT_EXPORT_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  const text = inlineStatement(consentExportStatement(filters, now, "utc"));
  const client = await bulkReadPool().connect();
  // The times' text needs DateStyle ISO, set for this statement's own transaction only.
  const copy = new CopyOut(`SET LOCAL datestyle = 'ISO'; COPY (${text}) TO STDOUT`, chunkBytes);
  client.query(copy as unknown as pg.Submittable);
  const pace = giveWay(CONSENT_EXPORT_SHARED_RATE);
  let finished = false;
  try {
    for (;;) {
      const chunk = await copy.take();
      if (!chunk) break;
      const t0 = performance.now();
      const csv = csvFromCopyText(chunk.text, CONSENT_EXPORT_COPY_COLUMNS);
      pace.spent(performance.now() - t0);
      yield csv;
      await pace.after(chunk.lines);
    }
    finished = true;
  } finally {
    if (!finished) copy.abort();
    // A connection whose COPY did not finish is not handed out again.
    client.release(!finished);
  }
}
