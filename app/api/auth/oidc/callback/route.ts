import { completeOidcSignIn } from "@/lib/auth/oidc";
import { defineSignInRoute } from "@/lib/auth/public-route";
import { readBrowserBinding, refusedRedirect, requestInfo } from "@/lib/auth/sso-http";
import { oidcCallbackQuery } from "@/lib/auth/sso-query";
import { signIn } from "@/lib/server/auth";
import { db } from "@/lib/server/db";

// Public: the identity provider sends the browser back here with a code (or an error) and our
// state. The code is exchanged, the ID token verified, the person found; a known, active person is
// signed in through the "oidc" Auth.js provider; anyone else sees why on /login/refused.
export const GET = defineSignInRoute({
  method: "oidc",
  query: oidcCallbackQuery,
  run: async ({ input, request }) => {
    const outcome = await completeOidcSignIn(db(), { code: input.code, state: input.state, error: input.error, browserToken: await readBrowserBinding(), ...requestInfo(request) });
    if (!outcome.ok) return refusedRedirect(request, outcome.reason, "oidc", outcome.returnTo);
    await signIn("oidc", { grant: outcome.grant, redirectTo: outcome.returnTo });
    return new Response(null, { status: 500 });
  },
});
