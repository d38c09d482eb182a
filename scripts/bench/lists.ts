import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD } from "../../prisma/seed";
import { prepareServedDataset } from "./_dataset";
import { getPage, percentiles, signIn, startServer, timed, treeCpuMs, type Timing } from "./_server";

// The list pages of issue 20 (docs/performance.md, "Lists and the home page"), measured the way
// `bench -- pages` measures its pages, including the two it does not serve: the service queue and
// the training overview. For each page: the server's CPU per request with one user (BENCH_CPU_RUNS
// requests one after another, default 60) and, unless BENCH_CPU_ONLY=1, p50 / p95 with 8 users at
// once (BENCH_CPU_RUNS × 2 requests) and the CPU per request under them. BENCH_PAGES picks pages
// (audit, consents, groups, service, training, home, settings). Figures go to
// bench/results/lists[-BENCH_LABEL].json.

const log = (line: string) => console.log(`[bench:lists] ${line}`);
const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const RUNS = Number(process.env.BENCH_CPU_RUNS ?? 60);
const PORT = Number(process.env.BENCH_PORT ?? 4860);
const LABEL = process.env.BENCH_LABEL ?? "";
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const CPU_ONLY = process.env.BENCH_CPU_ONLY === "1";
const uptime = () => execSync("uptime").toString().trim();

type Row = { key: string; path: string; bytes: number; cpuMs: { users1: number; users8: number | null }; users8: Timing | null };

async function main() {
  const url = await prepareServedDataset(process.env.DATABASE_URL, SCALE, log);
  const profDir = process.env.BENCH_CPU_PROF;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const nodeArgs = profDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profDir)}`] : [];
  const server = await startServer(url, PORT, {}, nodeArgs);
  const loadBefore = uptime();
  log(`load before: ${loadBefore}`);
  const rows: Row[] = [];
  try {
    const admin = await signIn(server.url, "admin@wegovern.demo", DEMO_PASSWORD);
    const privacy = await signIn(server.url, "privacy@wegovern.demo", DEMO_PASSWORD);
    const pages = [
      { key: "settings", path: "/settings", cookie: admin },
      { key: "home", path: "/", cookie: admin },
      { key: "audit", path: "/audit", cookie: admin },
      { key: "consents", path: "/privacy/consents", cookie: privacy },
      { key: "groups", path: "/groups", cookie: admin },
      { key: "service", path: "/service", cookie: admin },
      { key: "training", path: "/training/overview", cookie: admin },
    ];
    const wanted = process.env.BENCH_PAGES?.split(",").filter(Boolean);
    for (const p of pages.filter((x) => !wanted || wanted.includes(x.key))) {
      const get = async () => void (await getPage(server.url + p.path, p.cookie));
      let bytes = 0;
      for (let i = 0; i < WARMUP; i++) bytes = await getPage(server.url + p.path, p.cookie);
      let cpu0 = treeCpuMs(server.pid);
      const from = process.hrtime.bigint() / BigInt(1000);
      await timed(RUNS, 1, get);
      const cpu1 = Math.round(((treeCpuMs(server.pid) - cpu0) / RUNS) * 10) / 10;
      if (profDir) writeFileSync(path.join(profDir, `window-${p.key}.json`), JSON.stringify({ page: p.key, requests: RUNS, fromUs: Number(from), toUs: Number(process.hrtime.bigint() / BigInt(1000)) }));
      let users8: Timing | null = null;
      let cpu8: number | null = null;
      if (!CPU_ONLY) {
        cpu0 = treeCpuMs(server.pid);
        users8 = percentiles(await timed(RUNS * 2, 8, get));
        cpu8 = Math.round(((treeCpuMs(server.pid) - cpu0) / (RUNS * 2)) * 10) / 10;
      }
      rows.push({ key: p.key, path: p.path, bytes, cpuMs: { users1: cpu1, users8: cpu8 }, users8 });
      log(`${p.key} (${p.path}): CPU ${cpu1} ms/request (1 user)${users8 ? `, ${cpu8} (8); 8 users p50/p95 ${users8.p50}/${users8.p95} ms` : ""}; ${Math.round(bytes / 1024)} KB`);
    }
  } finally {
    await server.stop();
  }
  const loadAfter = uptime();
  log(`load after: ${loadAfter}`);
  const out = path.resolve(`bench/results/lists${LABEL ? `-${LABEL}` : ""}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), label: LABEL || null, scale: SCALE, runs: RUNS, loadBefore, loadAfter, rows }, null, 2));
  log(`figures written to ${out}`);
}

await main();
