import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { readStreamWithLimit } from "@/lib/http-body";
import { writeAuditEvent } from "@/lib/server/audit-write";
import type { DbClient } from "@/lib/server/prisma-client";
import { beginFlow, mintGrant, randomToken, takeFlow } from "./flows";
import { loadOidcClient, type OidcClientConfig } from "./sign-in-settings";
import { refusalFor, refuse, type RequestInfo, type SsoOutcome, type SsoRefusal } from "./sso";

// Sign-in through the company's OpenID Connect provider (docs/sign-in.md): discovery, the
// authorization code flow with PKCE (S256), state bound to the browser and single-use
// (lib/auth/flows.ts), a nonce per sign-in, the code exchanged at the token endpoint with the
// client secret, and the ID token's signature (keys from the provider's jwks_uri; asymmetric
// algorithms only) and claims (iss, aud, azp, exp, iat, nonce) verified here — not taken on trust
// from the TLS connection. The person is found by the configured claim (the verified e-mail, or
// an employee number claim); just-in-time creation is off unless ADMIN turns it on.

export const OIDC_CALLBACK_PATH = "/api/auth/oidc/callback";
const TIMEOUT_MS = 10_000;
const MAX_BODY = 512 * 1024;
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});
export type OidcDiscovery = z.output<typeof discoverySchema>;

async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: "application/json", ...init.headers } });
  const bytes = await readStreamWithLimit(res.body, MAX_BODY);
  if (bytes === null) throw new Error(`${url}: answer too large`);
  try {
    return { status: res.status, json: JSON.parse(Buffer.from(bytes).toString("utf8")) };
  } catch {
    throw new Error(`${url}: answer is not JSON (HTTP ${res.status})`);
  }
}

const discoveryCache = new Map<string, { at: number; doc: OidcDiscovery; jwks: JWTVerifyGetKey }>();
const DISCOVERY_TTL_MS = 10 * 60_000;

/** The provider's metadata (cached ten minutes per issuer); its `issuer` must be the configured one exactly. */
export async function discover(issuer: string): Promise<{ doc: OidcDiscovery; jwks: JWTVerifyGetKey }> {
  const hit = discoveryCache.get(issuer);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit;
  const { status, json } = await getJson(`${issuer}/.well-known/openid-configuration`);
  if (status !== 200) throw new Error(`discovery answered HTTP ${status}`);
  const doc = discoverySchema.parse(json);
  if (doc.issuer.replace(/\/+$/, "") !== issuer) throw new Error(`discovery names issuer ${doc.issuer}, not ${issuer}`);
  const entry = { at: Date.now(), doc, jwks: createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: TIMEOUT_MS }) };
  discoveryCache.set(issuer, entry);
  return entry;
}

/** Forget the cached metadata (tests; a changed issuer is a new key anyway). */
export function clearDiscoveryCache(): void {
  discoveryCache.clear();
}

export async function beginOidcSignIn(client: DbClient, input: { origin: string; returnTo: string; browserToken: string }): Promise<{ ok: true; url: string } | { ok: false; reason: SsoRefusal }> {
  const config = await loadOidcClient(client);
  if (!config) return { ok: false, reason: "NOT_OFFERED" };
  let doc: OidcDiscovery;
  try {
    doc = (await discover(config.issuer)).doc;
  } catch (error) {
    console.warn(`[sign-in] OIDC discovery failed: ${(error as Error)?.message ?? String(error)}`);
    return { ok: false, reason: "PROVIDER_ERROR" };
  }
  const redirectUri = `${input.origin}${OIDC_CALLBACK_PATH}`;
  const flow = await beginFlow(client, { method: "OIDC", browserToken: input.browserToken, redirectUri, returnTo: input.returnTo });
  const u = new URL(doc.authorization_endpoint);
  const params = {
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: "openid email profile",
    state: flow.state,
    nonce: flow.nonce!,
    code_challenge: flow.codeChallenge!,
    code_challenge_method: "S256",
  };
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return { ok: true, url: u.toString() };
}

export type IdTokenRefusal = "TOKEN_INVALID" | "TOKEN_EXPIRED" | "NONCE";

/** Verifies an ID token: signature by a key of the provider (asymmetric algorithms only), issuer,
 * audience (and azp when there are several), exp/iat (60 s of clock skew), and the nonce. */
