import { decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { beginOidcSignIn, clearDiscoveryCache, completeOidcSignIn } from "@/lib/auth/oidc";
import { redeemSignIn } from "@/lib/auth/sso";
import { encrypt } from "@/lib/pii";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { startOidcProvider, throughProvider, type TestOidcProvider } from "../helpers/oidc-provider";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "../wecom/helpers";

// OpenID Connect sign-in against a real OpenID provider (oidc-provider) started by the test:
// discovery, the code flow with PKCE, the token request with the client secret, the ID token's
// signature and claims, UserInfo for claims the ID token leaves out. Refusals are produced by the
// provider itself (a code bound to another PKCE verifier, a declined consent) or by rewriting the
// ID token its token endpoint returns (wrong nonce, expired, another key, wrong audience).

const ORIGIN = "http://portal.test";
const CALLBACK = `${ORIGIN}/api/auth/oidc/callback`;
let db: TestDb;
let op: TestOidcProvider;
let deptId: string;
const req = { ip: "10.30.0.1", userAgent: "Mozilla/5.0" };

const ACCOUNTS = {
  alice: { email: "alice@example.test", email_verified: true, name: "Alice Wang", employee_number: "E-1001" },
  bob: { email: "bob@example.test", email_verified: true, name: "Bob Li", employee_number: "E-1002" },
  carol: { email: "carol@example.test", email_verified: false, name: "Carol" },
  gone: { email: "gone@example.test", email_verified: true },
  stranger: { email: "stranger@example.test", email_verified: true, name: "新同事" },
};

async function configure(extra: Record<string, unknown> = {}) {
  const data = { oidcEnabled: true, oidcIssuer: op.issuer, oidcClientId: op.clientId, oidcClientSecretCipher: encrypt(op.clientSecret), oidcClientSecretLast4: op.clientSecret.slice(-4), oidcMatchBy: "EMAIL", oidcJitEnabled: false, oidcJitDepartmentId: null, ...extra };
  await db.prisma.signInSettings.upsert({ where: { id: "default" }, create: { id: "default", ...data }, update: data });
}

async function begin(browser: string, returnTo = "/training") {
  const started = await beginOidcSignIn(db.prisma, { origin: ORIGIN, returnTo, browserToken: browser });
  if (!started.ok) throw new Error(`not started: ${started.reason}`);
  return new URL(started.url);
}

/** Starts in `browser`, signs in at the provider as `login`, and hands the callback to the portal. */
async function signInAs(login: string, browser = "browser-a") {
  const url = await begin(browser);
  const back = await throughProvider(url.toString(), login, CALLBACK);
  return { back, outcome: await complete(back, browser) };
}
const complete = (back: URLSearchParams, browser: string | null) => completeOidcSignIn(db.prisma, { code: back.get("code"), state: back.get("state"), error: back.get("error"), browserToken: browser, ...req });
const lastRefusal = () => db.prisma.auditEvent.findFirst({ where: { action: "auth.signInRefused" }, orderBy: { id: "desc" } });

/** Re-signs the provider's ID token with some claims changed (with its key, or `key`). */
const resign = (change: (claims: JWTPayload) => JWTPayload, key?: Parameters<typeof SignJWT.prototype.sign>[0]) => async (idToken: string) =>
  new SignJWT(change(decodeJwt(idToken))).setProtectedHeader({ alg: "RS256", kid: op.signingKey.kid }).sign(key ?? (await importJWK(op.signingKey, "RS256")));

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  deptId = (await db.prisma.$transaction((tx) => makeDepartment(tx, { name: "总公司", code: "HQ" }))).id;
  op = await startOidcProvider({ redirectUris: [CALLBACK], accounts: ACCOUNTS });
  await db.prisma.$transaction(async (tx) => {
    await makeEmployee(tx, { departmentId: deptId, email: "alice@example.test" });
    await makeEmployee(tx, { departmentId: deptId, email: "bob-at-work@example.test", employeeNo: "E-1002" });
    await makeEmployee(tx, { departmentId: deptId, email: "carol@example.test" });
    await makeEmployee(tx, { departmentId: deptId, email: "gone@example.test", status: "DEPARTED" });
  });
});
afterAll(async () => {
  await op?.stop();
  await db?.close();
});
beforeEach(async () => {
  op.tamper = null;
  clearDiscoveryCache();
  await configure();
});

