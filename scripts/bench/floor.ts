import { execSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_PASSWORD } from "../../prisma/seed";
import { ASYNC_CONTEXT_FRAME } from "../serve.mjs";
import { prepareServedDataset } from "./_dataset";
import { BROWSER_ACCEPT_ENCODING, ensureBuild, getPage, navigationRequest, serveUntilReady, signIn, startServer, treeCpuMs, type Server } from "./_server";

// Issue 20's floor: what Next.js itself costs per request on this machine, beside what the portal
// costs, measured in one run by the same method as `bench -- pages` (the CPU time of a server's
// process tree over BENCH_CPU_RUNS requests one after another, divided by the count).
//
// A minimal Next.js app is written to a temporary directory (its node_modules a link to this
// project's, so the same Next.js, React and Node) and built: a prerendered page (/static), a dynamic
// page that renders one paragraph (/empty: `await connection()`, no data, no layout but <html> and
// <body>), and a dynamic page that renders a 50-row table with a link per row and nothing else
// (/list: the markup of a list page without its data, its filters or the portal's shell). Three
// servers run side by side:
//   A. the minimal app under bare `next start`: Next.js alone;
//   B. the minimal app under scripts/serve.mjs, as `npm start` serves the portal (the gate, the
//      security headers, gzip level 1): A plus our production server;
//   C. the portal under scripts/serve.mjs on the benchmark's dataset (BENCH_SCALE, default 0.1):
//      /settings (the almost empty page of the issue's target), its client navigation from the
//      home page, and the audit trail's first page.
// Every server runs on this Node with the option the portal's server runs with
// (ASYNC_CONTEXT_FRAME, scripts/serve.mjs) and none of them compresses but serve.mjs. After
// BENCH_WARMUP requests per target (default 200: V8 has compiled the hot paths by then), BENCH_ROUNDS
// rounds (default 3) measure each target in turn, so the machine's load falls on all of them alike.
// The warm-up's own CPU per request is recorded in blocks of 50 (the first block includes the
// compilation of each page's code). Requests carry the Accept-Encoding a browser sends. Figures go to bench/results/floor[-BENCH_LABEL].json.

const log = (line: string) => console.log(`[bench:floor] ${line}`);
const ROOT = path.resolve(import.meta.dirname, "../..");
const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const RUNS = Number(process.env.BENCH_CPU_RUNS ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 4660);
const LABEL = process.env.BENCH_LABEL ?? "";
const NODE_ARGS = process.env.WEGOVERN_ASYNC_CONTEXT_FRAME === "0" ? [] : [ASYNC_CONTEXT_FRAME];

/** The minimal app's files. Plain JSX, so the build needs no TypeScript setup of its own. */
function minimalApp(root: string): Record<string, string> {
  return {
    "package.json": JSON.stringify({ name: "wegovern-floor", private: true }),
    // Turbopack only reads files under its root; node_modules is a link to this project's, so the
    // root is the two directories' common ancestor. Compression is left to serve.mjs, as the portal's.
    "next.config.mjs": `export default { compress: false, poweredByHeader: false, turbopack: { root: ${JSON.stringify(root)} } };\n`,
    "app/layout.jsx": `export default function RootLayout({ children }) {
  return (
    <html lang="zh-CN">
      <body>{children}</body>
    </html>
  );
}
`,
    "app/static/page.jsx": `export default function Page() {
  return <p>你好</p>;
}
`,
    "app/empty/page.jsx": `import { connection } from "next/server";

export default async function Page() {
  await connection();
  return <p>你好</p>;
}
`,
    "app/list/page.jsx": `import { connection } from "next/server";

export default async function Page() {
  await connection();
  const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, at: "2026-12-07 08:" + String(i).padStart(2, "0") + ":00", who: "员工" + i, what: "group.approve", detail: "工作群 " + i + " 已批准" }));
  return (
    <main>
      <h1>审计日志</h1>
      <table>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.at}</td>
              <td>{r.who}</td>
              <td>{r.what}</td>
              <td>{r.detail}</td>
              <td>
                <a href={"/list/" + r.id}>详情</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
`,
  };
}

/** The longest directory both paths are under. */
function commonAncestor(a: string, b: string): string {
  const x = a.split(path.sep);
  const y = b.split(path.sep);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i).join(path.sep) || path.sep;
}

function writeMinimalApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "wegovern-floor-"));
  for (const [file, text] of Object.entries(minimalApp(commonAncestor(dir, ROOT)))) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], { cwd: dir, stdio: "pipe", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`the minimal app did not build:\n${r.stdout}\n${r.stderr}`);
}

/** Serves the minimal app (cwd `dir`) with `entry` and its arguments, until /empty answers. */
function serveMinimal(dir: string, entry: string[], port: number): Promise<Server> {
  return serveUntilReady({
    command: [...NODE_ARGS, ...entry],
    cwd: dir,
    env: {},
    port,
    async ready(url) {
      const r = await fetch(`${url}/empty`).catch(() => null);
      await r?.arrayBuffer();
      return Boolean(r?.ok);
    },
  });
}

