// The production HTTP server (`npm start` runs it in place of `next start`): Next.js behind a
// gate that does what only the socket and the raw request can tell (docs/security.md).
//  - The direct peer's address goes to the app in PEER_HEADER (any copy the client sent is
//    removed): lib/server/client-ip.ts trusts X-Forwarded-For and friends only from the proxies
//    in TRUSTED_PROXIES, and it needs to know who the peer is to decide that.
//  - A page request gets its security headers here — a fresh CSP nonce, the policy, HSTS, the path
//    header — from lib/server/page-headers.mjs, which proxy.ts uses when there is no gate
//    (`next dev`); the request is marked so that Next.js's proxy round is skipped.
//  - Requests Next.js would answer with a 500 and a stack trace in the log are answered here with
//    a 4xx: a path whose percent-encoding is broken; a Server Action post from another origin,
//    without a length, over the body limit, with a malformed multipart body, or with JSON that
//    does not parse or nests deeper than React's decoder can follow.
// Plain JavaScript, so Node runs it as it is (it is not part of Next's build).
import cluster from "node:cluster";
import { createServer, IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import { isIP } from "node:net";
import { GATED_HEADER, NONCE_HEADER, PATH_HEADER, PEER_HEADER, pageHeaders, wantsPageHeaders } from "../lib/server/page-headers.mjs";
import { createCompression } from "./compress.mjs";

export { GATED_HEADER, PEER_HEADER };
/** Next's own limit for Server Action bodies is experimental.serverActions.bodySizeLimit
 * (next.config.ts, 2 MB); a body above it is refused here before it is read. */
export const ACTION_BODY_LIMIT = 2 * 1024 * 1024;
/** Nesting deeper than this in an action's JSON is refused (React's decoder recurses). */
export const MAX_JSON_DEPTH = 128;

const require = createRequire(import.meta.url);

function answer(res, status, message) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  res.end(`${message}\n`);
}

/** Every segment of the path decodes (a "%" is followed by two hex digits making UTF-8). */
export function pathDecodes(url) {
  const path = (url ?? "/").split("?")[0];
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** A POST that Next.js would treat as a Server Action: it names one, or it is multipart to a page. */
function isPossibleAction(req) {
  if (req.method !== "POST") return false;
  if (req.headers["next-action"]) return true;
  const path = (req.url ?? "/").split("?")[0];
  return !path.startsWith("/api/") && /^multipart\/form-data/i.test(req.headers["content-type"] ?? "");
}

/** Next's CSRF rule for actions: the Origin's host is the host the request was sent to. */
function sameOrigin(req) {
  const origin = req.headers.origin;
  if (!origin) return true; // a hand-made request; Next lets it through with a warning
  if (origin === "null") return false;
  let host;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = req.headers["x-forwarded-host"];
  const expected = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim() || req.headers.host;
  return Boolean(expected) && host === expected;
}

/** The deepest nesting of arrays and objects in JSON text, strings skipped. */
export function jsonDepth(text) {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

function jsonProblem(text) {
  if (jsonDepth(text) > MAX_JSON_DEPTH) return "nested too deeply";
  try {
    JSON.parse(text);
    return null;
  } catch {
    return "not valid JSON";
  }
}

/** A field of an action's multipart body that carries JSON (React's encoding of arguments). */
const looksLikeJson = (value) => /^\s*[[{]/.test(value);

function multipartProblem(req, body) {
  const busboy = require("next/dist/compiled/busboy");
  return new Promise((resolve) => {
    let problem = null;
    let parser;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: "utf8" });
    } catch {
      resolve("not a valid multipart body");
      return;
    }
    parser.on("field", (_name, value) => {
      if (!problem && looksLikeJson(value) && jsonDepth(value) > MAX_JSON_DEPTH) problem = "nested too deeply";
    });
    parser.on("file", (_name, stream) => stream.resume());
    parser.on("error", () => resolve("not a valid multipart body"));
    parser.on("close", () => resolve(problem));
    parser.end(body);
  });
}

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new Error("too large"));
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The same request with its body already read, for Next.js to read again. */
function replay(req, body) {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.push(body);
  copy.push(null);
  copy.complete = true;
  return copy;
}

/**
 * Looks at a request before Next.js does. Resolves to the request Next.js should handle (the same
 * one, or a replay of it when its body was read to check it), or null when it answered itself.
 */
