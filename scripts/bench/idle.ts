import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD } from "../../prisma/seed";
import { prepareServedDataset } from "./_dataset";
import { median, round } from "./_scratch-db";
import { signIn, startServer } from "./_server";

// `npm run bench -- idle`: what a request costs after the portal has been quiet for a while — the
// usual case in a company's portal, which the other page benchmarks (steady streams of requests)
// never see. Serves the generated company (BENCH_SCALE, default 0.1) through the production
// server, signs in as the administrator, warms each page with 8 requests, then BENCH_IDLE_RUNS
// times (default 6): waits BENCH_IDLE_MS (default 11,000: past node-postgres's 10-second default
// idle timeout) and times one request. Prints the warm and after-pause times per page (ms, the
// client's view: the whole response read) and writes bench/results/idle[-BENCH_LABEL].json.

const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 11_000);
const RUNS = Number(process.env.BENCH_IDLE_RUNS ?? 6);
const PORT = Number(process.env.BENCH_PORT ?? 3460);
const LABEL = process.env.BENCH_LABEL ?? "";
const PAGES = ["/training/overview", "/directory/employees", "/"];
const log = (line: string) => console.log(`[bench:idle] ${line}`);

async function main() {
  const url = await prepareServedDataset(process.env.DATABASE_URL, SCALE, log);
  const server = await startServer(url, PORT);
  const rows: { path: string; warmMs: number[]; afterPauseMs: number[]; warmMedian: number; afterPauseMedian: number }[] = [];
  try {
    const cookie = await signIn(server.url, "admin@wegovern.demo", DEMO_PASSWORD);
    const get = async (p: string) => {
      const t0 = performance.now();
      const r = await fetch(server.url + p, { headers: { cookie } });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
      return performance.now() - t0;
    };
    for (const p of PAGES) {
      const warm: number[] = [];
      for (let i = 0; i < 8; i++) warm.push(await get(p));
      const afterPause: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
        afterPause.push(await get(p));
      }
      const row = { path: p, warmMs: warm.slice(3).map(round), afterPauseMs: afterPause.map(round), warmMedian: round(median(warm.slice(3))), afterPauseMedian: round(median(afterPause)) };
      rows.push(row);
      log(`${p}: warm median ${row.warmMedian} ms (${row.warmMs.join(", ")}); after ${IDLE_MS / 1000} s quiet, median ${row.afterPauseMedian} ms (${row.afterPauseMs.join(", ")})`);
    }
  } finally {
    await server.stop();
  }
  const out = path.resolve(`bench/results/idle${LABEL ? `-${LABEL}` : ""}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), scale: SCALE, idleMs: IDLE_MS, runs: RUNS, rows }, null, 2)}\n`);
  log(`figures written to ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
