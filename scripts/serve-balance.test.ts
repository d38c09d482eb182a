import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEER_HEADER, PROCESS_HEADER, webProcesses } from "./serve.mjs";

// The local balancer of `WEB_PROCESSES=2 npm start` (scripts/serve.mjs: Node's cluster), over real
// HTTP and real processes, with a stand-in for Next.js in each (scripts/serve-balance.fixture.mjs).
// What must hold with two processes as with one: the app learns the client's own address (a copy of
// the peer header or X-Forwarded-For sent by the client changes nothing), responses stream, and a
// process that dies is replaced while the other keeps serving.

const FIXTURE = path.join(import.meta.dirname, "serve-balance.fixture.mjs");

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

type Started = { child: ChildProcess; port: number; output: () => string; exited: Promise<number | null> };

function start(env: Record<string, string> = {}): Promise<Started> {
  return freePort().then((port) => {
    const child = spawn(process.execPath, [FIXTURE], { env: { ...process.env, PORT: String(port), WEB_PROCESSES: "2", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, port, output: () => output, exited };
  });
}

/** One request on a connection of its own (the balancer hands out connections, not requests). */
function get(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: urlPath, agent: false, headers: { connection: "close", ...headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ res, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

type Seen = { peer: string; slot: string; pid: number };
async function ask(port: number): Promise<Seen> {
  const { res, body } = await get(port, "/", { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "7.7.7.7" });
  const seen = JSON.parse(body) as Seen;
  expect(res.headers[PROCESS_HEADER]).toBe(seen.slot);
  return seen;
}

async function until<T>(check: () => Promise<T | null>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Both processes answering: the pid serving each slot. */
async function bothServing(port: number): Promise<Map<string, number>> {
  return until(async () => {
    const pids = new Map<string, number>();
    for (let i = 0; i < 8 && pids.size < 2; i++) {
      const seen = await ask(port);
      pids.set(seen.slot, seen.pid);
    }
    return pids.size === 2 ? pids : null;
  }, "both processes to answer");
}

describe("WEB_PROCESSES", () => {
  it("is a whole number from 1 to 64, 1 when unset; anything else is refused", () => {
    expect(webProcesses(undefined)).toBe(1);
    expect(webProcesses("")).toBe(1);
    expect(webProcesses(" 2 ")).toBe(2);
    expect(webProcesses("64")).toBe(64);
    for (const bad of ["0", "65", "2.5", "-1", "two", "1e1"]) expect(webProcesses(bad)).toBeNull();
  });
});

describe("the balancer in front of two processes", () => {
  let server: Started;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    if (server.child.exitCode === null) {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  it("hands connections to both processes in turn; each sees the client's own address, never the one the client claims", async () => {
    const pids = await bothServing(server.port);
    expect(new Set(pids.values()).size).toBe(2);
    const seen: Seen[] = [];
    for (let i = 0; i < 6; i++) seen.push(await ask(server.port));
    expect(new Set(seen.map((s) => s.slot))).toEqual(new Set(["1", "2"]));
    for (const s of seen) expect(s.peer).toBe("127.0.0.1");
  });

  it("streams: the first chunk of a response reaches the client while the response is still open", async () => {
    const first = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: server.port, path: "/stream", agent: false }, (res) => {
        res.setEncoding("utf8");
        res.once("data", (chunk: string) => {
          expect(res.complete).toBe(false);
          req.destroy();
          resolve(chunk);
        });
      });
      req.on("error", (e) => (req.destroyed ? undefined : reject(e)));
      req.end();
    });
    expect(first).toBe("first chunk\n");
  });

  it("starts a process that died again in its slot; the other one serves meanwhile", async () => {
    const before = await bothServing(server.port);
    const { res } = await get(server.port, "/exit");
    const died = String(res.headers[PROCESS_HEADER]);
    const after = await until(async () => {
      const pids = await bothServing(server.port);
      return pids.get(died) !== before.get(died) ? pids : null;
    }, "the process to be replaced", 150_000);
    const other = died === "1" ? "2" : "1";
    expect(after.get(other)).toBe(before.get(other));
    expect(server.output()).toContain(`process ${died} ended (exit code 3); starting it again`);
    // A new Node process on a loaded 2-core machine has taken more than a minute to start.
  }, 180_000);

  it("stops every process on SIGTERM and exits cleanly", async () => {
    const pids = [...(await bothServing(server.port)).values()];
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe("a broken start", () => {
  it("stops the server (exit code 1) instead of starting the processes again and again", async () => {
    const server = await start({ FAIL_START: "1" });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/process \d ended before it served \(exit code 2\); stopping/);
  });
});
