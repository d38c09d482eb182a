import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import pg from "pg";
import Cursor from "pg-cursor";
import type { CopyTextColumn } from "@/lib/csv";
import { BULK_SESSION_OPTIONS, bulkReadPool, currentDatabaseUrl } from "@/lib/server/bulk-read";
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

/** A number from the environment, or `fallback` when unset; anything else stops the server with its name. */
function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}; it is "${raw}"`);
  return n;
}

/** Bytes of COPY text per chunk of the CSV download (about 600 lines): few enough chunks (1,600 for a
 * million lines) that their cost on the server's thread (a message from the worker, the response's
 * write, the client's read) stays small, and small enough that the four the worker sends ahead
 * hold about half a megabyte. */
export const CONSENT_EXPORT_CHUNK_BYTES = 128 * 1024;
/** Lines per second the download keeps to while the server has other work (page views): the issue's
 * 50,000 and the pace's own shortfall beside page views (at 55,000 it ran at 53,200–53,500, at 52,000
 * at 50,500: docs/performance.md, "The export on a thread of its own"). Alone, it runs as fast as
 * PostgreSQL and the client take it. WEGOVERN_EXPORT_RATE sets another. */
export const CONSENT_EXPORT_SHARED_RATE = envNumber("WEGOVERN_EXPORT_RATE", 55_000, 1_000, 10_000_000);

/** The statement with its values written in as literals (COPY takes no parameters): each value is
 * quoted by node-postgres's escapeLiteral, and the statement's own casts (`$n::type`) type it. */
export function inlineStatement({ text, values }: { text: string; values: unknown[] }): string {
  const literal = (value: unknown): string =>
    value instanceof Date ? pg.escapeLiteral(value.toISOString()) : Array.isArray(value) ? `ARRAY[${value.map(literal).join(",")}]` : pg.escapeLiteral(String(value));
  return text.replace(/\$(\d+)\b/g, (_, n: string) => `(${literal(values[Number(n) - 1])})`);
}

/**
 * Keeps the export to `rate` lines per second while the event loop has others' work to do: every
 * 100 ms, the loop's busy time (performance.eventLoopUtilization) is measured; above a quarter, the
 * export paces itself for the next second. Alone, it is not held back. (The export's own share of
 * the loop is now only the chunks' passing on: its reading and CSV writing are on its worker.)
 */
function giveWay(rate: number) {
  let window = performance.eventLoopUtilization();
  let windowStart = performance.now();
  let sharedUntil = 0;
  let due = 0;
  return {
    /** After `lines` were handed out: waits as long as the pace asks. */
    async after(lines: number) {
      const now = performance.now();
      if (now - windowStart >= 100) {
        const { active, idle } = performance.eventLoopUtilization(window);
        if (active > (active + idle) / 4) sharedUntil = now + 1_000;
        window = performance.eventLoopUtilization();
        windowStart = now;
      }
      if (now >= sharedUntil) {
        due = now;
        return;
      }
      due = Math.max(due, now - 250) + (lines / rate) * 1_000;
      if (due > now) await new Promise((resolve) => setTimeout(resolve, due - now));
    },
  };
}

/** How many exports run at once in this process (BULK_POOL_MAX, as many as the bulk-read pool has
 * connections; the embedded database has room for them, scripts/local-env.ts): more wait their turn. */
const exportSlots = (() => {
  let running = 0;
  const waiting: Array<() => void> = [];
  const max = () => Math.max(1, Number(process.env.BULK_POOL_MAX ?? 2));
  return {
    async take(): Promise<void> {
      if (running < max()) {
        running++;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    give() {
      const next = waiting.shift();
      if (next) next();
      else running--;
    },
  };
})();

/** The worker's file, run by Node as it is (not bundled): from the project's directory, where the
 * server, the worker and the tests all run. */
const EXPORT_WORKER = path.join(process.cwd(), "lib", "privacy", "consent-export-worker.mjs");
/** The export's session (its worker's own connection): as the bulk reads', and room for its hash of
 * the register's subjects in memory. With the server's default work_mem (4 MB) that hash went out in
 * 16 batches at scale 1 (600,000 subjects), writing and reading back 204 MB of temporary files on
 * every export; with 64 MB it is one batch of 49 MB, held only while the export runs. */
const EXPORT_SESSION_OPTIONS = `${BULK_SESSION_OPTIONS} -c work_mem=64MB`;
/** The worker thread's niceness (Linux, 0–19; WEGOVERN_EXPORT_NICE, 0 for none): at 19 it runs on
 * what the pages' thread and PostgreSQL leave of the machine, and PostgreSQL's side of the export
 * waits for it. */
const EXPORT_NICE = envNumber("WEGOVERN_EXPORT_NICE", 19, 0, 19);
/** Chunks (about 128 KB of CSV each) the worker may have sent ahead of the response. */
const IN_FLIGHT = 4;

type WorkerMessage = { chunk: ArrayBuffer; length: number; lines: number } | { end: true } | { error: { message: string; code?: string } };

/**
 * The register as CSV lines, `chunkBytes` of COPY text at a time (bytes, as csvRow writes
 * consentExportLines's lines: tests/privacy/export-sql.test.ts compares them byte for byte). A worker
 * thread (consent-export-worker.mjs) runs the COPY on a connection of its own and writes the CSV;
 * this thread only hands its chunks on, so the pages others are opening meanwhile do not wait
 * behind a million lines. Memory holds about IN_FLIGHT chunks whatever the register's size: past
 * them the worker stops reading until the response has taken one. (Chunks already written wait for
 * this thread's next garbage collection; with nothing else running that comes when about 64 MB of
 * them have built up: +57–59 MB for an export alone, +0–20 MB beside page views, whose own
 * allocations collect them sooner.) A download cancelled midway ends the worker, and its
 * connection with it.
 */
export async function* consentExportCsv(filters: ConsentFilters, now = new Date(), chunkBytes = CONSENT_EXPORT_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  const url = currentDatabaseUrl();
  if (!url) throw new Error("DATABASE_URL is not set");
  const text = inlineStatement(consentExportStatement(filters, now, "utc"));
  await exportSlots.take();
  let worker: Worker | null = null;
  try {
    // The times' text needs DateStyle ISO, set for this statement's own transaction only.
    worker = new Worker(EXPORT_WORKER, {
      workerData: { url, statement: `SET LOCAL datestyle = 'ISO'; COPY (${text}) TO STDOUT`, chunkBytes, columns: CONSENT_EXPORT_COPY_COLUMNS, inFlight: IN_FLIGHT, options: EXPORT_SESSION_OPTIONS, applicationName: "wegovern-export", nice: EXPORT_NICE },
    });
    const queue: WorkerMessage[] = [];
    let failure: Error | null = null;
    let wake: (() => void) | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    worker.on("message", (message: WorkerMessage) => {
      queue.push(message);
      notify();
    });
    worker.on("error", (error) => {
      failure ??= error;
      notify();
    });
    worker.on("exit", (code) => {
      failure ??= new Error(`the export's worker stopped (exit code ${code})`);
      notify();
    });
    const pace = giveWay(CONSENT_EXPORT_SHARED_RATE);
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift();
      if (!message) throw failure;
      if ("error" in message) throw Object.assign(new Error(message.error.message), { code: message.error.code });
      if ("end" in message) break;
      worker.postMessage("taken");
      yield new Uint8Array(message.chunk, 0, message.length);
      await pace.after(message.lines);
    }
  } finally {
    worker?.removeAllListeners("exit");
    await worker?.terminate();
    exportSlots.give();
  }
}
