import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD } from "../../prisma/seed";
import { prepareServedDataset } from "./_dataset";
import { BENCH_CLIENT, BROWSER_ACCEPT_ENCODING, getPage, navigationRequest, percentiles, postgresCpuMs, postgresCpuMsSince, rawGet, signIn, startServer, timed, timedGet, treeCpuMs, type Timing } from "./_server";

// Issue 20's benchmark: what one page costs the server. For each page, on a production build served
// as production serves it (scripts/serve.mjs, as `npm start` runs it; BENCH_SERVER=next-start for
// bare `next start`) over the large generated company (BENCH_SCALE, default 1):
// - the server's CPU per request: the CPU time (user + system) of the server's process tree before
//   and after BENCH_CPU_RUNS requests (default 100) one after another, divided by the count. This
//   is the figure to lead with: on a machine shared with other work the response times move by
//   tens of per cent between runs, the CPU a request costs hardly does. Measured for the page's
//   document (a full load: the HTML with the RSC payload inlined) and for a client navigation to it
//   (what a signed-in person's clicks mostly cost: the RSC payload alone, requested as the browser's
//   router requests it, from another page of the portal, so the layouts both pages share are not
//   rendered again); requests carry the Accept-Encoding a browser sends (BENCH_ACCEPT_ENCODING);
//   each after BENCH_WARMUP requests (default 200: a freshly started server costs up to twice its
//   steady figure for its first hundred requests of a page while V8 compiles the hot paths, and a
//   server in production has long passed that; `bench -- floor` prints the warm-up's own curve);
// - PostgreSQL's CPU per request in the same two windows (its backends connected to the dataset):
//   under 8 users it competes with the server for the same cores;
// - response time p50 / p95 with 1 user and with 8 at once (client-measured on loopback, body read
//   in full), and the CPU per request under 8;
// - requests per second with 8 and with 32 at once.
// Every timed request is read by a light client (wireGet: node:http, the bytes as sent, nothing
// decompressed), since the client runs on the server's cores; BENCH_CLIENT=fetch times with fetch
// and the body decompressed, the client of the figures before the fourteenth session. The sizes
// printed are read with fetch either way.
// The machine's load (`uptime`) is recorded before and after. BENCH_PAGES=settings,audit picks
// pages, BENCH_CPU_ONLY=1 measures only the CPU per request (document and navigation); BENCH_CPU_PROF=<dir> runs the server under `node --cpu-prof` (profile written at exit;
// summarise with `node --import tsx scripts/bench/_profile.ts <file>`). Figures go to
// bench/results/pages[-BENCH_LABEL].json.

const log = (line: string) => console.log(`[bench:pages] ${line}`);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_CPU_RUNS ?? 100);
const PORT = Number(process.env.BENCH_PORT ?? 4620);
const LABEL = process.env.BENCH_LABEL ?? "";
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
/** Only the CPU per request (one user): for profiles and quick before/after comparisons. */
const CPU_ONLY = process.env.BENCH_CPU_ONLY === "1";
const uptime = () => execSync("uptime").toString().trim();
/** What Chromium sends; "identity" measures without compression. */
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? BROWSER_ACCEPT_ENCODING;
type Row = {
  page: string;
  path: string;
  /** The document's size, decompressed, and as transferred (with ACCEPT_ENCODING). */
  bytes: number;
  wireBytes: number;
  /** A client navigation to the page: its RSC payload, decompressed and as transferred. */
  navigation: { from: string; bytes: number; wireBytes: number };
  cpuMsPerRequest: { users1: number; users8: number; navigation: number };
  /** PostgreSQL's CPU per request in the same windows (postgresCpuMs: the backends connected to the dataset). */
  postgresCpuMsPerRequest: { users1: number; navigation: number };
  users1: Timing;
  users8: Timing;
  rps: { users8: number; users32: number };
};

