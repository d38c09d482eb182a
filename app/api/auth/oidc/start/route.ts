import { NextResponse } from "next/server";
import { beginOidcSignIn } from "@/lib/auth/oidc";
import { browserBinding, portalOrigin, refusedRedirect, returnToOf, withBinding } from "@/lib/auth/sso-http";
import { db } from "@/lib/server/db";

// Public: starts an OpenID Connect sign-in (state, nonce, PKCE; lib/auth/oidc.ts) and sends the
// browser to the company's identity provider.
export async function GET(request: Request): Promise<Response> {
  const returnTo = returnToOf(request);
  const binding = await browserBinding();
  const started = await beginOidcSignIn(db(), { origin: await portalOrigin(request), returnTo, browserToken: binding });
  if (!started.ok) return refusedRedirect(request, started.reason, "oidc", returnTo);
  return withBinding(NextResponse.redirect(started.url, 303), binding);
}
