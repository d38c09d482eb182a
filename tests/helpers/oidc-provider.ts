import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import Provider from "oidc-provider";

// A real OpenID provider for the tests (the maintained `oidc-provider` package, certified by the
// OpenID Foundation), on a loopback port: discovery, JWKS, the authorization endpoint with its
// development login and consent pages, the token endpoint (PKCE required) and UserInfo. Its
// signing key is the test's own, so a test can also make tokens the provider would have made —
// `tamper` rewrites the ID token the token endpoint returns (a wrong nonce, an expired token,
// another key's signature), through the provider's own middleware.

export type OidcAccount = { email?: string; email_verified?: boolean; name?: string; employee_number?: string };

export type TestOidcProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  signingKey: JWK;
  /** Rewrites the next ID tokens until set back to null. */
  tamper: ((idToken: string) => Promise<string>) | null;
  stop: () => Promise<void>;
};

export async function startOidcProvider(options: { redirectUris: string[]; accounts: Record<string, OidcAccount>; port?: number; clientId?: string; clientSecret?: string }): Promise<TestOidcProvider> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey: JWK = { ...(await exportJWK(privateKey)), kid: "test-signing-key", alg: "RS256", use: "sig" };
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = options.clientId ?? "wegovern-portal";
  const clientSecret = options.clientSecret ?? "test-client-secret-0123456789-abcdefghij";
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris, grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic" }],
    jwks: { keys: [signingKey] },
    findAccount: async (_ctx, id) => {
      const account = options.accounts[id];
      return account ? { accountId: id, claims: async () => ({ sub: id, ...account }) } : undefined;
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "employee_number"] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ["test-cookie-signing-key-0123456789"] },
  });
  const handle: TestOidcProvider = { issuer, clientId, clientSecret, signingKey, tamper: null, stop: async () => undefined };
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === "/token" && handle.tamper && body?.id_token) ctx.body = { ...body, id_token: await handle.tamper(body.id_token) };
  });
  server.on("request", provider.callback());
  handle.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return handle;
}

/** A browser's trip through the provider's development login and consent pages: follows the
 * redirects with a cookie jar until the provider sends the browser back to `callbackPrefix`, and
 * returns that URL's query. */
export async function throughProvider(authorizationUrl: string, login: string, callbackPrefix: string): Promise<URLSearchParams> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      jar.set(pair.slice(0, i).trim(), pair.slice(i + 1));
    }
  };
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() } });
    keep(res);
    init = {};
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get("location")!, url).toString();
      if (next.startsWith(callbackPrefix)) return new URL(next).searchParams;
      url = next;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replace(/&#x2F;/g, "/").replace(/&amp;/g, "&");
    if (res.status !== 200 || !action) throw new Error(`unexpected page from the provider (HTTP ${res.status}): ${html.slice(0, 300)}`);
    const body = html.includes('value="login"') ? new URLSearchParams({ prompt: "login", login, password: "any" }) : new URLSearchParams({ prompt: "consent" });
    url = new URL(action, url).toString();
    init = { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } };
  }
  throw new Error("too many redirects at the provider");
}