export async function gate(req, res, { bodyLimit = ACTION_BODY_LIMIT } = {}) {
  delete req.headers[PEER_HEADER];
  delete req.headers[GATED_HEADER];
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
  if (!pathDecodes(req.url)) {
    answer(res, 400, "Bad request: the address is not validly encoded.");
    return null;
  }
  setPageHeaders(req, res);
  if (!isPossibleAction(req)) return req;
  if (!sameOrigin(req)) {
    answer(res, 403, "Forbidden: a form from another site.");
    return null;
  }
  const length = req.headers["content-length"];
  if (length === undefined) {
    answer(res, 411, "Length required.");
    return null;
  }
  if (!/^\d+$/.test(length) || Number(length) > bodyLimit) {
    answer(res, 413, "The request is too large.");
    return null;
  }
  let body;
  try {
    body = await readBody(req, bodyLimit);
  } catch {
    if (!res.headersSent) answer(res, 413, "The request is too large.");
    return null;
  }
  const type = req.headers["content-type"] ?? "";
  const problem = /^multipart\/form-data/i.test(type) ? await multipartProblem(req, body) : req.headers["next-action"] ? jsonProblem(body.toString("utf8")) : null;
  if (problem) {
    answer(res, 400, `Bad request: the body is ${problem}.`);
    return null;
  }
  return replay(req, body);
}

/**
 * What proxy.ts would do for this request, done here (lib/server/page-headers.mjs): for a page
 * request, a fresh nonce and the CSP in the request (Next.js puts the nonce on its scripts) and
 * the response, HSTS when a trusted proxy says HTTPS, the path header; any copy the client sent is
 * overwritten. The request is then marked so proxy.ts's matcher skips it.
 */
export function setPageHeaders(req, res) {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const pathname = query === -1 ? url : url.slice(0, query);
  const get = (name) => req.headers[name];
  if (!wantsPageHeaders(pathname, get)) return;
  // Next.js's own idea of the request's protocol (next-server.js attachRequestMeta), which is
  // what proxy.ts sees in request.nextUrl.
  const http = !(req.headers["x-forwarded-proto"] ?? "").includes("https");
  const { nonce, csp, hsts, path } = pageHeaders(get, { pathAndQuery: url, http });
  req.headers[NONCE_HEADER] = nonce;
  req.headers[PATH_HEADER] = path;
  req.headers["content-security-policy"] = csp;
  req.headers[GATED_HEADER] = "1";
  res.setHeader("Content-Security-Policy", csp);
  if (hsts) res.setHeader("Strict-Transport-Security", hsts);
}

/**
 * Next.js calls `flushHeaders()` just before it writes a streamed response's first chunk, which
 * sends the headers to the socket on their own: one more write (a system call, and on loopback the
 * client's wake-up) per response. Written with the first chunk instead — in the same turn of the
 * event loop, so no later — they go out in that chunk's write.
 */
export function headersWithFirstWrite(res) {
  res.flushHeaders = noop;
}
const noop = () => {};

/** The TRUSTED_PROXIES entries that are not an address or a CIDR range (lib/server/client-ip.ts
 * reads the setting; a mistake there is better refused at start than at the first sign-in). */
export function badTrustedProxies(source = "") {
  return source
    .split(/[\s,]+/)
    .filter(Boolean)
    .filter((entry) => {
      const [address, bits, extra] = entry.split("/");
      const family = isIP(address.replace(/^::ffff:(?=[\d.]+$)/i, ""));
      return !family || extra !== undefined || (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > (family === 6 ? 128 : 32)));
    });
}

/** How many Node processes serve the port (WEB_PROCESSES, default 1): a whole number from 1 to 64,
 * or null when the setting is something else (the server refuses to start). */
export function webProcesses(source = process.env.WEB_PROCESSES) {
  const text = (source ?? "").trim();
  if (text === "") return 1;
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 64 ? n : null;
}

/** The response header naming which of the processes answered (only with WEB_PROCESSES > 1). */
export const PROCESS_HEADER = "x-wegovern-process";

/**
 * The local balancer (WEB_PROCESSES > 1): Node's cluster. This primary process forks `processes`
 * copies of the script that runs it and holds the listening socket; each accepted connection is
 * handed, socket and all, to the next process in turn (round robin). The processes therefore see
 * the client's own socket — its address, the gate, streamed responses — exactly as one process
 * does, with no proxy hop and no forwarded header to trust. A process that dies after it was
 * serving is started again in its slot; one that dies before it ever listened stops the whole
 * server (a broken start would otherwise loop). SIGINT/SIGTERM are passed on; the primary exits
 * when every process has. Returns the function that stops them.
 */
export function balance(processes, { log = (line) => console.log(line), restartDelayMs = 1000 } = {}) {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  const slots = new Map(); // worker id → { slot, listening }
  let stopping = false;
  let exitCode = 0;
  const fork = (slot) => {
    const worker = cluster.fork({ WEGOVERN_PROCESS: String(slot) });
    slots.set(worker.id, { slot, listening: false });
  };
  cluster.on("listening", (worker) => {
    const entry = slots.get(worker.id);
    if (entry) entry.listening = true;
  });
  const stop = (signal = "SIGTERM") => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    if (slots.size === 0) process.exit(exitCode);
  };
  cluster.on("exit", (worker, code, signal) => {
    const entry = slots.get(worker.id);
    slots.delete(worker.id);
    if (!entry) return;
    if (stopping) {
      if (slots.size === 0) process.exit(exitCode);
      return;
    }
    if (!entry.listening) {
      log(`process ${entry.slot} ended before it served (${signal ?? `exit code ${code}`}); stopping`);
      exitCode = 1;
      stop();
      return;
    }
    log(`process ${entry.slot} ended (${signal ?? `exit code ${code}`}); starting it again`);
    setTimeout(() => !stopping && fork(entry.slot), restartDelayMs);
  });
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  for (let slot = 1; slot <= processes; slot++) fork(slot);
  return stop;
}

