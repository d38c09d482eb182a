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
// WEGOVERN_GZIP_LEVEL sets it (1–9), "off" turns compression off (behind a proxy that compresses).
import { createRequire } from "node:module";
import { Duplex } from "node:stream";
import { constants } from "node:zlib";

const require = createRequire(import.meta.url);

export const GZIP_LEVEL = 1;

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
 * (as Next.js's own router server did), or null when compression is off.
 */
export function createCompression(level = gzipLevel()) {
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
    // A client that goes away mid-response leaves the zlib stream unended (as in Next.js).
    res.once("close", () => {
      if (!res.writableFinished) releaseCompressionStream(res);
    });
  };
}
