import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { JobRunner } from "@/lib/jobs/runner";
import { QUEUES } from "@/lib/jobs/config";
import { decrypt, encrypt } from "@/lib/pii";
import { handleVerification } from "@/lib/wecom/callback";
import { encryptMessage, sealMessage, signature } from "@/lib/wecom/crypto";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { simAdmin, usePiiKey } from "./helpers";

// /api/wecom/callback through its real route module: URL verification (WeCom's published vector),
// encrypted events sent by the simulator over HTTP, and every refusal changing nothing.

let db: TestDb;
let sim: WeComSim;
let portal: http.Server;
let portalUrl: string;
let route: typeof import("@/app/api/wecom/callback/route");
const warnings: string[] = [];

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  // The route's job sender starts the server's job runner on DATABASE_URL: this test's database.
  process.env.DATABASE_URL = db.url;
  sim = await startWeComSim({ size: "tiny" });
  await db.prisma.weComSettings.create({
    data: { corpId: sim.config.corpId, callbackTokenCipher: encrypt(sim.config.callbackToken), callbackTokenLast4: "oken", encodingAesKeyCipher: encrypt(sim.config.encodingAesKey), encodingAesKeyLast4: "B2C" },
  });
  route = await import("@/app/api/wecom/callback/route");
  // The portal's callback route on a loopback port, so the simulator can POST to it as WeCom does.
  portal = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
      const response = await (req.method === "POST" ? route.POST(request) : route.GET(request));
      res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "text/plain" });
      res.end(await response.text());
    });
  });
  await new Promise<void>((r) => portal.listen(0, "127.0.0.1", r));
  portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}/api/wecom/callback`;
}, 120_000);
afterAll(async () => {
  const jobs = await (globalThis as { wegovernJobs?: Promise<JobRunner | null> }).wegovernJobs;
  await jobs?.stop();
  await new Promise((r) => portal?.close(r));
  await sim?.stop();
  await db?.close();
});
beforeEach(() => {
  warnings.length = 0;
  vi.spyOn(console, "warn").mockImplementation((line: string) => void warnings.push(String(line)));
});

const nowSeconds = () => String(Math.floor(Date.now() / 1000));
const eventXml = (userid = "u000001") => `<xml><ToUserName><![CDATA[${sim.config.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${nowSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType><![CDATA[update_user]]></ChangeType><UserID><![CDATA[${userid}]]></UserID></xml>`;

function post(opts: { xml?: string; body?: string; timestamp?: string; nonce?: string; receiverId?: string; signatureOverride?: string }) {
  const timestamp = opts.timestamp ?? nowSeconds();
  const nonce = opts.nonce ?? Math.random().toString(36).slice(2, 10);
  const sealed = sealMessage({ token: sim.config.callbackToken, encodingAesKey: sim.config.encodingAesKey, receiverId: opts.receiverId ?? sim.config.corpId, message: opts.xml ?? eventXml(), timestamp, nonce });
  const url = `${portalUrl}?msg_signature=${opts.signatureOverride ?? sealed.msgSignature}&timestamp=${timestamp}&nonce=${nonce}`;
  return route.POST(new Request(url.replace(/^http:\/\/127\.0\.0\.1:\d+/, "http://localhost"), { method: "POST", body: opts.body ?? sealed.xml }));
}

describe("GET: URL verification", () => {
  it("decrypts WeCom's published echostr (doc 90968) with its corp id, token and key", async () => {
    const deps = { prisma: db.prisma, enqueue: async () => null, now: () => new Date(1409659589 * 1000) };
    await db.prisma.weComSettings.update({ where: { id: "default" }, data: { corpId: "wx5823bf96d3bd56c7", callbackTokenCipher: encrypt("QDG6eK"), encodingAesKeyCipher: encrypt("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C") } });
    try {
      const echostr = encodeURIComponent("P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==");
      const res = await handleVerification(new Request(`http://localhost/api/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=${echostr}`), deps);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("1616140317555161061");
      // The same request a day later is refused (timestamp window).
      const late = await handleVerification(new Request(`http://localhost/api/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=${echostr}`), { ...deps, now: () => new Date((1409659589 + 86400) * 1000) });
      expect(late.status).toBe(403);
    } finally {
      await db.prisma.weComSettings.update({ where: { id: "default" }, data: { corpId: sim.config.corpId, callbackTokenCipher: encrypt(sim.config.callbackToken), encodingAesKeyCipher: encrypt(sim.config.encodingAesKey) } });
    }
  });

  it("the route answers a fresh verification and refuses a wrong signature", async () => {
    const ts = nowSeconds();
    const echostr = encryptMessage("8765309", sim.config.encodingAesKey, sim.config.corpId);
    const sig = signature(sim.config.callbackToken, ts, "n1", echostr);
    const ok = await route.GET(new Request(`http://localhost/api/wecom/callback?msg_signature=${sig}&timestamp=${ts}&nonce=n1&echostr=${encodeURIComponent(echostr)}`));
    expect(await ok.text()).toBe("8765309");
    const bad = await route.GET(new Request(`http://localhost/api/wecom/callback?msg_signature=${"0".repeat(40)}&timestamp=${ts}&nonce=n1&echostr=${encodeURIComponent(echostr)}`));
    expect(bad.status).toBe(403);
    expect(await bad.text()).not.toContain("8765309");
  });
});