describe("a successful sign-in", () => {
  it("runs the code flow with PKCE, state and nonce, verifies the ID token and signs the person in by e-mail", async () => {
    const url = await begin("browser-1");
    expect(url.origin).toBe(op.issuer);
    const q = Object.fromEntries(url.searchParams);
    expect(q).toMatchObject({ response_type: "code", client_id: op.clientId, redirect_uri: CALLBACK, code_challenge_method: "S256" });
    expect(q.scope.split(" ")).toEqual(expect.arrayContaining(["openid", "email"]));
    for (const k of ["state", "nonce", "code_challenge"]) expect(q[k].length).toBeGreaterThanOrEqual(40);

    const back = await throughProvider(url.toString(), "alice", CALLBACK);
    const outcome = await complete(back, "browser-1");
    const alice = await db.prisma.employee.findUniqueOrThrow({ where: { email: "alice@example.test" } });
    expect(outcome).toMatchObject({ ok: true, employeeId: alice.id, method: "OIDC", returnTo: "/training" });
    if (!outcome.ok) throw new Error("unreachable");
    const user = await redeemSignIn(db.prisma, outcome.grant, ["OIDC"], req);
    expect(user?.id).toBe(alice.id);
    expect((await db.prisma.authSession.findUniqueOrThrow({ where: { id: user!.sessionId } })).method).toBe("OIDC");
    const event = await db.prisma.auditEvent.findFirst({ where: { action: "auth.signIn", entityId: alice.id }, orderBy: { id: "desc" } });
    expect(event?.after).toEqual({ method: "OIDC", sessionId: user!.sessionId });
  });

  it("matches by an employee-number claim when configured so", async () => {
    await configure({ oidcMatchBy: "EMPLOYEE_NO", oidcEmployeeNoClaim: "employee_number" });
    const { outcome } = await signInAs("bob");
    const bob = await db.prisma.employee.findUniqueOrThrow({ where: { employeeNo: "E-1002" } });
    expect(outcome).toMatchObject({ ok: true, employeeId: bob.id });
  });
});

describe("state and code", () => {
  it("refuses a callback in another browser, and the same callback twice", async () => {
    const url = await begin("browser-2");
    const back = await throughProvider(url.toString(), "alice", CALLBACK);
    expect(await complete(back, "browser-other")).toMatchObject({ ok: false, reason: "STATE" });
    expect(await complete(back, "browser-2")).toMatchObject({ ok: true });
    expect(await complete(back, "browser-2")).toMatchObject({ ok: false, reason: "USED" });
  });

  it("refuses a code replayed with a fresh state", async () => {
    const { back, outcome } = await signInAs("alice", "browser-3");
    expect(outcome.ok).toBe(true);
    const fresh = await begin("browser-3");
    const replay = new URLSearchParams({ code: back.get("code")!, state: fresh.searchParams.get("state")! });
    expect(await complete(replay, "browser-3")).toMatchObject({ ok: false, reason: "CODE_REPLAYED" });
  });

  it("refuses a stolen code injected into another sign-in: the provider refuses it for the other PKCE verifier", async () => {
    const victim = await begin("browser-victim");
    const stolen = await throughProvider(victim.toString(), "alice", CALLBACK);
    const attacker = await begin("browser-attacker");
    const injected = new URLSearchParams({ code: stolen.get("code")!, state: attacker.searchParams.get("state")! });
    expect(await complete(injected, "browser-attacker")).toMatchObject({ ok: false, reason: "CODE_INVALID" });
    expect((await lastRefusal())?.after).toMatchObject({ method: "OIDC", reason: "CODE_INVALID", error: "invalid_grant" });
  });

  it("reports a declined consent as cancelled", async () => {
    const url = await begin("browser-4");
    expect(await complete(new URLSearchParams({ error: "access_denied", state: url.searchParams.get("state")! }), "browser-4")).toMatchObject({ ok: false, reason: "CANCELLED" });
  });
});