type Target = { key: string; label: string; server: Server; path: string; cookie: string; headers: Record<string, string>; bytes?: number; cpu: number[]; warmup: number[] };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Sends `n` requests to the target one after another: its server's CPU per request, to 0.1 ms. */
async function cpuPerRequest(t: Target, n: number): Promise<number> {
  const cpu0 = treeCpuMs(t.server.pid);
  for (let i = 0; i < n; i++) t.bytes = await getPage(t.server.url + t.path, t.cookie, t.headers);
  return round1((treeCpuMs(t.server.pid) - cpu0) / n);
}

async function main() {
  ensureBuild(log);
  const url = await prepareServedDataset(process.env.DATABASE_URL, SCALE, log);
  log(`building the minimal Next.js app (${RUNS} requests per figure, ${ROUNDS} rounds, ${WARMUP} warm-up requests per target)`);
  const dir = writeMinimalApp();
  const servers: Server[] = [];
  try {
    const bare = await serveMinimal(dir, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(PORT), "-H", "127.0.0.1"], PORT);
    servers.push(bare);
    const gated = await serveMinimal(dir, [path.join(ROOT, "scripts/serve.mjs")], PORT + 1);
    servers.push(gated);
    const portal = await startServer(url, PORT + 2);
    servers.push(portal);
    const admin = await signIn(portal.url, "admin@wegovern.demo", DEMO_PASSWORD);
    const doc = { "Accept-Encoding": BROWSER_ACCEPT_ENCODING };
    const minimalNav = await navigationRequest("/static", "/empty", { groups: [], acceptEncoding: BROWSER_ACCEPT_ENCODING });
    const portalNav = await navigationRequest("/", "/settings", { groups: ["(portal)"], acceptEncoding: BROWSER_ACCEPT_ENCODING });
    const targets: Target[] = [];
    const add = (key: string, label: string, server: Server, path: string, headers: Record<string, string>, cookie = "") => targets.push({ key, label, server, path, cookie, headers, cpu: [], warmup: [] });
    for (const [server, prefix, name] of [
      [bare, "bare", "A. Next.js alone (next start)"],
      [gated, "gated", "B. Next.js + scripts/serve.mjs"],
    ] as const) {
      add(`${prefix}-static`, `${name}: prerendered page`, server, "/static", doc);
      add(`${prefix}-empty`, `${name}: dynamic, one paragraph`, server, "/empty", doc);
      add(`${prefix}-empty-navigation`, `${name}: the same, client navigation`, server, minimalNav.path, minimalNav.headers);
      add(`${prefix}-list`, `${name}: dynamic, 50-row table`, server, "/list", doc);
    }
    add("portal-settings", "C. the portal: /settings (ADMIN)", portal, "/settings", doc, admin);
    add("portal-settings-navigation", "C. the portal: /settings, client navigation", portal, portalNav.path, portalNav.headers, admin);
    add("portal-audit", "C. the portal: audit trail, page 1", portal, "/audit", doc, admin);

    // The warm-up is measured too, in blocks of 50 requests: how far from its steady cost a freshly
    // started server is while V8 compiles the hot paths.
    for (const t of targets) for (let done = 0; done < WARMUP; done += 50) t.warmup.push(await cpuPerRequest(t, Math.min(50, WARMUP - done)));
    const loadBefore = execSync("uptime").toString().trim();
    log(`load before: ${loadBefore}`);
    for (let r = 1; r <= ROUNDS; r++) {
      for (const t of targets) t.cpu.push(await cpuPerRequest(t, RUNS));
      log(`round ${r} of ${ROUNDS} done`);
    }
    const loadAfter = execSync("uptime").toString().trim();
    log(`load after: ${loadAfter}`);

    console.log("\ntarget | CPU ms/request: median (rounds) | warm-up, per block of 50 | KB (decompressed)");
    for (const t of targets) console.log(`${t.label} | ${median(t.cpu)} (${t.cpu.join(", ")}) | ${t.warmup.join(" → ")} | ${round1((t.bytes ?? 0) / 1024)}`);
    const m = (key: string) => median(targets.find((t) => t.key === key)!.cpu);
    console.log(
      `\nmedians: Next.js alone renders an empty dynamic page for ${m("bare-empty")} ms (a prerendered one ${m("bare-static")}); ` +
        `serve.mjs adds ${round1(m("gated-empty") - m("bare-empty"))} ms to it; ` +
        `the portal's /settings costs ${round1(m("portal-settings") - m("gated-empty"))} ms above the minimal dynamic page served the same way ` +
        `(navigation: ${round1(m("portal-settings-navigation") - m("gated-empty-navigation"))} ms above its minimal counterpart).`,
    );
    mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
    const file = path.join(ROOT, `bench/results/floor${LABEL ? `-${LABEL}` : ""}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          label: LABEL || null,
          node: process.version,
          nodeArgs: NODE_ARGS,
          scale: SCALE,
          runs: RUNS,
          warmup: WARMUP,
          rounds: ROUNDS,
          loadBefore,
          loadAfter,
          targets: targets.map((t) => ({ key: t.key, label: t.label, path: t.path.split("?")[0], bytes: t.bytes, cpuMsPerRequest: t.cpu, median: median(t.cpu), warmupMsPerRequest: t.warmup })),
        },
        null,
        2,
      ),
    );
    log(`figures written to ${file}`);
  } finally {
    for (const s of servers.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
