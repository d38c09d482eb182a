import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { redeemGrant } from "@/lib/auth/flows";
import { redeemSignIn } from "@/lib/auth/sso";
import { beginWeComSignIn, completeWeComSignIn, type WeComMode } from "@/lib/auth/wecom-sign-in";
import { encrypt } from "@/lib/pii";
import { actorForSession } from "@/lib/server/session";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { startWeComSim, type WeComSim } from "@/scripts/wecom-sim/server";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "../wecom/helpers";

// WeCom sign-in end to end at the server's level (docs/sign-in.md): the portal's start and
// callback logic against the WeCom simulator's OAuth and QR pages and its /auth/getuserinfo, over
// HTTP, with a real PostgreSQL. A "browser" is its binding cookie value; WeCom's redirect back is
// read from the simulator's Location header.

const ORIGIN = "http://portal.test";
const CORP_AGENT = "1000002";
let db: TestDb;
let sim: WeComSim;
let deptId: string;
const req = { ip: "10.20.0.1", userAgent: "Mozilla/5.0 wxwork/4.1.30" };

async function employee(wecomUserid: string | null, status: "ACTIVE" | "OFFBOARDING" | "DEPARTED" = "ACTIVE") {
  const e = await db.prisma.$transaction((tx) => makeEmployee(tx, { departmentId: deptId, status }));
  if (wecomUserid) await db.prisma.employee.update({ where: { id: e.id }, data: { wecomUserid } });
  return e;
}

async function offer(settings: { wecomOauthEnabled?: boolean; wecomQrEnabled?: boolean }) {
  await db.prisma.signInSettings.upsert({ where: { id: "default" }, create: { id: "default", ...settings }, update: settings });
}

/** Starts a sign-in in `browser` and returns the URL the browser is sent to. */
async function start(mode: WeComMode, browser: string, returnTo = "/approvals") {
  const started = await beginWeComSignIn(db.prisma, { mode, origin: ORIGIN, returnTo, browserToken: browser });
  if (!started.ok) throw new Error(`not started: ${started.reason}`);
  return new URL(started.url);
}

