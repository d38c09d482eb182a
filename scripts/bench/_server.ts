import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { PROCESS_HEADER } from "../serve.mjs";

// Shared by the benchmarks that measure the portal over HTTP: a production build served by
// scripts/serve.mjs (as `npm start` runs it) on a database of the benchmark's choosing, signed-in sessions, timing of requests
// at a chosen concurrency, and the server's memory (resident set of its process tree).

const ROOT = path.resolve(import.meta.dirname, "../..");

export function ensureBuild(log: (line: string) => void): void {
  if (existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  log("no production build: running next build (a few minutes)");
  const r = spawnSync("npx", ["next", "build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error("next build failed");
}

/** The Accept-Encoding Chromium sends. */
export const BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd";

export type Server = { url: string; pid: number; stop: () => Promise<void> };

export async function startServer(databaseUrl: string, port: number, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Server> {
  // The server production runs: `npm start` serves through scripts/serve.mjs (the gate in front of
  // Next.js, compression), run here by this Node directly (not through npm or npx, whose processes
  // would count in the server's memory and CPU). `nodeArgs` go to that Node (e.g. --cpu-prof).
  // BENCH_SERVER=next-start serves with bare `next start` instead, to compare with what the
  // benchmarks measured before they served as production does.
  const bare = process.env.BENCH_SERVER === "next-start";
  const entry = bare ? [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"] : [path.join(ROOT, "scripts/serve.mjs")];
  // Ready when every process answers: WEB_PROCESSES (in `env`) processes behind serve.mjs's
  // balancer, which hands new connections to each in turn and names the one that answered.
  const processes = bare ? 1 : Number(env.WEB_PROCESSES ?? process.env.WEB_PROCESSES ?? 1);
  const seen = new Set<string>();
  return serveUntilReady({
    command: [...nodeArgs, ...entry],
    cwd: ROOT,
    env: { DATABASE_URL: databaseUrl, WEGOVERN_JOBS: "0", ...env },
    port,
    async ready(url) {
      const r = await fetch(`${url}/login`, { headers: { connection: "close" } }).catch(() => null);
      if (r?.ok) seen.add(r.headers.get(PROCESS_HEADER) ?? "1");
      await r?.arrayBuffer();
      return seen.size >= processes;
    },
  });
}

/** Starts this Node with `command` (its options, a script and the script's arguments) in `cwd`, as a
 * production server on 127.0.0.1:`port` in a process group of its own, and waits until `ready`
 * (asked every half second, for at most five minutes) says it answers. Its output is kept for the
 * error if it exits or never comes up; `stop` ends the whole group. */
export async function serveUntilReady({ command, cwd, env, port, ready }: { command: string[]; cwd: string; env: Record<string, string>; port: number; ready: (url: string) => Promise<boolean> }): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, command, {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; !(await ready(url)); i++) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`);
    if (i > 600) throw new Error(`the server did not come up: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        return; // already gone
      }
      await exited;
    },
  };
}

/** The sum of `read(pid)` over a process and all its descendants, from /proc: `read` gives a
 * process's parent and its value, or throws when the process ended meanwhile. */
function sumOverTree(rootPid: number, read: (pid: number) => { ppid: number; value: number }): number {
  const children = new Map<number, number[]>();
  const values = new Map<number, number>();
  for (const entry of readdirProc()) {
    try {
      const { ppid, value } = read(entry);
      values.set(entry, value);
      children.set(ppid, [...(children.get(ppid) ?? []), entry]);
    } catch {
      // process ended meanwhile
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    total += values.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Resident memory (MB) of a process and all its descendants, read from /proc. */
export function treeRssMb(rootPid: number): number {
  const kb = sumOverTree(rootPid, (pid) => {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return { ppid: Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0), value: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) };
  });
  return kb / 1024;
}

/** CPU time (user + system, ms) the process and all its descendants have used so far, from
 * /proc/<pid>/stat (utime, stime; clock ticks of 10 ms): sampled before and after a fixed number of
 * requests, the difference divided by the count is the server's CPU per request. Unlike response
 * times it hardly moves when other work shares the machine. */
export function treeCpuMs(rootPid: number): number {
  const ticks = sumOverTree(rootPid, (pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces: the fields after it start past its ")".
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(f[1]), value: Number(f[11]) + Number(f[12]) };
  });
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** CPU time (user + system, ms) the PostgreSQL backends connected to `database` have used so far
 * (a backend's process title names its database): sampled around the same requests as
 * treeCpuMs, it is PostgreSQL's share of a page, which competes for the same cores under load. A
 * backend that exits inside the window takes its time with it (the app's pool keeps its
 * connections open, so it is read on the pool's warm connections). Per backend, by process id. */
export function postgresCpuMs(database: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const pid of readdirProc()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").split(" ").includes(database)) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      byPid.set(pid, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return byPid;
}

/** The CPU time (ms) the backends of `after` spent since `before` (postgresCpuMs both): a backend
 * started inside the window counts from zero; one that exited inside it is missing from `after`
 * and counts nothing (before, the sum of every backend went below zero when one exited). Also
 * for `bench -- export-load`, whose backends are the server's connections. */
export function postgresCpuMsSince(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, cpu] of after) ms += cpu - (before.get(pid) ?? 0);
  return ms;
}

function readdirProc(): number[] {
  return readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number);
}

/** Signs in through Auth.js's credentials endpoint and returns the Cookie header of the session. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  keep(csrf);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const r = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie() },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${url}/` }),
  });
  keep(r);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in as ${email} failed (${r.status})`);
  return cookie();
}

export type Timing = { p50: number; p95: number; n: number };

export function percentiles(xs: number[]): Timing {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: Math.round(at(0.5) * 10) / 10, p95: Math.round(at(0.95) * 10) / 10, n: s.length };
}

/** Runs `work` `total` times with `concurrency` in flight, returning each run's milliseconds. */
export async function timed(total: number, concurrency: number, work: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t0 = performance.now();
        await work();
        times.push(performance.now() - t0);
      }
    }),
  );
  return times;
}

