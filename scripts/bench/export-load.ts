import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { exec, execSync } from "node:child_process";
import { promisify } from "node:util";
import { cpus } from "node:os";
import path from "node:path";
import pg from "pg";
import { DEMO_PASSWORD } from "../../prisma/seed";
import { benchDatabaseName, prepareServedDataset } from "./_dataset";
import { request as httpRequest } from "node:http";
import { createGunzip } from "node:zlib";
import { BENCH_CLIENT, BROWSER_ACCEPT_ENCODING, percentiles, postgresCpuMsSince, signIn, startServer, timedGet, treeCpuMs, treeRssMb, type Timing } from "./_server";

// Issue 20's export target: "the million-line consent export adds at most 100 MB to the server's
// resident memory, at ≥ 50,000 lines/s, without slowing concurrent page views by more than 20 %".
// A production build served by `next start` (as the other HTTP benches) on the scale-BENCH_SCALE
// dataset (default 1: a million consents), fresh for each round:
//  (a) list pages (the consent list as the privacy officer, the audit trail as the admin) with
//      BENCH_USERS concurrent users (default 4) for BENCH_LOAD_SECONDS (default 30), no export, with
//      the server's RSS over the same window (what the pages alone add, to set the export's against);
//  (b) the export alone over HTTP as the privacy officer, the body read at full speed as a client
//      would (Accept-Encoding as a browser sends it; BENCH_ENCODING=identity for none): lines/s,
//      the server process tree's resident memory sampled every 100 ms (peak over the baseline just
//      before the request), the server's CPU per thousand lines, and PostgreSQL's: the CPU of the
//      backends behind the server's connections (its sockets to PostgreSQL, `ss`, matched to
//      pg_stat_activity by client port; /proc), which share the machine's two cores with it;
//  (c) the export again with the same list-page load beside it, for as long as the export runs:
//      the pages' p50/p95 against (a), the export's lines/s and memory;
//  (d) the list pages alone again, for as long as (c) took (at least 10 s): the pages' figures
//      move by up to 30 % between windows on a quiet machine, so (c) is also set against (d) and
//      against (a) and (d) together (every response time of both windows: the bracketing
//      reference).
// For (a), (c) and (d) it also prints how many of the machine's cores were busy (/proc/stat, every
// process: the server, PostgreSQL, this client): how much room the export had beside the pages;
// and this client's own CPU in each (it reads the export on the same thread that times the pages).
// Before (a), BENCH_WARMUP_SECONDS (default 20) of the same load, not measured: without it (a) was
// the server's first half minute, its heap still growing by 220–330 MB and its code still being
// optimised, and its p50 came out 10–20 % above (d)'s (fifteenth session).
// The client runs on the server's two cores. Its page views are read with wireGet and the export
// with node:http, the bytes as they arrive (lines counted in them; a compressed export is
// gunzipped to count them), as `bench -- pages` reads its pages since the fourteenth session: with
// fetch, which decompresses every page and hands the export over through web streams, the client
// itself took CPU from the server in the windows measured. BENCH_CLIENT=fetch reads with fetch
// as before, to compare with earlier figures.
// BENCH_ROUNDS (default 1) repeats (a)–(c) on a fresh server each; the lowest of the rounds is the
// one to compare (the machine is shared). Figures go to bench/results/export-load[-BENCH_LABEL].json.

const log = (line: string) => console.log(`[bench:export-load] ${line}`);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const PORT = Number(process.env.BENCH_PORT ?? 4820);
const USERS = Number(process.env.BENCH_USERS ?? 4);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
/** Seconds of the same page load, not measured, before (a) (fifteenth session). */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const ENCODING = process.env.BENCH_ENCODING ?? BROWSER_ACCEPT_ENCODING;
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
const LABEL = process.env.BENCH_LABEL;
/** A page view with the benches' client (timedGet). */
const view = (url: string, cookie: string) => timedGet(url, cookie, { "Accept-Encoding": ENCODING });

/** The export's body, read as it arrives: the lines in it (newlines), the bytes on the wire and the
 * response's Content-Encoding. */
function readExport(url: string, cookie: string): Promise<{ newlines: number; bytes: number; contentEncoding: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { Cookie: cookie, "Accept-Encoding": ENCODING } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`export: HTTP ${res.statusCode}`));
        return;
      }
      const contentEncoding = String(res.headers["content-encoding"] ?? "identity");
      let bytes = 0;
      let newlines = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      const body = contentEncoding === "gzip" ? res.pipe(createGunzip()) : res;
      body.on("data", (chunk: Buffer) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
      });
      body.on("end", () => resolve({ newlines, bytes, contentEncoding }));
      body.on("error", reject);
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