/** WeCom's page, as a browser signed in to WeCom as `userid` (or someone outside) would pass it. */
async function throughWeCom(authorize: URL, who: { userid?: string; outsider?: boolean; memberCookie?: string }): Promise<{ code: string; state: string }> {
  const target = new URL(authorize.toString().replace(/^https?:\/\/[^/]+/, sim.url));
  target.hash = "";
  let res: Response;
  if (who.memberCookie) {
    res = await fetch(target, { redirect: "manual", headers: { cookie: `wwsim_member=${who.memberCookie}` } });
  } else {
    const page = await fetch(target, { redirect: "manual" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("选择成员");
    const confirm = new URL(`${sim.url}/__sim/oauth/confirm`);
    confirm.searchParams.set("via", target.pathname.startsWith("/wwlogin") ? "qr" : "oauth");
    confirm.searchParams.set("redirect_uri", target.searchParams.get("redirect_uri")!);
    confirm.searchParams.set("state", target.searchParams.get("state")!);
    if (who.outsider) confirm.searchParams.set("outsider", "1");
    else confirm.searchParams.set("userid", who.userid!);
    res = await fetch(confirm, { redirect: "manual" });
  }
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get("location")!);
  expect(`${back.origin}${back.pathname}`).toBe(`${ORIGIN}/api/auth/wecom/callback`);
  return { code: back.searchParams.get("code")!, state: back.searchParams.get("state")! };
}

const complete = (cb: { code: string | null; state: string | null }, browser: string | null) => completeWeComSignIn(db.prisma, { ...cb, browserToken: browser, ...req });
const lastRefusal = () => db.prisma.auditEvent.findFirst({ where: { action: "auth.signInRefused" }, orderBy: { id: "desc" } });

beforeAll(async () => {
  usePiiKey();
  sim = await startWeComSim({ size: "medium" });
  process.env.WECOM_OAUTH_BASE_URL = sim.url;
  process.env.WECOM_SSO_BASE_URL = sim.url;
  db = await createTestDb();
  deptId = (await db.prisma.$transaction((tx) => makeDepartment(tx, { name: "总公司", code: "HQ" }))).id;
  await db.prisma.weComSettings.create({
    data: { id: "default", corpId: sim.config.corpId, agentId: CORP_AGENT, apiBaseUrl: sim.url, customerSecretCipher: encrypt(sim.config.customerSecret), customerSecretLast4: "wxyz", contactSecretCipher: encrypt(sim.config.contactSecret) },
  });
});
afterAll(async () => {
  await sim?.stop();
  await db?.close();
});
beforeEach(() => offer({ wecomOauthEnabled: true, wecomQrEnabled: true }));

describe("inside the WeCom client (OAuth, snsapi_base)", () => {
  it("sends the browser to WeCom's authorize page with the corp id, agent id, callback and a state, and signs the member in silently", async () => {
    const p = await employee("u000001");
    const url = await start("oauth", "browser-1", "/approvals/abc?tab=mine");
    expect(url.pathname).toBe("/connect/oauth2/authorize");
    expect(url.hash).toBe("#wechat_redirect");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ appid: sim.config.corpId, agentid: CORP_AGENT, response_type: "code", scope: "snsapi_base", redirect_uri: `${ORIGIN}/api/auth/wecom/callback` });
    expect(url.searchParams.get("state")!.length).toBeGreaterThanOrEqual(40);

    const back = await throughWeCom(url, { memberCookie: "u000001" });
    const outcome = await complete(back, "browser-1");
    expect(outcome).toMatchObject({ ok: true, employeeId: p.id, method: "WECOM_OAUTH", returnTo: "/approvals/abc?tab=mine" });
    if (!outcome.ok) throw new Error("unreachable");

    // The Auth.js provider redeems the grant: a session row, an audited sign-in with its method.
    const user = await redeemSignIn(db.prisma, outcome.grant, ["WECOM_OAUTH", "WECOM_QR"], req);
    expect(user).toMatchObject({ id: p.id });
    const row = await db.prisma.authSession.findUniqueOrThrow({ where: { id: user!.sessionId } });
    expect(row).toMatchObject({ method: "WECOM_OAUTH", ip: req.ip, employeeId: p.id });
    const event = await db.prisma.auditEvent.findFirst({ where: { action: "auth.signIn", entityId: p.id } });
    expect(event?.after).toEqual({ method: "WECOM_OAUTH", sessionId: user!.sessionId });
    expect((await actorForSession({ id: p.id, sessionVersion: user!.sessionVersion, sessionId: user!.sessionId }, req.ip))?.id).toBe(p.id);
    // The grant is single-use.
    expect(await redeemSignIn(db.prisma, outcome.grant, ["WECOM_OAUTH", "WECOM_QR"], req)).toBeNull();
  });

  it("is not offered when ADMIN has not turned it on", async () => {
    await offer({ wecomOauthEnabled: false });
    expect(await beginWeComSignIn(db.prisma, { mode: "oauth", origin: ORIGIN, returnTo: "/", browserToken: "b" })).toEqual({ ok: false, reason: "NOT_OFFERED" });
  });
});

describe("in a browser (QR login)", () => {
  it("sends the browser to WeCom's QR page (login_type=CorpApp) and signs the scanning member in", async () => {
    const p = await employee("u000002");
    const url = await start("qr", "browser-2");
    expect(url.pathname).toBe("/wwlogin/sso/login");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ login_type: "CorpApp", appid: sim.config.corpId, agentid: CORP_AGENT, redirect_uri: `${ORIGIN}/api/auth/wecom/callback` });
    const outcome = await complete(await throughWeCom(url, { userid: "u000002" }), "browser-2");
    expect(outcome).toMatchObject({ ok: true, employeeId: p.id, method: "WECOM_QR" });
    if (!outcome.ok) throw new Error("unreachable");
    // A grant for WeCom is no good to the OIDC provider.
    expect(await redeemGrant(db.prisma, outcome.grant, ["OIDC"])).toBeNull();
    const user = await redeemSignIn(db.prisma, outcome.grant, ["WECOM_OAUTH", "WECOM_QR"], req);
    expect((await db.prisma.authSession.findUniqueOrThrow({ where: { id: user!.sessionId } })).method).toBe("WECOM_QR");
  });

  it("refuses a callback after QR login was turned off meanwhile", async () => {
    await employee("u000003");
    const url = await start("qr", "browser-3");
    const back = await throughWeCom(url, { userid: "u000003" });
    await offer({ wecomQrEnabled: false });
    expect(await complete(back, "browser-3")).toMatchObject({ ok: false, reason: "NOT_OFFERED" });
  });
});

