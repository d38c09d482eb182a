// Response compression for the production server (scripts/serve.mjs), in place of Next.js's own
// (`compress: false` in next.config.ts). The same middleware Next.js uses (its compiled copy of
// `compression`), so every rule it followed stays as it was: gzip (or deflate) when the request
// accepts it, identity otherwise; `Vary: Accept-Encoding`; nothing for HEAD, for a body under 1 KB,
// for a type that is not compressible (images, fonts, archives: already compressed), for a response
// that is already encoded or says `Cache-Control: no-transform`; streamed — each chunk Next.js
// flushes (a streamed page, a CSV export) is flushed through the compressor at once. Two things
// differ (docs/performance.md, "The floor"):
//  - the level: Next.js compresses at zlib's default, 6; GZIP_LEVEL costs less CPU;
//  - the flush: the middleware flushes with zlib's default for flush(), Z_FULL_FLUSH, which throws
//    away the compressor's history at every chunk Next.js flushes — a client navigation's RSC
//    payload arrives in 30–80 chunks and compressed to a third of its size instead of a tenth.
//    Z_SYNC_FLUSH sends the same bytes as promptly and keeps the history; and the flushes of the
//    chunks Next.js writes in one turn of the event loop are one flush, at the end of that turn.
// And a third: a response's body is held and compressed as one piece when it is complete soon. A
// portal page is written in a few bursts (React renders in turns of the event loop) though nothing
// on it streams in later; each write and each flush was a job of its own on libuv's thread pool
// (a wake-up there and back: futexes, an eventfd, epoll), which cost more than the compression
// (the dashboard's document: 8 bursts, 2.96 ms of CPU, against 1.27 ms as one piece; docs/
// performance.md, "Compression in one piece", fourteenth session). So the body is held until the
// response ends — one job — unless it passes HOLD_BYTES or is still open HOLD_MS after its first
// write (a CSV export, a page that really streams): then what is held goes out and the rest is
// streamed, flushed per burst, as before.
// WEGOVERN_GZIP_LEVEL sets it (1–9), "off" turns compression off (behind a proxy that compresses).
import { createRequire } from "node:module";
import { Duplex } from "node:stream";
import { constants } from "node:zlib";

const require = createRequire(import.meta.url);

export const GZIP_LEVEL = 1;
/** A body larger than this is streamed from there on, not held (memory: at most this per response). */
export const HOLD_BYTES = 1024 * 1024;
/** A response still open this long after its first write is streamed from there on. Long enough
 * for a page rendered between seven others' on one core (p95 at 8 users: ~150 ms). */
export const HOLD_MS = 250;

const noop = () => {};

/** The level from WEGOVERN_GZIP_LEVEL: a number 1–9, GZIP_LEVEL when unset, null for "off". */
export function gzipLevel(setting = process.env.WEGOVERN_GZIP_LEVEL) {
  const value = (setting ?? "").trim().toLowerCase();
  if (value === "") return GZIP_LEVEL;
  if (value === "off" || value === "0") return null;
  if (!/^[1-9]$/.test(value)) throw new Error(`WEGOVERN_GZIP_LEVEL: expected 1–9 or "off", got "${setting}"`);
  return Number(value);
}

/**
 * A function that sets up compression of one response before the request is handed to Next.js
 * (as Next.js's own router server did), or null when compression is off. `holdBytes` and
 * `holdMs` (HOLD_BYTES, HOLD_MS) bound how long a body is held to be compressed in one piece.
 */
export function createCompression(level = gzipLevel(), { holdBytes = HOLD_BYTES, holdMs = HOLD_MS } = {}) {
  if (level === null) return null;
  const compression = require("next/dist/compiled/compression");
  const { releaseCompressionStream } = require("next/dist/server/lib/release-compression-stream");
  const middleware = compression({ level });
  return function compress(req, res) {
    middleware(req, res, () => {});
    const flush = res.flush;
    let stream;
    let pending = false;
    const syncFlush = () => {
      pending = false;
      if (stream && !stream.destroyed && !stream.writableEnded) stream.flush(constants.Z_SYNC_FLUSH);
    };
    res.flush = function coalescedFlush() {
      // Once the headers are out, the middleware's `res.on` hands a listener to its zlib stream
      // and returns that stream (as Next.js's releaseCompressionStream relies on). Before that, or
      // when this response is not compressed, the middleware's own flush.
      if (stream === undefined && res.headersSent) {
        const found = res.on("drain", noop);
        stream = found instanceof Duplex && found !== res ? found : null;
        (stream ?? res).off("drain", noop);
      }
      if (!stream) return flush.call(res);
      // Next.js flushes after every chunk it writes, and writes a payload's chunks in bursts within
      // one turn of the event loop: one flush once the burst is written sends the same bytes as
      // promptly, for one flush's cost instead of one per chunk.
      if (!pending) {
        pending = true;
        setImmediate(syncFlush);
      }
    };
    holdBody(res, holdBytes, holdMs);
    // A client that goes away mid-response leaves the zlib stream unended (as in Next.js).
    res.once("close", () => {
      if (!res.writableFinished) releaseCompressionStream(res);
    });
  };
}

const toBuffer = (chunk, encoding) => (typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8") : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));

/**
 * Holds the body written to `res` (through the compression middleware's write, end and flush,
 * set up before) until the response ends, HOLD_BYTES are held or HOLD_MS have passed since the
 * first write; then writes what is held as one chunk (and flushes if a flush was asked for
 * meanwhile) and puts the middleware's own methods back. A response that ends while held reaches
 * the middleware as one `end(body)`: the compressor's one job, or, under the middleware's 1 KB
 * threshold, no compression. Writes while held return true (nothing waits for a drain: at most
 * HOLD_BYTES are held); their callbacks run on the next tick.
 */
function holdBody(res, holdBytes, holdMs) {
  const write = res.write;
  const end = res.end;
  const flush = res.flush;
  let held = [];
  let bytes = 0;
  let flushAsked = false;
  let timer;
  const restore = () => {
    clearTimeout(timer);
    res.write = write;
    res.end = end;
    res.flush = flush;
  };
  const hold = (chunk, encoding) => {
    if (chunk == null || typeof chunk === "function" || chunk.length === 0) return;
    const buffer = toBuffer(chunk, encoding);
    held.push(buffer);
    bytes += buffer.length;
  };
  const body = () => (held.length === 1 ? held[0] : Buffer.concat(held, bytes));
  const release = () => {
    if (res.write !== heldWrite) return;
    restore();
    if (res.destroyed) return;
    if (held.length > 0) write.call(res, body());
    held = [];
    if (flushAsked) res.flush();
  };
  function heldWrite(chunk, encoding, callback) {
    const cb = typeof encoding === "function" ? encoding : callback;
    hold(chunk, encoding);
    if (bytes >= holdBytes) release();
    else if (timer === undefined) timer = setTimeout(release, holdMs);
    if (cb) process.nextTick(cb);
    return true;
  }
  res.write = heldWrite;
  res.end = function heldEnd(chunk, encoding, callback) {
    if (res.write !== heldWrite) return end.call(res, chunk, encoding, callback);
    const cb = typeof chunk === "function" ? chunk : typeof encoding === "function" ? encoding : callback;
    hold(chunk, encoding);
    restore();
    const whole = held.length > 0 ? body() : undefined;
    held = [];
    return whole === undefined ? end.call(res, cb) : end.call(res, whole, cb);
  };
  res.flush = function heldFlush() {
    flushAsked = true;
  };
  res.once("close", () => {
    clearTimeout(timer);
    held = [];
  });
}