async function main() {
  const url = await prepareServedDataset(process.env.DATABASE_URL, SCALE, log);
  const database = new URL(url).pathname.slice(1);
  const profDir = process.env.BENCH_CPU_PROF;
  if (profDir) mkdirSync(profDir, { recursive: true });
  // BENCH_NODE_ARGS: extra options for the server's Node (e.g. "--max-semi-space-size=64"), to try a setting.
  const nodeArgs = [...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []), ...(profDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profDir)}`] : [])];
  const server = await startServer(url, PORT, {}, nodeArgs);
  if (nodeArgs.length) log(`server Node options: ${nodeArgs.join(" ")}`);
  const loadBefore = uptime();
  log(`load before: ${loadBefore}`);
  log(`server: ${process.env.BENCH_SERVER === "next-start" ? "next start" : "scripts/serve.mjs"}; Accept-Encoding: ${ACCEPT_ENCODING}; client: ${BENCH_CLIENT}`);
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
      { key: "service", page: "service queue, page 1", path: "/service", cookie: admin },
      { key: "training", page: "training overview, page 1", path: "/training/overview", cookie: admin },
      { key: "dashboard", page: "dashboard, company (shared counts)", path: "/dashboard", cookie: admin },
    ];
    const wanted = process.env.BENCH_PAGES?.split(",").filter(Boolean);
    for (const p of pages.filter((x) => !wanted || wanted.includes(x.key))) {
      const docHeaders = { "Accept-Encoding": ACCEPT_ENCODING };
      const get = async () => void (await timedGet(server.url + p.path, p.cookie, docHeaders));
      for (let i = 0; i < WARMUP; i++) await get();
      const bytes = await getPage(server.url + p.path, p.cookie, docHeaders);
      const wire = await rawGet(server.url + p.path, { ...docHeaders, Cookie: p.cookie });
      let cpu0 = treeCpuMs(server.pid);
      let pg0 = postgresCpuMs(database);
      // The measured window on the monotonic clock the server's CPU profile also uses (the
      // summary leaves out start-up and warm-up with it).
      const from = process.hrtime.bigint() / BigInt(1000);
      const t1 = await timed(RUNS, 1, get);
      const cpu1 = (treeCpuMs(server.pid) - cpu0) / RUNS;
      const pg1 = postgresCpuMsSince(pg0, postgresCpuMs(database)) / RUNS;
      if (profDir) writeFileSync(path.join(profDir, `window-${p.key}.json`), JSON.stringify({ page: p.key, requests: RUNS, fromUs: Number(from), toUs: Number(process.hrtime.bigint() / BigInt(1000)) }));

      // A client navigation to the page, from the home page (to the home page: from /settings).
      const navFrom = p.path === "/" ? "/settings" : "/";
      const nav = await navigationRequest(navFrom, p.path, { groups: ["(portal)"], acceptEncoding: ACCEPT_ENCODING });
      const navigate = async () => void (await timedGet(server.url + nav.path, p.cookie, nav.headers));
      const navWire = await rawGet(server.url + nav.path, { ...nav.headers, Cookie: p.cookie });
      if (navWire.status !== 200 || !navWire.type.startsWith("text/x-component")) throw new Error(`navigation to ${p.path}: HTTP ${navWire.status} ${navWire.type}`);
      for (let i = 0; i < WARMUP; i++) await navigate();
      const navBytes = await getPage(server.url + nav.path, p.cookie, nav.headers);
      const navFromUs = process.hrtime.bigint() / BigInt(1000);
      cpu0 = treeCpuMs(server.pid);
      pg0 = postgresCpuMs(database);
      await timed(RUNS, 1, navigate);
      const cpuNav = (treeCpuMs(server.pid) - cpu0) / RUNS;
      const pgNav = postgresCpuMsSince(pg0, postgresCpuMs(database)) / RUNS;
      if (profDir) writeFileSync(path.join(profDir, `window-${p.key}-navigation.json`), JSON.stringify({ page: `${p.key} (navigation)`, requests: RUNS, fromUs: Number(navFromUs), toUs: Number(process.hrtime.bigint() / BigInt(1000)) }));
      const round = (x: number) => Math.round(x * 10) / 10;
      const common = { page: p.page, path: p.path, bytes, wireBytes: wire.bytes, navigation: { from: navFrom, bytes: navBytes, wireBytes: navWire.bytes }, postgresCpuMsPerRequest: { users1: round(pg1), navigation: round(pgNav) } };
      const sizes = `document ${Math.round(bytes / 1024)} KB (${Math.round(wire.bytes / 1024)} KB sent, ${wire.encoding}), navigation ${Math.round(navBytes / 1024)} KB (${Math.round(navWire.bytes / 1024)} KB sent)`;
      if (CPU_ONLY) {
        rows.push({ ...common, cpuMsPerRequest: { users1: round(cpu1), users8: NaN, navigation: round(cpuNav) }, users1: percentiles(t1), users8: percentiles([NaN]), rps: { users8: NaN, users32: NaN } });
        log(`${p.page}: CPU ${round(cpu1)} ms/request (1 user), client navigation ${round(cpuNav)} ms; PostgreSQL ${round(pg1)} / ${round(pgNav)} ms; ${sizes}`);
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
        ...common,
        cpuMsPerRequest: { users1: round(cpu1), users8: round(cpu8), navigation: round(cpuNav) },
        users1: percentiles(t1),
        users8: percentiles(t8),
        rps: { users8: r8, users32: r32 },
      };
      rows.push(row);
      log(
        `${p.page}: CPU ${row.cpuMsPerRequest.users1} ms/request (1 user), ${row.cpuMsPerRequest.users8} (8), client navigation ${row.cpuMsPerRequest.navigation}; PostgreSQL ${round(pg1)} / ${round(pgNav)} ms; p50/p95 1 user ${row.users1.p50}/${row.users1.p95} ms, 8 users ${row.users8.p50}/${row.users8.p95} ms; ${r8} req/s at 8, ${r32} at 32; ${sizes}`,
      );
    }
  } finally {
    await server.stop();
  }
  const loadAfter = uptime();
  log(`load after: ${loadAfter}`);
  console.log("\npage | CPU ms/request: document 1 user / 8 users / client navigation | PostgreSQL CPU ms/request: document / navigation | p50 / p95 1 user (ms) | p50 / p95 8 users (ms) | req/s at 8 / 32 | KB document (sent) / navigation (sent)");
  const kb = (n: number) => Math.round(n / 1024);
  for (const r of rows)
    console.log(
      `${r.page} | ${r.cpuMsPerRequest.users1} / ${r.cpuMsPerRequest.users8} / ${r.cpuMsPerRequest.navigation} | ${r.postgresCpuMsPerRequest.users1} / ${r.postgresCpuMsPerRequest.navigation} | ${r.users1.p50} / ${r.users1.p95} | ${r.users8.p50} / ${r.users8.p95} | ${r.rps.users8} / ${r.rps.users32} | ${kb(r.bytes)} (${kb(r.wireBytes)}) / ${kb(r.navigation.bytes)} (${kb(r.navigation.wireBytes)})`,
    );
  const out = path.resolve(`bench/results/pages${LABEL ? `-${LABEL}` : ""}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify({ at: new Date().toISOString(), label: LABEL || null, scale: SCALE, runs: RUNS, server: process.env.BENCH_SERVER === "next-start" ? "next start" : "scripts/serve.mjs", gzipLevel: process.env.WEGOVERN_GZIP_LEVEL ?? "default", acceptEncoding: ACCEPT_ENCODING, client: BENCH_CLIENT, loadBefore, loadAfter, rows }, null, 2),
  );
  log(`figures written to ${out}`);
}

await main();
