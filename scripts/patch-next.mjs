// Next.js 16 writes a page's RSC payload into its HTML document as <script> pushes
// (pullFlightData in next/src/server/app-render/stream-ops.node.ts): each chunk it reads from the
// payload is decoded, JSON.stringify'd, escaped for HTML and written as one <script>. A page with no
// Suspense boundary is read as ONE chunk (the payload is buffered while the HTML shell renders, then
// replayed in a single read), 60–80 KB on the larger lists and the dashboard. On Node 22 (and 24)
// V8 stringifies a string holding non-Latin-1 characters (our Chinese) about 15× slower per
// character once its JSON passes 65,536 characters, and the escape and the copy to bytes cost more
// on such a string too: 1.9–3.0 ms of a document's CPU under pullFlightData for the audit trail,
// groups, training overview and dashboard at scale 1, against 0.6–1.4 ms when the payload is
// written 16 KiB at a time (docs/performance.md, twelfth session; docs/decisions/0011).
//
// This script, run by `postinstall`, makes pullFlightData read at most 16 KiB at a time: a larger
// chunk is cut at a UTF-8 character boundary (never inside a character) and the rest is put back
// at the front of the stream (`readable.unshift`) for the next turn of the same loop. The browser
// receives the same bytes in more, smaller pushes, which its router joins as before. It patches the
// production runtimes of the installed Next.js in place, is idempotent (a marker), and fails the
// install if the runtime Next.js serves with (app-page-turbo) has no such loop: a Next.js upgrade
// must decide again (docs/decisions/0011) rather than lose the patch silently.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const MARKER = "/*wegovern:inline-payload-16k*/";
export const LIMIT = 16384;

// The loop as minified in Next.js 16.4's runtimes: `async function V(e,t,r){try{for(;;){let n=e.read();
// if(null!==n){let e;if((0,s.isUtf8)(n))…` — the names differ from runtime to runtime.
const LOOP = /(async function [\w$]+\(([\w$]+),[\w$]+,[\w$]+\)\{try\{for\(;;\)\{let ([\w$]+)=\2\.read\(\);)(if\(null!==\3\)\{let [\w$]+;if\(\(0,[\w$]+\.isUtf8\)\(\3\)\))/g;

/** The statement inserted after `let chunk = stream.read();`: a chunk over LIMIT bytes is cut at the
 * last character boundary at or before LIMIT (back over at most three continuation bytes,
 * 10xxxxxx), and the rest goes back to the stream. */
function cut(stream, chunk) {
  return `${MARKER}if(null!==${chunk}&&${chunk}.length>${LIMIT}){let k=${LIMIT};for(let j=0;j<3&&(${chunk}[k]&192)===128;j++)k--;${stream}.unshift(${chunk}.subarray(k));${chunk}=${chunk}.subarray(0,k)}`;
}

/** The runtime's source with the cut inserted into pullFlightData's loop; `count` is how many
 * loops were patched (0 when already patched or absent). */
export function patchSource(source) {
  if (source.includes(MARKER)) return { source, count: 0, already: true };
  let count = 0;
  const patched = source.replace(LOOP, (_all, head, stream, chunk, tail) => {
    count++;
    return `${head}${cut(stream, chunk)}${tail}`;
  });
  return { source: patched, count, already: false };
}

/** The source as Next.js shipped it: the cut taken out again (for tests and for checking). */
export function unpatchSource(source) {
  return source.replace(new RegExp(`${MARKER.replace(/[*/]/g, "\\$&")}if\\(null!==[\\w$]+&&[^}]*\\}`, "g"), "");
}

export function patchNext(nextDir) {
  const dir = path.join(nextDir, "dist/compiled/next-server");
  const results = [];
  for (const name of readdirSync(dir).filter((f) => /^app-page.*\.runtime\.prod\.js$/.test(f)).sort()) {
    const file = path.join(dir, name);
    const { source, count, already } = patchSource(readFileSync(file, "utf8"));
    if (count > 0) writeFileSync(file, source);
    results.push({ name, count, already });
  }
  const served = results.find((r) => r.name === "app-page-turbo.runtime.prod.js");
  if (!served || !(served.already || served.count === 1)) {
    throw new Error(
      `next: pullFlightData's loop was not found in ${path.join(dir, "app-page-turbo.runtime.prod.js")}. ` +
        "This Next.js is not the one docs/decisions/0011 was written for: check whether it still writes the payload as one chunk, then update or remove scripts/patch-next.mjs.",
    );
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const nextDir = path.dirname(fileURLToPath(import.meta.resolve("next/package.json")));
  try {
    const results = patchNext(nextDir);
    const done = results.filter((r) => r.count > 0).map((r) => r.name);
    console.log(done.length ? `patch-next: the page payload written 16 KiB at a time in ${done.join(", ")}` : "patch-next: already patched");
  } catch (error) {
    console.error(String(error instanceof Error ? error.message : error));
    process.exit(1);
  }
}