describe("the state", () => {
  it("is refused when unknown, from another browser, or missing its cookie — and audited", async () => {
    await employee("u000004");
    const url = await start("oauth", "browser-4");
    const back = await throughWeCom(url, { memberCookie: "u000004" });
    expect(await complete({ ...back, state: "forged-state-0000000000000000000000000000000" }, "browser-4")).toMatchObject({ ok: false, reason: "STATE" });
    expect(await complete(back, "someone-elses-browser")).toMatchObject({ ok: false, reason: "STATE" });
    expect(await complete(back, null)).toMatchObject({ ok: false, reason: "STATE" });
    expect((await lastRefusal())?.after).toMatchObject({ method: "WECOM_OAUTH", reason: "STATE" });
    // None of those used the flow up: the right browser still completes it.
    expect(await complete(back, "browser-4")).toMatchObject({ ok: true });
  });

  it("is single-use: the same callback a second time is refused", async () => {
    await employee("u000005");
    const back = await throughWeCom(await start("oauth", "browser-5"), { memberCookie: "u000005" });
    expect(await complete(back, "browser-5")).toMatchObject({ ok: true });
    expect(await complete(back, "browser-5")).toMatchObject({ ok: false, reason: "USED" });
  });

  it("expires after ten minutes", async () => {
    await employee("u000006");
    const url = await start("oauth", "browser-6");
    const back = await throughWeCom(url, { memberCookie: "u000006" });
    await db.prisma.signInFlow.updateMany({ where: { usedAt: null, method: "WECOM_OAUTH" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await complete(back, "browser-6")).toMatchObject({ ok: false, reason: "EXPIRED" });
  });
});

describe("the code", () => {
  it("is single-use: a code replayed with a fresh state is refused before WeCom is asked", async () => {
    await employee("u000007");
    const first = await throughWeCom(await start("oauth", "browser-7"), { memberCookie: "u000007" });
    expect(await complete(first, "browser-7")).toMatchObject({ ok: true });
    const calls = sim.stats().calls["/auth/getuserinfo"] ?? 0;
    const fresh = await start("oauth", "browser-7");
    expect(await complete({ code: first.code, state: fresh.searchParams.get("state") }, "browser-7")).toMatchObject({ ok: false, reason: "CODE_REPLAYED" });
    expect(sim.stats().calls["/auth/getuserinfo"] ?? 0).toBe(calls);
  });

  it("that WeCom does not know, or that has expired, is refused with WeCom's 40029", async () => {
    await employee("u000008");
    const url = await start("oauth", "browser-8");
    expect(await complete({ code: "never-issued-code", state: url.searchParams.get("state") }, "browser-8")).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    expect((await lastRefusal())?.after).toMatchObject({ reason: "CODE_INVALID", errcode: 40029 });

    const back = await throughWeCom(await start("oauth", "browser-8"), { memberCookie: "u000008" });
    await fetch(`${sim.url}/__sim/oauth/expire-codes`, { method: "POST" });
    expect(await complete(back, "browser-8")).toMatchObject({ ok: false, reason: "CODE_INVALID" });
  });

  it("missing (the member declined) is refused as cancelled", async () => {
    const url = await start("oauth", "browser-9");
    expect(await complete({ code: null, state: url.searchParams.get("state") }, "browser-9")).toMatchObject({ ok: false, reason: "CANCELLED" });
  });
});

describe("who may sign in", () => {
  it("refuses a member no employee is linked to, and someone outside the company", async () => {
    expect(await complete(await throughWeCom(await start("qr", "b-10"), { userid: "u000010" }), "b-10")).toMatchObject({ ok: false, reason: "UNKNOWN" });
    expect(await complete(await throughWeCom(await start("qr", "b-10"), { outsider: true }), "b-10")).toMatchObject({ ok: false, reason: "UNKNOWN" });
    expect((await lastRefusal())?.after).toMatchObject({ method: "WECOM_QR", reason: "UNKNOWN", member: false });
  });

  it("refuses a departed employee, audited against the person", async () => {
    const p = await employee("u000011", "DEPARTED");
    expect(await complete(await throughWeCom(await start("oauth", "b-11"), { memberCookie: "u000011" }), "b-11")).toMatchObject({ ok: false, reason: "DEPARTED" });
    expect(await lastRefusal()).toMatchObject({ entityType: "Employee", entityId: p.id });
  });

  it("lets an employee who is leaving (OFFBOARDING) sign in, as the password does", async () => {
    const p = await employee("u000012", "OFFBOARDING");
    expect(await complete(await throughWeCom(await start("oauth", "b-12"), { memberCookie: "u000012" }), "b-12")).toMatchObject({ ok: true, employeeId: p.id });
  });

  it("refuses a leaver from 18:00 China time of their last working day, before the departures sweep marks them DEPARTED", async () => {
    const p = await employee("u000017", "OFFBOARDING");
    const today = new Date(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
    await db.prisma.employee.update({ where: { id: p.id }, data: { leaveDate: new Date(today.getTime() - 86_400_000) } });
    expect(await complete(await throughWeCom(await start("oauth", "b-17"), { memberCookie: "u000017" }), "b-17")).toMatchObject({ ok: false, reason: "DEPARTED" });
    expect(await lastRefusal()).toMatchObject({ entityType: "Employee", entityId: p.id });
    await db.prisma.employee.update({ where: { id: p.id }, data: { leaveDate: new Date(today.getTime() + 86_400_000) } });
    expect(await complete(await throughWeCom(await start("oauth", "b-18"), { memberCookie: "u000017" }), "b-18")).toMatchObject({ ok: true, employeeId: p.id });
  });

  it("refuses a member WeCom reports disabled, not activated or left, although our record is active", async () => {
    // The simulated company: every 97th member disabled (status 2), every 61st not activated (4), every 40th left (5).
    await employee("u000096");
    await employee("u000060");
    await employee("u000039");
    expect(await complete(await throughWeCom(await start("qr", "b-13"), { userid: "u000096" }), "b-13")).toMatchObject({ ok: false, reason: "DISABLED" });
    expect((await lastRefusal())?.after).toMatchObject({ reason: "DISABLED", wecomStatus: 2 });
    expect(await complete(await throughWeCom(await start("qr", "b-13"), { userid: "u000060" }), "b-13")).toMatchObject({ ok: false, reason: "DISABLED" });
    expect(await complete(await throughWeCom(await start("qr", "b-13"), { userid: "u000039" }), "b-13")).toMatchObject({ ok: false, reason: "DEPARTED" });
  });

  it("refuses a member the directory sync last saw disabled or deleted, before WeCom is asked", async () => {
    const disabled = await employee("u000015");
    await db.prisma.employee.update({ where: { id: disabled.id }, data: { wecomStatus: 2 } });
    const removed = await employee("u000016");
    await db.prisma.employee.update({ where: { id: removed.id }, data: { wecomStatus: 1, wecomRemovedAt: new Date() } });
    expect(await complete(await throughWeCom(await start("oauth", "b-15"), { memberCookie: "u000015" }), "b-15")).toMatchObject({ ok: false, reason: "DISABLED" });
    expect(await complete(await throughWeCom(await start("oauth", "b-15"), { memberCookie: "u000016" }), "b-15")).toMatchObject({ ok: false, reason: "DEPARTED" });
    expect((await lastRefusal())?.after).toMatchObject({ reason: "DEPARTED", removed: true });
  });

  it("refuses to redeem a grant for someone who departed between the callback and the sign-in", async () => {
    const p = await employee("u000014");
    const outcome = await complete(await throughWeCom(await start("oauth", "b-14"), { memberCookie: "u000014" }), "b-14");
    if (!outcome.ok) throw new Error("expected a grant");
    await db.prisma.employee.update({ where: { id: p.id }, data: { status: "DEPARTED" } });
    expect(await redeemSignIn(db.prisma, outcome.grant, ["WECOM_OAUTH"], req)).toBeNull();
  });
});

describe("the simulator's /auth/getuserinfo", () => {
  it("answers the contact-sync app's token with 48002 (the code belongs to the self-built app)", async () => {
    const token = (await (await fetch(`${sim.url}/cgi-bin/gettoken?corpid=${sim.config.corpId}&corpsecret=${sim.config.contactSecret}`)).json()) as { access_token: string };
    const answer = (await (await fetch(`${sim.url}/cgi-bin/auth/getuserinfo?access_token=${token.access_token}&code=x`)).json()) as { errcode: number };
    expect(answer.errcode).toBe(48002);
  });

  it("refuses a redirect_uri or appid WeCom would refuse", async () => {
    const page = await (await fetch(`${sim.url}/connect/oauth2/authorize?appid=wrong&redirect_uri=${encodeURIComponent(`${ORIGIN}/cb`)}&response_type=code&scope=snsapi_base&state=s`)).text();
    expect(page).toContain("appid 参数错误");
  });
});