export async function verifyIdToken(
  idToken: string,
  expected: { issuer: string; clientId: string; nonce: string; jwks: JWTVerifyGetKey; algorithms?: string[] },
): Promise<{ ok: true; claims: JWTPayload } | { ok: false; reason: IdTokenRefusal; detail: string }> {
  const algorithms = (expected.algorithms?.length ? expected.algorithms : ["RS256"]).filter((a) => ASYMMETRIC.test(a));
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(idToken, expected.jwks, { issuer: expected.issuer, audience: expected.clientId, algorithms, clockTolerance: 60, requiredClaims: ["sub", "exp", "iat"] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: "TOKEN_EXPIRED", detail: error.code };
    return { ok: false, reason: "TOKEN_INVALID", detail: (error as { code?: string })?.code ?? "ERR_INVALID" };
  }
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== expected.clientId) return { ok: false, reason: "TOKEN_INVALID", detail: "azp" };
  if (typeof claims.nonce !== "string" || claims.nonce !== expected.nonce) return { ok: false, reason: "NONCE", detail: "nonce" };
  return { ok: true, claims };
}

type TokenAnswer = { ok: true; idToken: string; accessToken: string | null } | { ok: false; reason: SsoRefusal; detail: Record<string, unknown> };

async function exchangeCode(doc: OidcDiscovery, config: OidcClientConfig, code: string, redirectUri: string, codeVerifier: string): Promise<TokenAnswer> {
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: codeVerifier });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const methods = doc.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  if (methods.includes("client_secret_basic") || !methods.includes("client_secret_post")) {
    const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
    headers.authorization = `Basic ${Buffer.from(`${enc(config.clientId)}:${enc(config.clientSecret)}`).toString("base64")}`;
  } else {
    body.set("client_id", config.clientId);
    body.set("client_secret", config.clientSecret);
  }
  let answer: { status: number; json: unknown };
  try {
    answer = await getJson(doc.token_endpoint, { method: "POST", body, headers });
  } catch (error) {
    return { ok: false, reason: "PROVIDER_ERROR", detail: { failure: (error as Error)?.message?.slice(0, 200) ?? "network" } };
  }
  const json = (answer.json ?? {}) as { id_token?: unknown; access_token?: unknown; error?: unknown };
  if (answer.status !== 200) {
    // invalid_grant: the code is unknown, used, expired, or was issued for another PKCE verifier.
    return { ok: false, reason: json.error === "invalid_grant" ? "CODE_INVALID" : "PROVIDER_ERROR", detail: { httpStatus: answer.status, error: typeof json.error === "string" ? json.error.slice(0, 60) : null } };
  }
  if (typeof json.id_token !== "string") return { ok: false, reason: "TOKEN_INVALID", detail: { error: "no id_token" } };
  return { ok: true, idToken: json.id_token, accessToken: typeof json.access_token === "string" ? json.access_token : null };
}

/** Claims the ID token left out (providers may put e-mail and the like only in UserInfo for the
 * code flow): read from the UserInfo endpoint with the access token, and used only when its `sub`
 * is the ID token's. The ID token's own claims win. */
