import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCompression, GZIP_LEVEL, gzipLevel } from "./compress.mjs";

// The production server's compression (scripts/compress.mjs, run by scripts/serve.mjs in front of
// Next.js) over real HTTP, with a stand-in for Next.js that answers as it does: a page in one piece,
// a stream flushed chunk by chunk (a streamed page, a CSV export), a tiny body, an image, HEAD, 304.

/** A chunk that does not compress by itself (random hex), sent 20 times, flushed each time. */
const CHUNK = randomBytes(1000).toString("hex");
const SYNC_MARK = Buffer.from([0, 0, 0xff, 0xff]);
const PAGE = `<!DOCTYPE html><html><body>${"<li class=\"flex items-center\">一行 a row</li>".repeat(400)}</body></html>`;
let server: Server;
let base: string;
/** The same app behind compression that holds a body for a minute or 64 KB, whichever first: what
 * is held and released does not depend on how fast this machine runs. */
let holding: Server;
let heldBase: string;
const HELD_BYTES = 64 * 1024;
/** Resolved by the client once it has read part of /large: the server ends the response only then. */
let largePartRead: () => void = () => {};
/** Resolved by the client once it has read the stream's first chunk: the server writes the second only then. */
let firstChunkRead: () => void = () => {};
/** Resolved by the client once the burst's flush has reached it. */
let burstSeen: () => void = () => {};

function app(req: IncomingMessage, res: ServerResponse & { flush?: () => void }) {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/page") {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.end(PAGE);
  } else if (path === "/stream") {
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.write(`first,${"x".repeat(2000)}\n`);
    res.flush?.();
    new Promise<void>((resolve) => (firstChunkRead = resolve)).then(() => res.end(`second,${"y".repeat(2000)}\n`));
  } else if (path === "/flushed") {
    // 20 chunks, each written and flushed in a turn of the event loop of its own.
    res.setHeader("Content-Type", "text/x-component");
    void (async () => {
      for (let i = 0; i < 20; i++) {
        res.write(CHUNK);
        res.flush?.();
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end();
    })();
  } else if (path === "/burst") {
    // 20 chunks written and flushed in one turn, as Next.js writes a payload's rows; the end once
    // the client has seen them.
    res.setHeader("Content-Type", "text/x-component");
    for (let i = 0; i < 20; i++) {
      res.write(CHUNK);
      res.flush?.();
    }
    new Promise<void>((resolve) => (burstSeen = resolve)).then(() => res.end());
  } else if (path === "/large") {
    // More than the hold's bytes, then the end only once the client has read some of it: it
    // ends only if what was held went out without waiting for the end.
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    for (let i = 0; i < 3; i++) {
      res.write(randomBytes(HELD_BYTES / 2).toString("hex").slice(0, HELD_BYTES / 2));
      res.flush?.();
    }
    new Promise<void>((resolve) => (largePartRead = resolve)).then(() => res.end());
  } else if (path === "/split") {
    // A body under the middleware's 1 KB threshold, written in two pieces.
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.write("<p>");
    res.flush?.();
    setImmediate(() => res.end("一行</p>"));
  } else if (path === "/tiny") {
    res.setHeader("Content-Type", "text/plain");
    res.end("ok");
  } else if (path === "/image") {
    res.setHeader("Content-Type", "image/png");
    res.end(Buffer.alloc(4096, 7));
  } else if (path === "/no-transform") {
    res.setHeader("Content-Type", "text/html");
    res.setHeader("Cache-Control", "no-transform");
    res.end(PAGE);
  } else if (path === "/not-modified") {
    res.statusCode = 304;
    res.setHeader("ETag", '"abc"');
    res.end();
  } else {
    res.statusCode = 404;
    res.end();
  }
}