describe("POST: encrypted events", () => {
  it("an event the simulator signs and sends is recorded (encrypted) and queued; the answer is 'success'", async () => {
    const before = await db.prisma.weComCallbackEvent.count();
    const sent = await simAdmin(sim, "callback", { url: portalUrl, event: "change_contact", changeType: "create_user", userid: "u000003" });
    expect(sent).toEqual({ status: 200, body: "success" });
    const events = await db.prisma.weComCallbackEvent.findMany({ orderBy: { receivedAt: "desc" } });
    expect(events.length).toBe(before + 1);
    const ev = events[0];
    expect(ev).toMatchObject({ event: "change_contact", changeType: "create_user" });
    expect(ev.payloadCipher).not.toContain("u000003");
    expect(JSON.parse(decrypt(ev.payloadCipher))).toMatchObject({ UserID: "u000003", Event: "change_contact" });
    expect(ev.jobId).toBeTruthy();
    const jobs = await (await (globalThis as { wegovernJobs?: Promise<JobRunner | null> }).wegovernJobs)!.boss.findJobs(QUEUES.wecomCallbackEvent, { id: ev.jobId! });
    expect(jobs[0]?.data).toEqual({ eventId: ev.id });
  });

  it("refusals change nothing and are logged: bad signature, other receiver, stale timestamp, DTD or entities, oversize, malformed query", async () => {
    const count = () => db.prisma.weComCallbackEvent.count();
    const nonces = () => db.prisma.weComCallbackNonce.count();
    const [e0, n0] = [await count(), await nonces()];
    const cases: [Promise<Response>, number, string][] = [
      [post({ signatureOverride: "a".repeat(40) }), 403, "BAD_SIGNATURE"],
      [post({ receiverId: "wwsomeoneelse" }), 403, "WRONG_RECEIVER"],
      [post({ timestamp: String(Math.floor(Date.now() / 1000) - 3600) }), 403, "STALE_TIMESTAMP"],
      [post({ xml: `<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Event>&x;</Event></xml>` }), 400, "BAD_XML"],
      [post({ xml: `<xml><Event>&x;</Event></xml>` }), 400, "BAD_XML"],
      [post({ body: `<!DOCTYPE xml [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>` }), 400, "BAD_XML"],
      [post({ body: `<xml><Encrypt><![CDATA[${"A".repeat(70_000)}]]></Encrypt></xml>` }), 413, "TOO_LARGE"],
      [route.POST(new Request("http://localhost/api/wecom/callback?msg_signature=x&timestamp=y&nonce=", { method: "POST", body: "<xml/>" })), 400, "BAD_QUERY"],
    ];
    for (const [res, status, reason] of cases) {
      const r = await res;
      expect(r.status, reason).toBe(status);
      expect(warnings.some((w) => w.includes(`(${reason})`)), reason).toBe(true);
    }
    expect(await count()).toBe(e0);
    expect(await nonces()).toBe(n0);
    expect(warnings.join("\n")).not.toContain(sim.config.encodingAesKey);
  });

  it("a replayed nonce is recorded once: the second delivery changes nothing", async () => {
    const before = await db.prisma.weComCallbackEvent.count();
    const ts = nowSeconds();
    const first = await post({ timestamp: ts, nonce: "replay1" });
    expect(await first.text()).toBe("success");
    const again = await post({ timestamp: ts, nonce: "replay1" });
    expect(again.status).toBe(200);
    expect(await db.prisma.weComCallbackEvent.count()).toBe(before + 1);
    expect(warnings.some((w) => w.includes("(REPLAY)"))).toBe(true);
  });
});