async function withUserInfo(doc: OidcDiscovery, accessToken: string | null, claims: JWTPayload, wanted: string): Promise<JWTPayload> {
  if (claims[wanted] !== undefined || !doc.userinfo_endpoint || !accessToken) return claims;
  try {
    const { status, json } = await getJson(doc.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
    if (status !== 200 || !json || typeof json !== "object" || (json as { sub?: unknown }).sub !== claims.sub) return claims;
    return { ...(json as JWTPayload), ...claims };
  } catch {
    return claims;
  }
}

export async function completeOidcSignIn(
  client: DbClient,
  input: { code: string | null; state: string | null; error: string | null; browserToken: string | null } & RequestInfo,
): Promise<SsoOutcome> {
  const req = { ip: input.ip, userAgent: input.userAgent };
  const taken = await takeFlow(client, { state: input.state ?? "", browserToken: input.browserToken, code: input.code, methods: ["OIDC"] });
  if (!taken.ok) return refuse(client, "OIDC", taken.reason, { ...req, flowId: taken.flowId, returnTo: taken.returnTo });
  const { flow } = taken;
  const ctx = { ...req, flowId: flow.id, returnTo: flow.returnTo };
  if (input.error || !input.code) return refuse(client, "OIDC", input.error === "access_denied" ? "CANCELLED" : "PROVIDER_ERROR", { ...ctx, detail: { error: input.error?.slice(0, 60) ?? null } });

  const config = await loadOidcClient(client);
  if (!config) return refuse(client, "OIDC", "NOT_OFFERED", ctx);
  let discovered: Awaited<ReturnType<typeof discover>>;
  try {
    discovered = await discover(config.issuer);
  } catch {
    return refuse(client, "OIDC", "PROVIDER_ERROR", { ...ctx, detail: { failure: "discovery" } });
  }
  const token = await exchangeCode(discovered.doc, config, input.code, flow.redirectUri, flow.codeVerifier!);
  if (!token.ok) return refuse(client, "OIDC", token.reason, { ...ctx, detail: token.detail });
  const verified = await verifyIdToken(token.idToken, { issuer: config.issuer, clientId: config.clientId, nonce: flow.nonce!, jwks: discovered.jwks, algorithms: discovered.doc.id_token_signing_alg_values_supported });
  if (!verified.ok) return refuse(client, "OIDC", verified.reason, { ...ctx, detail: { check: verified.detail } });
  const claims = await withUserInfo(discovered.doc, token.accessToken, verified.claims, config.matchBy === "EMAIL" ? "email" : config.employeeNoClaim);

  // The person, by the configured claim.
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : null;
  if (config.matchBy === "EMAIL" && claims.email_verified === false) return refuse(client, "OIDC", "EMAIL_UNVERIFIED", ctx);
  const employeeNoRaw = claims[config.employeeNoClaim];
  const employeeNo = typeof employeeNoRaw === "string" || typeof employeeNoRaw === "number" ? String(employeeNoRaw).trim() : null;
  const key = config.matchBy === "EMAIL" ? email : employeeNo;
  let employee: { id: string; status: string; leaveDate: Date | null } | null = key
    ? await client.employee.findUnique({ where: config.matchBy === "EMAIL" ? { email: key } : { employeeNo: key }, select: { id: true, status: true, leaveDate: true } })
    : null;
  if (!employee && key && config.jitEnabled && config.jitDepartmentId && email && claims.email_verified !== false) {
    employee = await createJustInTime(client, { email, employeeNo, name: typeof claims.name === "string" ? claims.name : null, departmentId: config.jitDepartmentId, ip: req.ip, subject: String(claims.sub) });
  }
  const refusal = refusalFor(employee);
  if (refusal) return refuse(client, "OIDC", refusal, { ...ctx, employeeId: employee?.id, detail: { matchBy: config.matchBy, claimPresent: Boolean(key) } });
  const grant = await mintGrant(client, flow.id, employee!.id);
  return { ok: true, grant, returnTo: flow.returnTo, employeeId: employee!.id, method: "OIDC" };
}

/** Just-in-time creation (when ADMIN turned it on): an ACTIVE employee with the EMPLOYEE role and
 * no password, in the configured department; audited as employee.create by the sign-in. A
 * conflicting e-mail or employee number (someone else holds it) creates nobody. */
async function createJustInTime(
  client: DbClient,
  input: { email: string; employeeNo: string | null; name: string | null; departmentId: string; ip: string | null; subject: string },
): Promise<{ id: string; status: string; leaveDate: Date | null } | null> {
  const name = (input.name?.trim() || input.email.split("@")[0]).replace(/[\u0000-\u001F\u007F-\u009F]/g, "").slice(0, 100);
  const employeeNo = (input.employeeNo && /^[A-Za-z0-9_-]{1,40}$/.test(input.employeeNo) ? input.employeeNo : `SSO-${randomToken(6).toUpperCase().replace(/[^A-Z0-9]/g, "X")}`).slice(0, 40);
  const today = new Date(new Date().toISOString().slice(0, 10));
  try {
    return await client.$transaction(async (tx) => {
      const e = await tx.employee.create({ data: { employeeNo, name, email: input.email, departmentId: input.departmentId, hireDate: today, status: "ACTIVE", roles: { create: [{ role: "EMPLOYEE" }] } }, select: { id: true, status: true, leaveDate: true } });
      await writeAuditEvent(tx, { id: null, label: "system", ip: input.ip }, {
        action: "employee.create",
        entityType: "Employee",
        entityId: e.id,
        after: { employeeNo, name, email: input.email, departmentId: input.departmentId, roles: ["EMPLOYEE"], via: "OIDC_JIT" },
      });
      return e;
    });
  } catch (error) {
    if ((error as { code?: string })?.code === "P2002") return null;
    throw error;
  }
}