beforeAll(async () => {
  const compress = createCompression(GZIP_LEVEL)!;
  server = createServer((req, res) => {
    compress(req, res);
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hold = createCompression(GZIP_LEVEL, { holdMs: 60_000, holdBytes: HELD_BYTES })!;
  holding = createServer((req, res) => {
    hold(req, res);
    app(req, res);
  });
  await new Promise<void>((resolve) => holding.listen(0, "127.0.0.1", resolve));
  heldBase = `http://127.0.0.1:${(holding.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => holding.close(() => resolve()));
});

/** A raw GET (no automatic decompression): status, headers and the bytes as sent; `onChunk` sees
 * each piece as it arrives. */
function get(path: string, headers: Record<string, string> = {}, method = "GET", at = base, onChunk?: (chunk: Buffer) => void): Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${at}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => {
        chunks.push(c);
        onChunk?.(c);
      });
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the production server's compression", () => {
  it("gzips a page for a client that accepts gzip, and says it varies by Accept-Encoding", async () => {
    const r = await get("/page", { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(r.status).toBe(200);
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(r.headers["vary"]).toMatch(/Accept-Encoding/i);
    expect(r.headers["content-length"]).toBeUndefined();
    expect(gunzipSync(r.body).toString("utf8")).toBe(PAGE);
    expect(r.body.length).toBeLessThan(Buffer.byteLength(PAGE) / 4);
  });

  it("compresses at the configured level, not at Next.js's default", async () => {
    const r = await get("/page", { "accept-encoding": "gzip" });
    // A one-shot body: byte for byte what zlib gives at this level.
    expect(r.body.equals(gzipSync(PAGE, { level: GZIP_LEVEL }))).toBe(true);
  });

  it("sends identity to a client that does not accept gzip", async () => {
    for (const accept of ["identity", ""]) {
      const r = await get("/page", accept ? { "accept-encoding": accept } : {});
      expect(r.headers["content-encoding"]).toBeUndefined();
      expect(r.body.toString("utf8")).toBe(PAGE);
      expect(r.headers["vary"]).toMatch(/Accept-Encoding/i);
    }
  });

  it("streams: a flushed chunk reaches the client, decompressed, before the response ends", async () => {
    const r = await fetch(`${base}/stream`, { headers: { "accept-encoding": "gzip" } });
    expect(r.headers.get("content-encoding")).toBe("gzip");
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    // The server writes the second line only after this loop has seen the whole first one.
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toBe(`first,${"x".repeat(2000)}\n`);
    firstChunkRead();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toBe(`first,${"x".repeat(2000)}\nsecond,${"y".repeat(2000)}\n`);
  });

  it("keeps the compressor's history across flushes (a payload Next.js flushes chunk by chunk compresses as one)", async () => {
    const r = await get("/flushed", { "accept-encoding": "gzip" });
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(r.body).toString("utf8")).toBe(CHUNK.repeat(20));
    // Each repeat refers back to the first: with the history thrown away at every flush
    // (Z_FULL_FLUSH) each of the 20 would cost as much as the first.
    const one = gzipSync(CHUNK, { level: GZIP_LEVEL }).length;
    expect(r.body.length).toBeLessThan(2 * one);
  });

  it("flushes a burst of chunks written in one turn of the event loop once", async () => {
    const { body } = await get("/burst", { "accept-encoding": "gzip" }, "GET", base, (c) => {
      if (c.includes(SYNC_MARK)) burstSeen();
    });
    expect(gunzipSync(body).toString("utf8")).toBe(CHUNK.repeat(20));
    // Each Z_SYNC_FLUSH ends with an empty stored block, 00 00 ff ff: one for the burst, not 20.
    let flushes = 0;
    for (let i = body.indexOf(SYNC_MARK); i !== -1; i = body.indexOf(SYNC_MARK, i + 1)) flushes++;
    expect(flushes).toBe(1);
  });

  it("compresses a body written in pieces over several turns, when it ends while held, as one piece", async () => {
    const r = await get("/flushed", { "accept-encoding": "gzip" }, "GET", heldBase);
    expect(r.headers["content-encoding"]).toBe("gzip");
    // Byte for byte zlib's one-shot output for the whole body: one compression, no flush marks.
    expect(r.body.equals(gzipSync(CHUNK.repeat(20), { level: GZIP_LEVEL }))).toBe(true);
    expect(r.body.includes(SYNC_MARK)).toBe(false);
  });

  it("sends what it holds once a body passes the hold's size, and streams the rest", async () => {
    const { body } = await get("/large", { "accept-encoding": "gzip" }, "GET", heldBase, () => largePartRead());
    expect(gunzipSync(body).length).toBe(3 * (HELD_BYTES / 2));
  });

  it("leaves a body under 1 KB written in pieces uncompressed, as one written at once", async () => {
    const r = await get("/split", { "accept-encoding": "gzip" }, "GET", heldBase);
    expect(r.headers["content-encoding"]).toBeUndefined();
    expect(r.body.toString("utf8")).toBe("<p>一行</p>");
  });

  it("leaves alone a tiny body, an already-compressed type, a no-transform response, HEAD and 304", async () => {
    const tiny = await get("/tiny", { "accept-encoding": "gzip" });
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.body.toString()).toBe("ok");
    const image = await get("/image", { "accept-encoding": "gzip" });
    expect(image.headers["content-encoding"]).toBeUndefined();
    expect(image.body.length).toBe(4096);
    const noTransform = await get("/no-transform", { "accept-encoding": "gzip" });
    expect(noTransform.headers["content-encoding"]).toBeUndefined();
    expect(noTransform.body.toString("utf8")).toBe(PAGE);
    const head = await get("/page", { "accept-encoding": "gzip" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-encoding"]).toBeUndefined();
    expect(head.body.length).toBe(0);
    const notModified = await get("/not-modified", { "accept-encoding": "gzip" });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
  });
});

describe("WEGOVERN_GZIP_LEVEL", () => {
  it("is the default level when unset, a level 1–9, or off", () => {
    expect(gzipLevel(undefined)).toBe(GZIP_LEVEL);
    expect(gzipLevel("")).toBe(GZIP_LEVEL);
    expect(gzipLevel("4")).toBe(4);
    expect(gzipLevel("off")).toBeNull();
    expect(createCompression(null)).toBeNull();
    expect(() => gzipLevel("fast")).toThrow(/WEGOVERN_GZIP_LEVEL/);
    expect(() => gzipLevel("10")).toThrow(/WEGOVERN_GZIP_LEVEL/);
  });
});
