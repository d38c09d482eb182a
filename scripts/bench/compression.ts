import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";
import { DEMO_PASSWORD } from "../../prisma/seed";
import { prepareServedDataset } from "./_dataset";
import { signIn, startServer } from "./_server";

// What compressing our real pages costs (docs/performance.md, "The floor"): the document and the
// client navigation's RSC payload of a few pages are fetched uncompressed, chunk by chunk as the
// server writes them, from the production server (compression off); then each is compressed here,
// in this process, as the server would stream it — one write and one flush per chunk — at several
// gzip levels, with the flush the compression middleware used to make (Z_FULL_FLUSH, "f") and the one
// scripts/compress.mjs makes (Z_SYNC_FLUSH, "s"), and with brotli for comparison. Prints and writes
// CPU ms per response (BENCH_ZLIB_RUNS times each, averaged) and the bytes sent.

const log = (line: string) => console.log(`[bench:compression] ${line}`);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const PORT = Number(process.env.BENCH_PORT ?? 4620);
const RUNS = Number(process.env.BENCH_ZLIB_RUNS ?? 60);
const LABEL = process.env.BENCH_LABEL ?? "";

type Codec = { name: string; make: () => zlib.Gzip | zlib.BrotliCompress; flush: (z: zlib.Gzip | zlib.BrotliCompress) => void };
const gzip = (level: number, sync: boolean): Codec => ({
  name: `gzip-${level}${sync ? "s" : "f"}`,
  make: () => zlib.createGzip({ level }),
  flush: (z) => (z as zlib.Gzip).flush(sync ? zlib.constants.Z_SYNC_FLUSH : zlib.constants.Z_FULL_FLUSH),
});
const brotli = (quality: number): Codec => ({
  name: `br-${quality}`,
  make: () => zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality } }),
  flush: (z) => (z as zlib.BrotliCompress).flush(),
});
const CODECS = [gzip(6, false), gzip(1, true), gzip(2, true), gzip(3, true), gzip(4, true), gzip(6, true), brotli(1), brotli(4)];

function compressed(chunks: Buffer[], codec: Codec): Promise<number> {
  return new Promise((resolve, reject) => {
    const z = codec.make();
    let bytes = 0;
    z.on("data", (d: Buffer) => (bytes += d.length));
    z.on("end", () => resolve(bytes));
    z.on("error", reject);
    for (const c of chunks) {
      z.write(c);
      codec.flush(z);
    }
    z.end();
  });
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main() {
  const url = await prepareServedDataset(process.env.DATABASE_URL, SCALE, log);
  const server = await startServer(url, PORT, { WEGOVERN_GZIP_LEVEL: "off" });
  const bodies: { page: string; chunks: Buffer[] }[] = [];
  try {
    const admin = await signIn(server.url, "admin@wegovern.demo", DEMO_PASSWORD);
    const privacy = await signIn(server.url, "privacy@wegovern.demo", DEMO_PASSWORD);
    const get = (p: string, cookie: string, headers: Record<string, string> = {}) =>
      new Promise<Buffer[]>((resolve, reject) => {
        const req = request(server.url + p, { headers: { ...headers, Cookie: cookie } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => (res.statusCode === 200 ? resolve(chunks) : reject(new Error(`${p}: HTTP ${res.statusCode}`))));
        });
        req.on("error", reject);
        req.end();
      });
    // A client navigation from the home page, as pages.ts sends it.
    const tree = encodeURIComponent(JSON.stringify(["", { children: ["(portal)", { children: ["__PAGE__", {}, null, null, 0] }, null, null, 0] }, null, null, 16]));
    const { computeCacheBustingSearchParam } = createRequire(import.meta.url)("next/dist/shared/lib/router/utils/cache-busting-search-param");
    const hash = await computeCacheBustingSearchParam(undefined, undefined, tree, "/");
    for (const [key, p, cookie] of [["settings", "/settings", admin], ["audit", "/audit", admin], ["consents", "/privacy/consents", privacy], ["dashboard", "/dashboard", admin]] as const) {
      await get(p, cookie);
      bodies.push({ page: key, chunks: await get(p, cookie) });
      bodies.push({ page: `${key} (navigation)`, chunks: await get(`${p}?_rsc=${hash}`, cookie, { RSC: "1", "Next-Router-State-Tree": tree, "Next-Url": "/" }) });
    }
  } finally {
    await server.stop();
  }
  const load = execSync("uptime").toString().trim();
  log(`load: ${load}`);
  const rows = [];
  for (const { page, chunks } of bodies) {
    const bytes = chunks.reduce((n, c) => n + c.length, 0);
    const results: Record<string, { ms: number; bytes: number }> = {};
    for (const codec of CODECS) {
      let sent = await compressed(chunks, codec);
      const c0 = cpuMs();
      for (let i = 0; i < RUNS; i++) sent = await compressed(chunks, codec);
      results[codec.name] = { ms: Math.round(((cpuMs() - c0) / RUNS) * 100) / 100, bytes: sent };
    }
    rows.push({ page, bytes, chunks: chunks.length, results });
    log(`${page}: ${Math.round(bytes / 1024)} KB in ${chunks.length} chunks | ${Object.entries(results).map(([k, r]) => `${k} ${r.ms} ms ${Math.round(r.bytes / 1024)} KB`).join(" | ")}`);
  }
  const out = path.resolve(`bench/results/compression${LABEL ? `-${LABEL}` : ""}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), scale: SCALE, runs: RUNS, load, rows }, null, 2));
  log(`figures written to ${out}`);
}

await main();
