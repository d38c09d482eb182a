// The consent export's reading and CSV writing, on a worker thread of its own (docs/performance.md,
// "The export on a thread of its own", fifteenth session). On the server's thread they cost 2.9–3.2 ms
// of CPU per 1,000 lines: beside four people's page views, a sixth of the one thread that renders
// every page. Here they run beside it; the server's thread only passes the finished chunks on.
//
// Started by consentExportCsv (lib/privacy/consent-export.ts), with workerData:
//   url        the database to read (the app's, as the bulk-read pool connects)
//   statement  `COPY (…) TO STDOUT`, values already written in (COPY takes no parameters)
//   chunkBytes bytes of COPY text per chunk of CSV
//   columns    which cells are times (csvFromCopyText's `columns`)
//   inFlight   chunks sent and not yet taken, at most; past that PostgreSQL waits (a paused socket)
// It posts { chunk: ArrayBuffer (transferred), length, lines } per chunk, then { end: true }, or
// { error: { message, code } }. The server's thread posts "taken" for each chunk it hands on, and
// ends the thread (terminate) when the download is done or cancelled: the connection goes with it,
// and PostgreSQL stops at its next row.
//
// Plain JavaScript, run by Node as it is: the bundler never sees it.

import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import pg from "pg";
import { csvFromCopyText } from "../copy-csv.mjs";

const { url, statement, chunkBytes, columns, inFlight, options, applicationName, nice } = workerData;
const port = parentPort;
if (!port) throw new Error("consent-export-worker runs as a worker thread");

// This thread alone gives way to every other on the machine (Linux: a thread's id set with
// setpriority changes that thread only): it runs on what the server's own thread and PostgreSQL
// leave, and PostgreSQL's side of the export waits for it. Elsewhere, or refused, it runs as it is.
if (nice) {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (tid > 0) setPriority(tid, nice);
  } catch {
    // not Linux, or not allowed: the export runs at the server's priority
  }
}

/** Chunks posted and not yet taken by the server's thread. */
let unacknowledged = 0;
let paused = false;
/** @type {import("pg").Client | null} */
let client = null;

/**
 * `COPY … TO STDOUT` as a custom query on a node-postgres client (as pg-cursor is one): PostgreSQL
 * sends one message per row, in COPY's text format, which node-postgres hands over as bytes — no
 * string per cell. Each row is copied at once (node-postgres reuses its read buffer) into a block
 * of `chunkBytes`; a full block becomes CSV and goes to the server's thread.
 */
class CopyOut {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
    /** @type {Buffer | null} */
    this.block = null;
    this.at = 0;
    this.lines = 0;
    /** @type {{ stream: { pause(): void; resume(): void } } | null} */
    this.connection = null;
    this.failed = false;
  }
  /** @param {{ query(text: string): void; stream: { pause(): void; resume(): void } }} connection */
  submit(connection) {
    this.connection = connection;
    connection.query(this.text);
  }
  /** @param {{ chunk: Buffer }} message */
  handleCopyData(message) {
    const row = message.chunk;
    if (this.block && this.at + row.length > this.block.length) this.send();
    // One block for the whole export (csvFromCopyText writes the CSV into a buffer of its own); a
    // bigger one only for a row longer than a chunk.
    if (!this.block || row.length > this.block.length) this.block = Buffer.allocUnsafeSlow(Math.max(chunkBytes, row.length));
    this.block.set(row, this.at); // not Buffer#copy: its checks cost as much as the copy, a million times
    this.at += row.length;
    this.lines++;
    if (this.at === this.block.length) this.send();
  }
  handleCommandComplete() {}
  handleReadyForQuery() {
    if (this.failed) return;
    this.send();
    // The connection is closed as a client should (PostgreSQL logs no lost connection), then the end is told.
    setImmediate(() => void client?.end().catch(() => undefined).then(() => port.postMessage({ end: true })));
  }
  /** @param {Error & { code?: string }} error */
  handleError(error) {
    this.failed = true;
    port.postMessage({ error: { message: error.message, code: error.code } });
  }
  handleEmptyQuery() {}

  /** The rows so far, as CSV, to the server's thread (their ArrayBuffer moved, not copied). */
  send() {
    if (!this.block || this.at === 0) return;
    const csv = csvFromCopyText(this.block.subarray(0, this.at), columns);
    port.postMessage({ chunk: csv.buffer, length: csv.length, lines: this.lines }, [csv.buffer]);
    this.at = 0;
    this.lines = 0;
    if (++unacknowledged >= inFlight && !paused) {
      paused = true;
      this.connection?.stream.pause();
    }
  }
}

const copy = new CopyOut(statement);

port.on("message", (message) => {
  if (message === "taken") {
    unacknowledged--;
    if (paused && unacknowledged < inFlight) {
      paused = false;
      copy.connection?.stream.resume();
    }
  }
});

try {
  client = new pg.Client({ connectionString: url, application_name: applicationName, options });
  // An error after the COPY's own (the server gone): reported once, the thread is ended by the server's thread.
  client.on("error", (error) => port.postMessage({ error: { message: error.message, code: /** @type {{ code?: string }} */ (error).code } }));
  await client.connect();
  client.query(/** @type {import("pg").Submittable} */ (/** @type {unknown} */ (copy)));
} catch (error) {
  const e = /** @type {Error & { code?: string }} */ (error);
  port.postMessage({ error: { message: e.message, code: e.code } });
}
