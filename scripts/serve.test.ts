import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { config as proxyConfig, proxy } from "@/proxy";
import { NONCE_HEADER, PATH_HEADER } from "@/lib/server/page-headers.mjs";
import { ASYNC_CONTEXT_FRAME, asyncContextFrameRestart, badTrustedProxies, takesAsyncContextFrameOption, gate, GATED_HEADER, headersWithFirstWrite, jsonDepth, MAX_JSON_DEPTH, PEER_HEADER } from "./serve.mjs";

// The gate in front of Next.js (scripts/serve.mjs), over real HTTP with a stand-in for Next that
// echoes what it would receive: the peer's address, and requests that must never reach Next.

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const request: IncomingMessage | null = await gate(req, res, { bodyLimit: 4096 });
    if (!request) return;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    res.setHeader("content-type", "application/json");
    const h = request.headers;
    const seen = { nonce: h[NONCE_HEADER], path: h[PATH_HEADER], csp: h["content-security-policy"], gated: h[GATED_HEADER] };
    res.end(JSON.stringify({ peer: h[PEER_HEADER], body: Buffer.concat(chunks).toString("utf8"), url: request.url, seen }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const action = (body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${base}/groups`, { method: "POST", body, headers: { origin: base, "next-action": "40f8a3ac533d26dcccfb8f3cbcd6a6a9404fcd58c1", ...headers } });

describe("the gate in front of Next.js", () => {
  it("tells the app the socket's address and drops a copy the client sent", async () => {
    const res = await fetch(`${base}/`, { headers: { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "7.7.7.7" } });
    expect((await res.json()).peer).toBe("127.0.0.1");
  });

  it.each(["/groups/%E0%A4%A", "/%", "/a%zz", "/%C0%AF", "/groups/%FF?x=1"])("answers 400 to the broken percent-encoding of %s", async (path) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/at .*\.js|Error/);
  });

  it("passes a well-formed action on with its body intact", async () => {
    const form = new FormData();
    form.set("0", '["$K1"]');
    form.set("1_name", "张三 [[[");
    const res = await action(form);
    expect(res.status).toBe(200);
    expect((await res.json()).body).toContain("张三 [[[");
    const json = await action('["$K1",{"a":[1,2,"]]]]"]}]', { "content-type": "text/plain;charset=UTF-8" });
    expect((await json.json()).body).toBe('["$K1",{"a":[1,2,"]]]]"]}]');
  });

  it("refuses a malformed multipart body, invalid or too deeply nested JSON with 400", async () => {
    const broken = await action('--XYZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end', { "content-type": "multipart/form-data; boundary=XYZ" });
    expect(broken.status).toBe(400);
    const noBoundary = await action("x", { "content-type": "multipart/form-data" });
    expect(noBoundary.status).toBe(400);
    expect((await action('[{"a":', { "content-type": "text/plain" })).status).toBe(400);
    const deep = "[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1);
    expect((await action(deep, { "content-type": "text/plain" })).status).toBe(400);
    const deepField = new FormData();
    deepField.set("0", deep);
    expect((await action(deepField)).status).toBe(400);
  });

  it("refuses a body over the limit (413) and one without a length (411)", async () => {
    expect((await action("x".repeat(5000), { "content-type": "text/plain" })).status).toBe(413);
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode("[]")), c.close()) });
    const chunked = await fetch(`${base}/groups`, { method: "POST", body: stream, duplex: "half", headers: { origin: base, "next-action": "x" } } as RequestInit);
    expect(chunked.status).toBe(411);
  });

  it("refuses an action from another origin (403), multipart to a page included; route handlers are not actions", async () => {
    expect((await action("[]", { origin: "https://evil.example", "content-type": "text/plain" })).status).toBe(403);
    expect((await action("[]", { origin: "null", "content-type": "text/plain" })).status).toBe(403);
    const form = new FormData();
    form.set("$ACTION_ID_abc", "");
    expect((await fetch(`${base}/login`, { method: "POST", body: form, headers: { origin: "https://evil.example" } })).status).toBe(403);
    expect((await fetch(`${base}/api/accounts/import`, { method: "POST", body: form, headers: { origin: "https://evil.example" } })).status).toBe(200);
  });

  it("names the TRUSTED_PROXIES entries that are not an address or a range (the server refuses to start)", () => {
    expect(badTrustedProxies("10.0.0.1, 172.16.0.0/12 ::1 fd00::/8")).toEqual([]);
    expect(badTrustedProxies("10.0.0.0/33,proxy.local 10.0.0.1/8/1 ::1/129")).toEqual(["10.0.0.0/33", "proxy.local", "10.0.0.1/8/1", "::1/129"]);
  });

  it("gives a page request its security headers, as proxy.ts would, and marks it so the proxy is skipped", async () => {
    const forged = { [GATED_HEADER]: "1", [NONCE_HEADER]: "forged", [PATH_HEADER]: "/evil", "content-security-policy": "script-src *" };
    const res = await fetch(`${base}/groups?page=2&q=%E5%BC%A0`, { headers: forged });
    const { seen } = await res.json();
    const csp = res.headers.get("content-security-policy") ?? "";
    // A fresh nonce in the policy, the same one in the request Next.js renders; the client's copies are gone.
    expect(seen.nonce).toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
    expect(csp).toContain(`script-src 'self' 'nonce-${seen.nonce}' 'strict-dynamic'`);
    expect(seen.csp).toBe(csp);
    expect(seen.path).toBe("/groups?page=2&q=%E5%BC%A0");
    expect(seen.gated).toBe("1");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    const again = await (await fetch(`${base}/groups`)).json();
    expect(again.seen.nonce).not.toBe(seen.nonce);

    // The same request through proxy.ts gives the same policy but for the nonce, and HSTS alike.
    const viaProxy = proxy(new NextRequest(`http://127.0.0.1/groups?page=2`, { headers: { [PEER_HEADER]: "127.0.0.1" } }));
    const proxied = viaProxy.headers.get("content-security-policy") ?? "";
    expect(proxied.replace(/nonce-[^']+/g, "nonce")).toBe(csp.replace(/nonce-[^']+/g, "nonce"));
    expect(proxied).not.toContain("upgrade-insecure-requests");
    // proxy.ts's matcher skips what the gate marked (Next.js needs the key written out there).
    expect(proxyConfig.matcher[0].missing).toContainEqual({ type: "header", key: GATED_HEADER });
  });

  it("leaves static files and router prefetches alone, as proxy.ts's matcher does, but never lets the mark through", async () => {
    for (const [path, headers] of [["/_next/static/chunks/app.js", {}], ["/favicon.ico", {}], ["/groups", { "next-router-prefetch": "1" }], ["/groups", { purpose: "prefetch" }]] as const) {
      const res = await fetch(`${base}${path}`, { headers: { ...headers, [GATED_HEADER]: "1" } });
      expect(res.headers.get("content-security-policy"), path).toBeNull();
      expect((await res.json()).seen, path).toEqual({});
    }
  });

  it("sends HSTS and upgrade-insecure-requests when a trusted proxy says HTTPS, as proxy.ts does", async () => {
    process.env.TRUSTED_PROXIES = "127.0.0.1";
    try {
      const res = await fetch(`${base}/groups`, { headers: { "x-forwarded-proto": "https" } });
      expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000");
      expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
      const viaProxy = proxy(new NextRequest("https://portal.example/groups", { headers: { [PEER_HEADER]: "127.0.0.1", "x-forwarded-proto": "https" } }));
      expect(viaProxy.headers.get("strict-transport-security")).toBe("max-age=31536000");
      expect(viaProxy.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    } finally {
      delete process.env.TRUSTED_PROXIES;
    }
  });

  it("sends a streamed response's headers with its first chunk, not on their own when Next.js flushes them", async () => {
    const seen: boolean[] = [];
    const streamed = createServer((_req, res) => {
      headersWithFirstWrite(res);
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.flushHeaders();
      seen.push(res.headersSent, res.socket!.bytesWritten > 0);
      res.write("第一块");
      setTimeout(() => res.end("，第二块"), 20);
    });
    await new Promise<void>((resolve) => streamed.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(streamed.address() as AddressInfo).port}/`);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await res.text()).toBe("第一块，第二块");
      // Without the change flushHeaders() writes the headers to the socket at once.
      expect(seen).toEqual([false, false]);
    } finally {
      await new Promise<void>((resolve) => streamed.close(() => resolve()));
    }
  });

  it("measures JSON nesting outside strings", () => {
    expect(jsonDepth('[{"a":"[[[["}]')).toBe(2);
    expect(jsonDepth('"\\"[["')).toBe(0);
  });
});

describe("the server's Node runs AsyncLocalStorage without promise hooks", () => {
  it("is started again with the option, unless it has it, it is turned off, or it is a cluster process", () => {
    const argv = ["/usr/bin/node", "/app/scripts/serve.mjs"];
    expect(asyncContextFrameRestart({ execArgv: ["--cpu-prof"], argv, env: {}, primary: true })).toEqual(["/usr/bin/node", ASYNC_CONTEXT_FRAME, "--cpu-prof", "/app/scripts/serve.mjs"]);
    expect(asyncContextFrameRestart({ execArgv: [ASYNC_CONTEXT_FRAME], argv, env: {}, primary: true })).toBeNull();
    expect(asyncContextFrameRestart({ execArgv: [], argv, env: { NODE_OPTIONS: `--max-old-space-size=512 ${ASYNC_CONTEXT_FRAME}` }, primary: true })).toBeNull();
    expect(asyncContextFrameRestart({ execArgv: [], argv, env: { WEGOVERN_ASYNC_CONTEXT_FRAME: "0" }, primary: true })).toBeNull();
    expect(asyncContextFrameRestart({ execArgv: [], argv, env: {}, primary: false })).toBeNull();
  });

  it("adds the option only on a Node that takes it: 22 from 22.7 and 23, not 24 and later (their default; they refuse it)", () => {
    const argv = ["/usr/bin/node", "/app/scripts/serve.mjs"];
    expect(takesAsyncContextFrameOption("22.23.5")).toBe(true);
    expect(takesAsyncContextFrameOption("22.7.0")).toBe(true);
    expect(takesAsyncContextFrameOption("23.11.1")).toBe(true);
    expect(takesAsyncContextFrameOption("22.6.0")).toBe(false);
    expect(takesAsyncContextFrameOption("24.22.3")).toBe(false);
    expect(takesAsyncContextFrameOption("26.12.1")).toBe(false);
    expect(asyncContextFrameRestart({ execArgv: [], argv, env: {}, primary: true, version: "22.23.5" })).toEqual(["/usr/bin/node", ASYNC_CONTEXT_FRAME, "/app/scripts/serve.mjs"]);
    expect(asyncContextFrameRestart({ execArgv: [], argv, env: {}, primary: true, version: "24.22.3" })).toBeNull();
    expect(asyncContextFrameRestart({ execArgv: [], argv, env: {}, primary: true, version: "26.12.1" })).toBeNull();
  });

  // A real Node started as `npm start` and the benchmarks start the server (no option), running
  // what the server runs first: the same process (the pid its starter holds) goes on with the
  // option, and a request's context still follows it across awaits and timers.
  const run = (env: Record<string, string>) =>
    new Promise<{ pid: number; seen: { pid: number; execArgv: string[]; store: unknown[] } }>((resolve, reject) => {
      const code = `
        import { AsyncLocalStorage } from "node:async_hooks";
        import { ensureAsyncContextFrame } from ${JSON.stringify(new URL("./serve.mjs", import.meta.url).href)};
        ensureAsyncContextFrame();
        const als = new AsyncLocalStorage();
        const store = await als.run("request 1", async () => {
          const a = als.getStore();
          await new Promise((r) => setTimeout(r, 1));
          const b = await Promise.resolve().then(() => als.getStore());
          return [a, b];
        });
        console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv.filter((a) => a.startsWith("--")), store: [...store, als.getStore() ?? null] }));`;
      const child = spawn(process.execPath, ["--input-type=module", "-e", code], { env: { ...process.env, NODE_OPTIONS: "", ...env }, stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.on("error", reject);
      child.on("exit", () => {
        try {
          resolve({ pid: child.pid!, seen: JSON.parse(out) });
        } catch (error) {
          reject(new Error(`no result: ${out} (${String(error)})`));
        }
      });
    });

  it("replaces its own process, with the option, and the request's context still follows it", async () => {
    const { pid, seen } = await run({});
    expect(seen.pid).toBe(pid);
    expect(seen.execArgv).toContain(ASYNC_CONTEXT_FRAME);
    expect(seen.store).toEqual(["request 1", "request 1", null]);
  });

  it("serves without it when WEGOVERN_ASYNC_CONTEXT_FRAME=0", async () => {
    const { seen } = await run({ WEGOVERN_ASYNC_CONTEXT_FRAME: "0" });
    expect(seen.execArgv).not.toContain(ASYNC_CONTEXT_FRAME);
    expect(seen.store).toEqual(["request 1", "request 1", null]);
  });
});
