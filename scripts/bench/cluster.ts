import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD } from "../../prisma/seed";
import { PROCESS_HEADER } from "../serve.mjs";
import { prepareServedDataset } from "./_dataset";
import { percentiles, signIn, startServer, timed, treeCpuMs, type Server, type Timing } from "./_server";

// Issue 20's throughput with one process and with two behind the local balancer: the production
// server (scripts/serve.mjs, what `npm start` runs) with WEB_PROCESSES=1 and WEB_PROCESSES=2 (Node's
// cluster), over the large generated company (BENCH_SCALE, default 1), alternating the two for
// BENCH_ROUNDS rounds (default 2). For a list page (the audit trail) and the company dashboard, at
// 8 and at 32 concurrent users (each user its own keep-alive connection, as a browser): requests per
// second, p50 / p95 of the response time (client-measured on loopback, body read in full), the
// server's CPU per request (its whole process tree: the balancer and every process), and how many
// requests each process answered (the PROCESS_HEADER). Every response must be a 200.
// BENCH_REQUESTS (default 160) per measure after BENCH_WARMUP (default 32) at the same concurrency;
// `uptime` before and after each configuration. Figures go to bench/results/cluster[-BENCH_LABEL].json.

const log = (line: string) => console.log(`[bench:cluster] ${line}`);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const PORT = Number(process.env.BENCH_PORT ?? 4640);
const LABEL = process.env.BENCH_LABEL ?? "";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 160);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 32);
const uptime = () => execSync("uptime").toString().trim();

type Measure = { page: string; path: string; users: number; requests: number; rps: number; latency: Timing; cpuMsPerRequest: number; byProcess: Record<string, number> };
type Run = { round: number; processes: number; loadBefore: string; loadAfter: string; measures: Measure[] };

async function measure(server: Server, page: { key: string; path: string; cookie: string }, users: number): Promise<Measure> {
  const byProcess: Record<string, number> = {};
  const get = async () => {
    const r = await fetch(server.url + page.path, { headers: { Cookie: page.cookie }, redirect: "manual" });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${page.path}: HTTP ${r.status}`);
    const p = r.headers.get(PROCESS_HEADER) ?? "1";
    byProcess[p] = (byProcess[p] ?? 0) + 1;
  };
  await timed(WARMUP, users, get);
  for (const k of Object.keys(byProcess)) delete byProcess[k];
  const cpu0 = treeCpuMs(server.pid);
  const t0 = performance.now();
  const times = await timed(REQUESTS, users, get);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (treeCpuMs(server.pid) - cpu0) / REQUESTS;
  return { page: page.key, path: page.path, users, requests: REQUESTS, rps: Math.round((REQUESTS / seconds) * 10) / 10, latency: percentiles(times), cpuMsPerRequest: Math.round(cpu * 10) / 10, byProcess };
}

async function main() {
  const url = await prepareServedDataset(process.env.DATABASE_URL, SCALE, log);
  const runs: Run[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const processes of [1, 2]) {
      const server = await startServer(url, PORT, { WEB_PROCESSES: String(processes) });
      const loadBefore = uptime();
      log(`round ${round}, ${processes} process(es): load before: ${loadBefore}`);
      const measures: Measure[] = [];
      try {
        const admin = await signIn(server.url, "admin@wegovern.demo", DEMO_PASSWORD);
        const pages = [
          { key: "audit", path: "/audit", cookie: admin },
          { key: "dashboard", path: "/dashboard", cookie: admin },
        ];
        for (const page of pages) {
          for (const users of [8, 32]) {
            const m = await measure(server, page, users);
            measures.push(m);
            log(`${processes}p ${page.key} ×${users}: ${m.rps} req/s, p50 ${m.latency.p50} / p95 ${m.latency.p95} ms, CPU ${m.cpuMsPerRequest} ms/request, by process ${JSON.stringify(m.byProcess)}`);
          }
        }
      } finally {
        await server.stop();
      }
      const loadAfter = uptime();
      log(`load after: ${loadAfter}`);
      runs.push({ round, processes, loadBefore, loadAfter, measures });
    }
  }
  console.log("\nround | processes | page | users | req/s | p50 / p95 (ms) | CPU ms/request | requests by process");
  for (const r of runs)
    for (const m of r.measures) console.log(`${r.round} | ${r.processes} | ${m.page} | ${m.users} | ${m.rps} | ${m.latency.p50} / ${m.latency.p95} | ${m.cpuMsPerRequest} | ${JSON.stringify(m.byProcess)}`);
  const out = path.resolve(`bench/results/cluster${LABEL ? `-${LABEL}` : ""}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), label: LABEL || null, scale: SCALE, requests: REQUESTS, warmup: WARMUP, cores: (await import("node:os")).availableParallelism(), runs }, null, 2));
  log(`figures written to ${out}`);
}

await main();
