import "server-only";
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { clientIp, requestIsHttps } from "@/lib/server/client-ip";
import { db } from "@/lib/server/db";
import { randomToken } from "./flows";
import { loadSignInSettings } from "./sign-in-settings";
import type { RequestInfo, SsoRefusal } from "./sso";

// The HTTP side of the WeCom and OIDC sign-ins (app/api/auth/wecom/*, app/api/auth/oidc/*): the
// browser-binding cookie, the portal's public origin for the callback URLs, and the redirects.

const secure = () => process.env.NODE_ENV === "production" && process.env.AUTH_INSECURE_COOKIES !== "1";
/** The browser's half of a sign-in flow's binding (lib/auth/flows.ts). __Host-: this host only, path /, HTTPS. */
export const bindingCookieName = () => (secure() ? "__Host-wegovern-sso" : "wegovern-sso");

/** The binding value this browser holds, or a new one; the caller sets it on its response. */
export async function browserBinding(): Promise<string> {
  const existing = (await cookies()).get(bindingCookieName())?.value;
  return existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomToken();
}

export async function readBrowserBinding(): Promise<string | null> {
  return (await cookies()).get(bindingCookieName())?.value ?? null;
}

export function withBinding(response: NextResponse, value: string): NextResponse {
  // Lax: sent on the top-level GET by which WeCom or the identity provider sends the browser back.
  response.cookies.set(bindingCookieName(), value, { httpOnly: true, sameSite: "lax", secure: secure(), path: "/", maxAge: 600 });
  return response;
}

/** The portal's public origin: the configured address, else the host this request came to. */
export async function portalOrigin(request: Request): Promise<string> {
  const configured = (await loadSignInSettings(db())).portalUrl;
  if (configured) return configured.replace(/\/+$/, "");
  const host = request.headers.get("host") ?? "";
  if (/^(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(host)) return `${requestIsHttps(request.headers) ? "https" : "http"}://${host}`;
  return new URL(request.url).origin;
}

export function requestInfo(request: Request): RequestInfo {
  return { ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") };
}

/** The refusal page (/login/refused), which says why in the person's language. */
export async function refusedRedirect(request: Request, reason: SsoRefusal, method: "wecom" | "oidc", returnTo?: string | null): Promise<NextResponse> {
  const u = new URL("/login/refused", await portalOrigin(request));
  u.searchParams.set("reason", reason);
  u.searchParams.set("method", method);
  if (returnTo && returnTo !== "/") u.searchParams.set("returnTo", returnTo);
  return NextResponse.redirect(u, 303);
}