type PageLoad = Record<string, Timing>;
type ExportRun = { lines: number; seconds: number; linesPerSecond: number; megabytesOnWire: number; contentEncoding: string; rssBaselineMb: number; rssPeakMb: number; rssAddedMb: number; serverCpuMsPer1000Lines: number; postgresCpuMsPer1000Lines: number };
type Slowdown = Record<string, { p50: number; p95: number }>;
type Round = {
  /** `uptime` as the round began (its load average: the machine is shared). */
  uptime: string;
  withoutExport: PageLoad;
  loadAloneRss: { baselineMb: number; peakMb: number; addedMb: number };
  exportAlone: ExportRun;
  duringExport: PageLoad;
  exportUnderLoad: ExportRun;
  withoutExportAfter: PageLoad;
  /** (c) against (a), against (d), and against (a) and (d) together. */
  slowdown: Slowdown;
  slowdownVsAfter: Slowdown;
  slowdownVsBoth: Slowdown;
  /** How many of the machine's cores were busy (all processes, /proc/stat) in (a), (c) and (d). */
  busyCores: { without: number; during: number; after: number };
};

/** The machine's busy and total CPU time so far (/proc/stat, every core, in clock ticks). */
function machineTicks(): { busy: number; total: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - (f[4] ?? 0), total };
}
/** Busy cores between two machineTicks. */
const busyCores = (a: { busy: number; total: number }, b: { busy: number; total: number }) => Math.round(((b.busy - a.busy) / Math.max(1, b.total - a.total)) * cpus().length * 100) / 100;

const uptime = () => execSync("uptime").toString().trim();

/** The process and its descendants (from /proc). */
function processTree(rootPid: number): Set<number> {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // ended meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (tree.has(pid) || !tree.has(ppid)) continue;
      tree.add(pid);
      grew = true;
    }
  }
  return tree;
}