/** The load client's connections: kept alive, as a browser's and as fetch's are, enough for 32 at once. */
const wireAgent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One GET as sent over the wire, nothing decompressed: status, content type and encoding, and the
 * bytes transferred. */
export function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; type: string; encoding: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: wireAgent }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["content-type"] ?? ""), encoding: String(res.headers["content-encoding"] ?? "identity"), bytes }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * GETs a page with the session (and any further request headers) and reads the whole body as it
 * arrives on the wire, without decompressing it; returns the bytes received. Throws unless 200.
 * The timed loads of `bench -- pages` and `bench -- export-load` use this: the client shares the
 * server's two cores, and fetch with the body decompressed cost it 3.3–4.1 ms of CPU per list
 * document against 0.8–1.0 here (docs/performance.md, "The bench's own client", fourteenth
 * session). The response time is the same thing either way (the last byte received); what a
 * browser does with the bytes happens on its own machine.
 */
export async function wireGet(url: string, cookie: string, headers: Record<string, string> = {}): Promise<number> {
  const r = await rawGet(url, { ...headers, Cookie: cookie });
  if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
  return r.bytes;
}

/** The client the benches time their page views with: wireGet, or with BENCH_CLIENT=fetch getPage
 * (fetch, the body decompressed: the client of the figures before the fourteenth session). */
export const BENCH_CLIENT = process.env.BENCH_CLIENT === "fetch" ? "fetch" : "wire";
export const timedGet = (url: string, cookie: string, headers: Record<string, string> = {}) => (BENCH_CLIENT === "fetch" ? getPage(url, cookie, headers) : wireGet(url, cookie, headers));

/** GETs a page with the session (and any further request headers) and reads the whole body,
 * decompressed; returns its size. Throws unless 200. */
export async function getPage(url: string, cookie: string, headers: Record<string, string> = {}): Promise<number> {
  const r = await fetch(url, { headers: { ...headers, Cookie: cookie }, redirect: "manual" });
  const body = await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
  return body.byteLength;
}

/** The router state tree the browser's router sends (Next-Router-State-Tree) while it shows `path`,
 * a static page: every segment of the path under the root layout and the route `groups` the page is
 * in (the portal's pages are in "(portal)"), the page itself last, each as
 * [segment, children, null, null, 0] and the root marked 16 — byte for byte what Chromium sent on a
 * click in the sidebar (captured with Playwright, Next.js 16). */
function routerStateTree(path: string, groups: string[]): string {
  const segments = [...groups, ...path.split("/").filter(Boolean)];
  let tree: unknown[] = ["__PAGE__", {}, null, null, 0];
  for (const segment of segments.reverse()) tree = [segment, { children: tree }, null, null, 0];
  return encodeURIComponent(JSON.stringify(["", { children: tree }, null, null, 16]));
}

/** The request of a client navigation from `from` to `to`, as the browser's router sends it: RSC,
 * the router state tree of the page it shows, Next-Url (that page's path), and the `_rsc` search
 * parameter, a hash of those headers that Next.js checks (a request without the right one is
 * redirected to it), computed by Next.js's own function. */
export async function navigationRequest(from: string, to: string, { groups, acceptEncoding }: { groups: string[]; acceptEncoding: string }): Promise<{ path: string; headers: Record<string, string> }> {
  const require = createRequire(import.meta.url);
  const { computeCacheBustingSearchParam } = require("next/dist/shared/lib/router/utils/cache-busting-search-param") as {
    computeCacheBustingSearchParam: (prefetch: string | undefined, segmentPrefetch: string | undefined, stateTree: string | undefined, nextUrl: string | undefined) => Promise<string>;
  };
  const tree = routerStateTree(from, groups);
  const hash = await computeCacheBustingSearchParam(undefined, undefined, tree, from);
  return { path: `${to}${to.includes("?") ? "&" : "?"}_rsc=${hash}`, headers: { RSC: "1", "Next-Router-State-Tree": tree, "Next-Url": from, "Accept-Encoding": acceptEncoding } };
}
