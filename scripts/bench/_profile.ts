import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

// Summarises a V8 CPU profile (`node --cpu-prof`, e.g. the server of `BENCH_CPU_PROF=dir npm run
// bench -- pages`): self time by where the code comes from (React, Next, Prisma, Auth.js, our own
// code, garbage collection …) and the functions with the most self time, plus the total time spent
// under a few functions of interest (inclusive: the function and everything it called). Usage:
//   node --import tsx scripts/bench/_profile.ts <file.cpuprofile> [requests | window.json] [function…]
// A function is named as the profile names it (`renderToHTMLOrFlight`), or `name@part-of-its-file`
// (`handleRequest@base-server`) when the name alone is ambiguous, or `@part-of-a-file` for
// everything under any function of that file (`@compress.mjs`, or a bundle's chunk: production
// bundles are minified, their functions have no useful names). Self time is also given by source
// file: a frame in a bundle with a source map beside it (the app's chunks under .next/server, Next.js's
// compiled runtimes) is counted under the file it was built from (`app/…`, `lib/…`, React's server
// renderers, Next.js's own sources), through Node's own source-map reader.

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

// The second argument is a request count, or the window-<page>.json the pages bench wrote beside the
// profile: then only the samples inside its measured window count (no start-up, no warm-up).
const [file, requestsArg, ...inclusive] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, "utf8")) as Profile;
const window = requestsArg?.endsWith(".json") ? (JSON.parse(readFileSync(requestsArg, "utf8")) as { requests: number; fromUs: number; toUs: number }) : null;
const requests = window?.requests ?? (Number(requestsArg ?? 1) || 1);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
let at = prof.startTime;
for (let i = 0; i < prof.samples.length; i++) {
  at += prof.timeDeltas[i] ?? 0;
  if (window && (at < window.fromUs || at > window.toUs)) continue;
  self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
}

function origin(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "garbage collection";
  if (fn === "(idle)" || fn === "(program)") return fn;
  if (!url) return "native / V8";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) {
    if (url.includes("next/dist/compiled/react-dom") || url.includes("react-server-dom")) return `${m[1]} (react-dom / flight)`;
    return m[1];
  }
  if (url.includes(".next/server/chunks/ssr") || url.includes(".next/server/app")) return ".next bundles (app + bundled packages)";
  if (url.startsWith("node:")) return "node:internal";
  return url.replace(/^file:\/\/.*?\/(lib|app|components|scripts)\//, "$1/");
}

const maps = new Map<string, SourceMap | null>();
/** The file a frame's code was built from, through the source map beside its bundle, or null. */
function sourceOf(url: string, line: number, column: number): string | null {
  if (!url.startsWith("file://") || !(url.includes("/.next/server/") || url.includes("/compiled/"))) return null;
  const file = fileURLToPath(url);
  if (!maps.has(file)) maps.set(file, existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8"))) : null);
  const entry = maps.get(file)?.findEntry(line, column);
  const source = entry && "originalSource" in entry ? entry.originalSource : null;
  return source ? decodeURIComponent(source).replace(/^.*\[project\]\//, "").replace(/^(\.\.\/)+/, "").replace(/^webpack:\/\//, "").replace(/^next\/\.\//, "next/") : null;
}

const byOrigin = new Map<string, number>();
const byFn = new Map<string, number>();
const bySource = new Map<string, number>();
let total = 0;
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const o = origin(n.callFrame.url, n.callFrame.functionName);
  total += us;
  byOrigin.set(o, (byOrigin.get(o) ?? 0) + us);
  const key = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*\/(node_modules|\.next)\//, "$1/")}:${n.callFrame.lineNumber}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  const source = sourceOf(n.callFrame.url, n.callFrame.lineNumber, n.callFrame.columnNumber) ?? (o.startsWith("node:") || o === "native / V8" || !n.callFrame.url.includes("node_modules/") ? o : n.callFrame.url.replace(/^.*\/node_modules\//, ""));
  bySource.set(source, (bySource.get(source) ?? 0) + us);
}
const ms = (us: number) => (us / 1000 / requests).toFixed(2);
const busy = total - (byOrigin.get("(idle)") ?? 0);
console.log(`profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy; figures in ms per request over ${requests} requests`);
console.log("\nself time by origin:");
for (const [o, us] of [...byOrigin].sort((a, b) => b[1] - a[1]).slice(0, 25)) if (o !== "(idle)") console.log(`  ${ms(us).padStart(8)}  ${o}`);
console.log("\nself time by source file (bundles mapped to what they were built from):");
for (const [f, us] of [...bySource].sort((a, b) => b[1] - a[1]).slice(0, 40)) if (!f.startsWith("(idle)")) console.log(`  ${ms(us).padStart(8)}  ${f}`);
const ours = [...bySource].filter(([f]) => /^(app|lib|components|proxy|scripts)\//.test(f)).reduce((sum, [, us]) => sum + us, 0);
console.log(`  ${ms(ours).padStart(8)}  (of which the project's own files: app/, lib/, components/, proxy, scripts/)`);
console.log("\nfunctions by self time:");
for (const [f, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${ms(us).padStart(8)}  ${f}`);
if (inclusive.length) {
  console.log("\ninclusive time under:");
  for (const spec of inclusive) {
    const [name, file] = spec.split("@");
    const matches = (n: Node) => (!name || n.callFrame.functionName === name) && (!file || n.callFrame.url.includes(file));
    let sum = 0;
    for (const [id, us] of self) {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        if (matches(byId.get(cur)!)) {
          sum += us;
          break;
        }
      }
    }
    console.log(`  ${ms(sum).padStart(8)}  ${spec}`);
  }
}