/** Node's AsyncLocalStorage without promise hooks (the default from Node 24 on; an option on Node
 * 22, which this project runs, and the restart below adds it there only). Next.js keeps each request's context (headers, cookies, the
 * request's store) in AsyncLocalStorage; on Node 22 that installs promise hooks, which run on every
 * promise the server creates. With the option, the context rides along with the promise itself: the
 * same values, less CPU per request (docs/performance.md, "The floor, third session").
 * WEGOVERN_ASYNC_CONTEXT_FRAME=0 serves without it. */
export const ASYNC_CONTEXT_FRAME = "--experimental-async-context-frame";

/** Whether this Node takes ASYNC_CONTEXT_FRAME: Node 22 from 22.7 and Node 23. Node 24 and later
 * run that way by default and refuse the option ("bad option"), and Node before 22.7 does not know
 * it; either would not start again with it.
 * @param {string} version `process.versions.node`
 * @returns {boolean} */
export function takesAsyncContextFrameOption(version) {
  const [major, minor] = version.split(".").map(Number);
  return (major === 22 && minor >= 7) || major === 23;
}

/** The command line this Node should be started again with to have ASYNC_CONTEXT_FRAME (the same
 * options, script and arguments, plus the option), or null when it has it already, it was turned
 * off, this Node does not take the option (above), or this is a cluster process (forked with the
 * primary's options, so it has them too).
 * @param {{ execArgv?: string[]; argv?: string[]; env?: Record<string, string | undefined>; primary?: boolean; version?: string }} [from]
 * @returns {string[] | null} */
export function asyncContextFrameRestart({ execArgv = process.execArgv, argv = process.argv, env = process.env, primary = cluster.isPrimary, version = process.versions.node } = {}) {
  if (!primary || env.WEGOVERN_ASYNC_CONTEXT_FRAME === "0" || !takesAsyncContextFrameOption(version)) return null;
  if (execArgv.includes(ASYNC_CONTEXT_FRAME) || (env.NODE_OPTIONS ?? "").split(/\s+/).includes(ASYNC_CONTEXT_FRAME)) return null;
  return [argv[0], ASYNC_CONTEXT_FRAME, ...execArgv, ...argv.slice(1)];
}

/** Starts this Node again with ASYNC_CONTEXT_FRAME when it lacks it (see above). The option is read
 * when Node starts, so the script cannot turn it on for itself; process.execve replaces this
 * process with the new one in place — the same process id, the same standard input and output, no
 * process in between (what started the server, `npm start` or a benchmark, still holds the server's
 * own process and sends its signals to it). Call it first, before anything is printed or opened. */
export function ensureAsyncContextFrame() {
  const command = asyncContextFrameRestart();
  if (command && typeof process.execve === "function") process.execve(process.execPath, command, process.env);
}

async function main() {
  ensureAsyncContextFrame();
  const bad = badTrustedProxies(process.env.TRUSTED_PROXIES);
  if (bad.length) {
    console.error(`[wegovern] TRUSTED_PROXIES: not an address or a CIDR range: ${bad.join(", ")}`);
    process.exit(1);
  }
  const processes = webProcesses();
  if (processes === null) {
    console.error(`[wegovern] WEB_PROCESSES: not a whole number from 1 to 64: ${process.env.WEB_PROCESSES}`);
    process.exit(1);
  }
  if (processes > 1 && cluster.isPrimary) return void balance(processes, { log: (line) => console.log(`[wegovern] ${line}`) });
  const slot = cluster.isWorker ? (process.env.WEGOVERN_PROCESS ?? null) : null;
  const { default: next } = await import("next");
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOST ?? "0.0.0.0";
  const app = next({ dev: false, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Compression here, at a cheaper level than Next.js's own (off in next.config.ts): scripts/compress.mjs.
  const compress = createCompression();
  const server = createServer((req, res) => {
    if (slot) res.setHeader(PROCESS_HEADER, slot);
    headersWithFirstWrite(res);
    gate(req, res)
      .then((request) => {
        if (!request) return undefined;
        compress?.(request, res);
        return handle(request, res);
      })
      .catch((error) => {
        console.error("[serve]", error);
        if (!res.headersSent) answer(res, 500, "Internal error.");
        else res.destroy();
      });
  });
  server.listen(port, hostname, () => console.log(`[wegovern] Ready on http://${hostname}:${port}${slot ? ` (process ${slot} of ${processes})` : ""}`));
  const stop = () => process.exit(0);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
