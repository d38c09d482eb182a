import { NextResponse } from "next/server";
import { beginOidcSignIn } from "@/lib/auth/oidc";
import { defineSignInRoute } from "@/lib/auth/public-route";
import { browserBinding, portalOrigin, refusedRedirect, withBinding } from "@/lib/auth/sso-http";
import { oidcStartQuery } from "@/lib/auth/sso-query";
import { db } from "@/lib/server/db";

// Public: starts an OpenID Connect sign-in (state, nonce, PKCE; lib/auth/oidc.ts) and sends the
// browser to the company's identity provider. Rate-limited per address; query parsed with zod.
export const GET = defineSignInRoute({
  method: "oidc",
  query: oidcStartQuery,
  run: async ({ input, request }) => {
    const binding = await browserBinding();
    const started = await beginOidcSignIn(db(), { origin: await portalOrigin(request), returnTo: input.returnTo, browserToken: binding });
    if (!started.ok) return refusedRedirect(request, started.reason, "oidc", input.returnTo);
    return withBinding(NextResponse.redirect(started.url, 303), binding);
  },
});