describe("the ID token", () => {
  it("is refused with a nonce of another sign-in", async () => {
    op.tamper = resign((c) => ({ ...c, nonce: "not-the-nonce-of-this-sign-in" }));
    expect((await signInAs("alice")).outcome).toMatchObject({ ok: false, reason: "NONCE" });
  });

  it("is refused without a nonce", async () => {
    op.tamper = resign((c) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== "nonce")));
    expect((await signInAs("alice")).outcome).toMatchObject({ ok: false, reason: "NONCE" });
  });

  it("is refused when expired", async () => {
    const now = Math.floor(Date.now() / 1000);
    op.tamper = resign((c) => ({ ...c, iat: now - 7200, exp: now - 3600 }));
    expect((await signInAs("alice")).outcome).toMatchObject({ ok: false, reason: "TOKEN_EXPIRED" });
  });

  it("is refused when signed by another key under the provider's key id (forged)", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    op.tamper = resign((c) => c, privateKey);
    expect((await signInAs("alice")).outcome).toMatchObject({ ok: false, reason: "TOKEN_INVALID" });
    expect((await lastRefusal())?.after).toMatchObject({ reason: "TOKEN_INVALID", check: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
    expect((await exportJWK(privateKey)).n).not.toBe(op.signingKey.n);
  });

  it("is refused for another audience, another issuer, or unsigned (alg none)", async () => {
    op.tamper = resign((c) => ({ ...c, aud: "another-client" }));
    expect((await signInAs("alice")).outcome).toMatchObject({ ok: false, reason: "TOKEN_INVALID" });
    op.tamper = resign((c) => ({ ...c, iss: "https://evil.example" }));
    expect((await signInAs("alice")).outcome).toMatchObject({ ok: false, reason: "TOKEN_INVALID" });
    op.tamper = async (t) => {
      const claims = decodeJwt(t);
      return `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
    };
    expect((await signInAs("alice")).outcome).toMatchObject({ ok: false, reason: "TOKEN_INVALID" });
  });
});

describe("who may sign in", () => {
  it("refuses someone the portal does not know (just-in-time creation is off by default)", async () => {
    expect((await signInAs("stranger")).outcome).toMatchObject({ ok: false, reason: "UNKNOWN" });
    expect(await db.prisma.employee.findUnique({ where: { email: "stranger@example.test" } })).toBeNull();
  });

  it("applies the leavers' rule: OFFBOARDING may sign in until 18:00 China time of the last working day", async () => {
    const alice = await db.prisma.employee.findUniqueOrThrow({ where: { email: "alice@example.test" } });
    const today = new Date(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
    await db.prisma.employee.update({ where: { id: alice.id }, data: { status: "OFFBOARDING", leaveDate: new Date(today.getTime() + 86_400_000) } });
    expect((await signInAs("alice")).outcome).toMatchObject({ ok: true, employeeId: alice.id });
    await db.prisma.employee.update({ where: { id: alice.id }, data: { leaveDate: new Date(today.getTime() - 86_400_000) } });
    expect((await signInAs("alice")).outcome).toMatchObject({ ok: false, reason: "DEPARTED" });
    await db.prisma.employee.update({ where: { id: alice.id }, data: { status: "ACTIVE", leaveDate: null } });
  });

  it("refuses a departed employee and an unverified e-mail", async () => {
    expect((await signInAs("gone")).outcome).toMatchObject({ ok: false, reason: "DEPARTED" });
    expect((await signInAs("carol")).outcome).toMatchObject({ ok: false, reason: "EMAIL_UNVERIFIED" });
  });

  it("creates the person at first sign-in when ADMIN turned just-in-time creation on (audited)", async () => {
    await configure({ oidcJitEnabled: true, oidcJitDepartmentId: deptId });
    const { outcome } = await signInAs("stranger");
    expect(outcome.ok).toBe(true);
    const created = await db.prisma.employee.findUniqueOrThrow({ where: { email: "stranger@example.test" }, include: { roles: true } });
    expect(created).toMatchObject({ name: "新同事", status: "ACTIVE", departmentId: deptId });
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: created.id }, select: { passwordHash: true } })).passwordHash).toBeNull();
    expect(created.roles.map((r) => r.role)).toEqual(["EMPLOYEE"]);
    const event = await db.prisma.auditEvent.findFirst({ where: { action: "employee.create", entityId: created.id } });
    expect(event?.after).toMatchObject({ via: "OIDC_JIT", email: "stranger@example.test" });
  });
});

describe("configuration", () => {
  it("is not offered when off, and refuses a provider whose discovery names another issuer", async () => {
    await configure({ oidcEnabled: false });
    expect(await beginOidcSignIn(db.prisma, { origin: ORIGIN, returnTo: "/", browserToken: "b" })).toEqual({ ok: false, reason: "NOT_OFFERED" });
    await configure({ oidcIssuer: op.issuer.replace("127.0.0.1", "localhost") });
    expect(await beginOidcSignIn(db.prisma, { origin: ORIGIN, returnTo: "/", browserToken: "b" })).toEqual({ ok: false, reason: "PROVIDER_ERROR" });
  });

  it("refuses a wrong client secret at the token endpoint", async () => {
    const url = await begin("browser-5");
    const back = await throughProvider(url.toString(), "alice", CALLBACK);
    await configure({ oidcClientSecretCipher: encrypt("not-the-secret") });
    expect(await complete(back, "browser-5")).toMatchObject({ ok: false, reason: "PROVIDER_ERROR" });
  });
});