/** CPU (ms) so far of each PostgreSQL backend serving one of the server's connections. */
async function backendCpuMs(db: pg.Client, serverPid: number): Promise<Map<number, number>> {
  const tree = processTree(serverPid);
  const ports = new Set<number>();
  // ss run without blocking: the samples during an export must not hold up this process's page views.
  for (const line of (await promisify(exec)("ss -tnpH state established '( dport = :5432 )'")).stdout.split("\n")) {
    const pid = Number(/pid=(\d+)/.exec(line)?.[1]);
    const port = Number(/\S+:(\d+)\s+\S+:5432/.exec(line)?.[1]);
    if (tree.has(pid) && port) ports.add(port);
  }
  const { rows } = await db.query<{ pid: number; port: number }>("SELECT pid, client_port AS port FROM pg_stat_activity WHERE client_port = ANY($1::int[])", [[...ports]]);
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpu.set(pid, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // ended meanwhile
    }
  }
  return cpu;
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error("[bench:export-load] needs DATABASE_URL pointing at a PostgreSQL server.");
    process.exit(1);
  }
  const url = await prepareServedDataset(serverUrl, SCALE, log);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const consents = (await c.query("SELECT count(*)::int AS n FROM consent_events WHERE kind = 'GRANT'")).rows[0].n as number;
  log(`dataset ${benchDatabaseName(SCALE)}: ${consents.toLocaleString("en-US")} consents; ${USERS} users; Accept-Encoding: ${ENCODING}; client: ${BENCH_CLIENT}`);
  const before = uptime();
  log(`uptime before: ${before}`);

  const rounds: Round[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const roundUptime = uptime();
    log(`round ${round}: ${roundUptime}`);
    const server = await startServer(url, PORT, {}, NODE_ARGS);
    try {
      const privacy = await signIn(server.url, "privacy@wegovern.demo", DEMO_PASSWORD);
      const admin = await signIn(server.url, "admin@wegovern.demo", DEMO_PASSWORD);
      const pages = [
        { name: "consent list", url: `${server.url}/privacy/consents`, cookie: privacy },
        { name: "audit trail", url: `${server.url}/audit`, cookie: admin },
      ];
      for (let i = 0; i < 10; i++) for (const p of pages) await view(p.url, p.cookie);

      /** USERS users, each loading the pages in turn, until `stop()`; per page the response times. */
      async function load(stop: () => boolean): Promise<Map<string, number[]>> {
        const times = new Map(pages.map((p) => [p.name, [] as number[]]));
        await Promise.all(
          Array.from({ length: USERS }, async (_, user) => {
            for (let i = user; !stop(); i++) {
              const p = pages[i % pages.length];
              const t0 = performance.now();
              await view(p.url, p.cookie);
              if (!stop()) times.get(p.name)!.push(performance.now() - t0);
            }
          }),
        );
        return times;
      }
      const timings = (times: Map<string, number[]>): PageLoad => Object.fromEntries([...times].map(([name, xs]) => [name, percentiles(xs)]));
      const pct = (a: number, b: number) => Math.round((a / b - 1) * 100);
      const slowdownOf = (during: PageLoad, without: PageLoad): Slowdown =>
        Object.fromEntries(Object.keys(without).map((name) => [name, { p50: pct(during[name].p50, without[name].p50), p95: pct(during[name].p95, without[name].p95) }]));

      /** The export over HTTP, read at full speed; memory sampled every 100 ms. */
      async function exportOnce(): Promise<ExportRun> {
        const baseline = treeRssMb(server.pid);
        let peak = baseline;
        const sampler = setInterval(() => (peak = Math.max(peak, treeRssMb(server.pid))), 100);
        const cpu0 = treeCpuMs(server.pid);
        const pg0 = await backendCpuMs(c, server.pid);
        // The export's connection (its worker's own) opens after the first sample and closes before
        // the last: the backends are sampled every 250 ms and each one's latest figure kept, so the
        // time of one that ended meanwhile counts up to its last sample (at most 250 ms of it lost).
        const pgSeen = new Map(pg0);
        let pgSampling: Promise<void> | null = null;
        const pgSample = () => (pgSampling ??= backendCpuMs(c, server.pid).then((m) => {
          for (const [pid, ms] of m) pgSeen.set(pid, ms);
          pgSampling = null;
        }));
        const pgSampler = setInterval(() => void pgSample(), 250);
        const t0 = performance.now();
        let lines = 0;
        let bytes = 0;
        let contentEncoding = "identity";
        if (BENCH_CLIENT === "wire") {
          ({ newlines: lines, bytes, contentEncoding } = await readExport(`${server.url}/privacy/consents/export`, privacy));
        } else {
          const r = await fetch(`${server.url}/privacy/consents/export`, { headers: { Cookie: privacy, "Accept-Encoding": ENCODING } });
          if (r.status !== 200) throw new Error(`export: HTTP ${r.status}`);
          contentEncoding = r.headers.get("content-encoding") ?? "identity";
          const reader = r.body!.getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            bytes += value.byteLength;
            for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
          }
        }
        const seconds = (performance.now() - t0) / 1000;
        const cpu = treeCpuMs(server.pid) - cpu0;
        clearInterval(pgSampler);
        await pgSampling;
        await pgSample();
        const pgCpu = postgresCpuMsSince(pg0, pgSeen);
        clearInterval(sampler);
        peak = Math.max(peak, treeRssMb(server.pid));
        lines -= 1; // the header
        if (lines !== consents) throw new Error(`export: ${lines} lines, expected ${consents}`);
        return {
          lines,
          seconds: Math.round(seconds * 10) / 10,
          linesPerSecond: Math.round(lines / seconds),
          // The bytes on the wire (fetch hands over the decoded body: with BENCH_CLIENT=fetch, the
          // decoded size when compressed).
          megabytesOnWire: Math.round(bytes / 1048576),
          contentEncoding,
          rssBaselineMb: Math.round(baseline),
          rssPeakMb: Math.round(peak),
          rssAddedMb: Math.round(peak - baseline),
          serverCpuMsPer1000Lines: Math.round((cpu / lines) * 1000 * 10) / 10,
          postgresCpuMsPer1000Lines: Math.round((pgCpu / lines) * 1000 * 10) / 10,
        };
      }

      const warmUntil = Date.now() + WARMUP_SECONDS * 1000;
      await load(() => Date.now() > warmUntil);
      const until = Date.now() + LOAD_SECONDS * 1000;
      const loadBaseline = treeRssMb(server.pid);
      let loadPeak = loadBaseline;
      const loadSampler = setInterval(() => (loadPeak = Math.max(loadPeak, treeRssMb(server.pid))), 100);
      const m0 = machineTicks();
      const c0 = process.cpuUsage();
      const pagesBefore = await load(() => Date.now() > until);
      const m1 = machineTicks();
      const c1 = process.cpuUsage();
      const withoutExport = timings(pagesBefore);
      clearInterval(loadSampler);
      const loadAloneRss = { baselineMb: Math.round(loadBaseline), peakMb: Math.round(loadPeak), addedMb: Math.round(loadPeak - loadBaseline) };
      const exportAlone = await exportOnce();
      let done = false;
      const m2 = machineTicks();
      const c2 = process.cpuUsage();
      const [exportUnderLoad, during] = await Promise.all([exportOnce().finally(() => (done = true)), load(() => done)]);
      const m3 = machineTicks();
      const c3 = process.cpuUsage();
      const duringExport = timings(during);
      const afterUntil = Date.now() + Math.max(10, exportUnderLoad.seconds) * 1000;
      const pagesAfter = await load(() => Date.now() > afterUntil);
      const m4 = machineTicks();
      const c4 = process.cpuUsage();
      const busy = { without: busyCores(m0, m1), during: busyCores(m2, m3), after: busyCores(m3, m4) };
      const ownMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => Math.round((b.user - a.user + b.system - a.system) / 1000);
      log(`round ${round}: this client's own CPU: ${ownMs(c0, c1)} ms in (a), ${ownMs(c2, c3)} ms in (c), ${ownMs(c3, c4)} ms in (d)`);
      const withoutExportAfter = timings(pagesAfter);
      const both = timings(new Map([...pagesBefore].map(([name, xs]) => [name, [...xs, ...pagesAfter.get(name)!]])));
      const slowdown = slowdownOf(duringExport, withoutExport);
      const slowdownVsAfter = slowdownOf(duringExport, withoutExportAfter);
      const slowdownVsBoth = slowdownOf(duringExport, both);
      rounds.push({ uptime: roundUptime, withoutExport, loadAloneRss, exportAlone, duringExport, exportUnderLoad, withoutExportAfter, slowdown, slowdownVsAfter, slowdownVsBoth, busyCores: busy });
      const e = (x: ExportRun) => `${x.lines.toLocaleString("en-US")} lines in ${x.seconds} s = ${x.linesPerSecond.toLocaleString("en-US")} lines/s (${x.contentEncoding}, ${x.megabytesOnWire} MB), server RSS ${x.rssBaselineMb} → ${x.rssPeakMb} MB (+${x.rssAddedMb} MB), server CPU (pages beside it included) ${x.serverCpuMsPer1000Lines} ms per 1,000 lines, PostgreSQL's for the server's connections ${x.postgresCpuMsPer1000Lines} ms`;
      log(`round ${round}: ${USERS} users' pages alone for ${LOAD_SECONDS} s: server RSS ${loadAloneRss.baselineMb} → ${loadAloneRss.peakMb} MB (+${loadAloneRss.addedMb} MB)`);
      log(`round ${round}: export alone: ${e(exportAlone)}`);
      log(`round ${round}: busy cores of ${cpus().length} (every process on the machine): ${busy.without} without the export, ${busy.during} during it, ${busy.after} after it`);
      log(`round ${round}: export beside ${USERS} users: ${e(exportUnderLoad)}`);
      const signed = (x: { p50: number; p95: number }) => `${x.p50 >= 0 ? "+" : ""}${x.p50} % / ${x.p95 >= 0 ? "+" : ""}${x.p95} %`;
      for (const name of Object.keys(withoutExport)) {
        const a = withoutExport[name];
        const b = duringExport[name];
        const d = withoutExportAfter[name];
        log(
          `round ${round}: ${name}, ${USERS} users: without export p50 ${a.p50} / p95 ${a.p95} ms (n ${a.n}); during export p50 ${b.p50} / p95 ${b.p95} ms (n ${b.n}): ${signed(slowdown[name])}; ` +
            `without again after it p50 ${d.p50} / p95 ${d.p95} ms (n ${d.n}): ${signed(slowdownVsAfter[name])} against it, ${signed(slowdownVsBoth[name])} against both windows`,
        );
      }
    } finally {
      await server.stop();
    }
  }
  await c.end();
  const after = uptime();
  log(`uptime after: ${after}`);
  const out = path.resolve(`bench/results/export-load${LABEL ? `-${LABEL}` : ""}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), scale: SCALE, database: benchDatabaseName(SCALE), consents, users: USERS, loadSeconds: LOAD_SECONDS, warmupSeconds: WARMUP_SECONDS, acceptEncoding: ENCODING, client: BENCH_CLIENT, nodeArgs: NODE_ARGS, uptimeBefore: before, uptimeAfter: after, rounds }, null, 2));
  log(`figures written to ${out}`);
}

await main();
