import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD } from "../../prisma/seed";
import { prepareServedDataset } from "./_dataset";
import { getPage, percentiles, signIn, startServer, timed, treeCpuMs, type Timing } from "./_server";

// Issue 20's benchmark: what one page costs the server. For each page, on a production build served
// by one `next start` over the large generated company (BENCH_SCALE, default 1):
// - the server's CPU per request: the CPU time (user + system) of the server's process tree before
//   and after BENCH_CPU_RUNS requests (default 100) one after another, divided by the count. This
//   is the figure to lead with: on a machine shared with other work the response times move by
//   tens of per cent between runs, the CPU a request costs hardly does;
// - response time p50 / p95 with 1 user and with 8 at once (client-measured on loopback, body read
//   in full), and the CPU per request under 8;
// - requests per second with 8 and with 32 at once.
// The machine's load (`uptime`) is recorded before and after. BENCH_PAGES=settings,audit picks
// pages, BENCH_CPU_ONLY=1 measures only the CPU per request; BENCH_CPU_PROF=<dir> runs the server under `node --cpu-prof` (profile written at exit;
// summarise with `node --import tsx scripts/bench/_profile.ts <file>`). Figures go to
// bench/results/pages[-BENCH_LABEL].json.

const log = (line: string) => console.log(`[bench:pages] ${line}`);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_CPU_RUNS ?? 100);
const PORT = Number(process.env.BENCH_PORT ?? 4620);
const LABEL = process.env.BENCH_LABEL ?? "";
/** Only the CPU per request (one user): for profiles and quick before/after comparisons. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const CPU_ONLY = process.env.BENCH_CPU_ONLY === "1";
const uptime = () => execSync("uptime").toString().trim();

type Row = {
  page: string;
  path: string;
  bytes: number;
  cpuMsPerRequest: { users1: number; users8: number };
  users1: Timing;
  users8: Timing;
  rps: { users8: number; users32: number };
};

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error("[bench:pages] needs DATABASE_URL pointing at a PostgreSQL server.");
    process.exit(1);
  }
  const url = await prepareServedDataset(serverUrl, SCALE, log);
  const profDir = process.env.BENCH_CPU_PROF;
  if (profDir) mkdirSync(profDir, { recursive: true });
  // BENCH_NODE_ARGS: extra options for the server's Node (e.g. "--max-semi-space-size=64"), to try a setting.
  const nodeArgs = [...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []), ...(profDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profDir)}`] : [])];
  const server = await startServer(url, PORT, {}, nodeArgs);
  if (nodeArgs.length) log(`server Node options: ${nodeArgs.join(" ")}`);
  const loadBefore = uptime();
  log(`load before: ${loadBefore}`);
  const rows: Row[] = [];
  try {
    const admin = await signIn(server.url, "admin@wegovern.demo", DEMO_PASSWORD);
    const privacy = await signIn(server.url, "privacy@wegovern.demo", DEMO_PASSWORD);
    const pages = [
      { key: "settings", page: "almost empty page (/settings, ADMIN)", path: "/settings", cookie: admin },
      { key: "home", page: "home (/, ADMIN)", path: "/", cookie: admin },
      { key: "audit", page: "audit trail, page 1", path: "/audit", cookie: admin },
      { key: "consents", page: "consent list, page 1", path: "/privacy/consents", cookie: privacy },
      { key: "groups", page: "groups list, page 1", path: "/groups", cookie: admin },
      { key: "dashboard", page: "dashboard, company (shared counts)", path: "/dashboard", cookie: admin },
    ];
    const wanted = process.env.BENCH_PAGES?.split(",").filter(Boolean);
    for (const p of pages.filter((x) => !wanted || wanted.includes(x.key))) {
      const get = async () => void (await getPage(server.url + p.path, p.cookie));
      let bytes = 0;
      for (let i = 0; i < WARMUP; i++) bytes = await getPage(server.url + p.path, p.cookie);
      let cpu0 = treeCpuMs(server.pid);
      // The measured window on the monotonic clock the server's CPU profile also uses (the
      // summary leaves out start-up and warm-up with it).
      const from = process.hrtime.bigint() / BigInt(1000);
      const t1 = await timed(RUNS, 1, get);
      const cpu1 = (treeCpuMs(server.pid) - cpu0) / RUNS;
      if (profDir) writeFileSync(path.join(profDir, `window-${p.key}.json`), JSON.stringify({ page: p.key, requests: RUNS, fromUs: Number(from), toUs: Number(process.hrtime.bigint() / BigInt(1000)) }));
      if (CPU_ONLY) {
        rows.push({ page: p.page, path: p.path, bytes, cpuMsPerRequest: { users1: Math.round(cpu1 * 10) / 10, users8: NaN }, users1: percentiles(t1), users8: percentiles([NaN]), rps: { users8: NaN, users32: NaN } });
        log(`${p.page}: CPU ${Math.round(cpu1 * 10) / 10} ms/request (1 user); ${Math.round(bytes / 1024)} KB`);
        continue;
      }
      cpu0 = treeCpuMs(server.pid);
      const t8 = await timed(RUNS * 2, 8, get);
      const cpu8 = (treeCpuMs(server.pid) - cpu0) / (RUNS * 2);
      const rps = async (users: number) => {
        const n = Math.max(RUNS, users * 4);
        const s0 = performance.now();
        await timed(n, users, get);
        return Math.round((n / ((performance.now() - s0) / 1000)) * 10) / 10;
      };
      const r8 = await rps(8);
      const r32 = await rps(32);
      const row: Row = {
        page: p.page,
        path: p.path,
        bytes,
        cpuMsPerRequest: { users1: Math.round(cpu1 * 10) / 10, users8: Math.round(cpu8 * 10) / 10 },
        users1: percentiles(t1),
        users8: percentiles(t8),
        rps: { users8: r8, users32: r32 },
      };
      rows.push(row);
      log(
        `${p.page}: CPU ${row.cpuMsPerRequest.users1} ms/request (1 user), ${row.cpuMsPerRequest.users8} (8); p50/p95 1 user ${row.users1.p50}/${row.users1.p95} ms, 8 users ${row.users8.p50}/${row.users8.p95} ms; ${r8} req/s at 8, ${r32} at 32; ${Math.round(bytes / 1024)} KB`,
      );
    }
  } finally {
    await server.stop();
  }
  const loadAfter = uptime();
  log(`load after: ${loadAfter}`);
  console.log("\npage | CPU ms/request (1 user / 8) | p50 / p95 1 user (ms) | p50 / p95 8 users (ms) | req/s at 8 / 32 | KB");
  for (const r of rows)
    console.log(`${r.page} | ${r.cpuMsPerRequest.users1} / ${r.cpuMsPerRequest.users8} | ${r.users1.p50} / ${r.users1.p95} | ${r.users8.p50} / ${r.users8.p95} | ${r.rps.users8} / ${r.rps.users32} | ${Math.round(r.bytes / 1024)}`);
  const out = path.resolve(`bench/results/pages${LABEL ? `-${LABEL}` : ""}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), label: LABEL || null, scale: SCALE, runs: RUNS, loadBefore, loadAfter, rows }, null, 2));
  log(`figures written to ${out}`);
}

await main();
