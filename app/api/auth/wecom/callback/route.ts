import { defineSignInRoute } from "@/lib/auth/public-route";
import { readBrowserBinding, refusedRedirect, requestInfo } from "@/lib/auth/sso-http";
import { wecomCallbackQuery } from "@/lib/auth/sso-query";
import { completeWeComSignIn } from "@/lib/auth/wecom-sign-in";
import { signIn } from "@/lib/server/auth";
import { db } from "@/lib/server/db";

// Public: WeCom sends the browser back here with a one-time code and our state. The code is
// exchanged for the member's userid; a known, active person is signed in through the "wecom"
// Auth.js provider and lands on the page they came for; anyone else sees why on /login/refused.
export const GET = defineSignInRoute({
  method: "wecom",
  query: wecomCallbackQuery,
  run: async ({ input, request }) => {
    const outcome = await completeWeComSignIn(db(), { code: input.code, state: input.state, browserToken: await readBrowserBinding(), ...requestInfo(request) });
    if (!outcome.ok) return refusedRedirect(request, outcome.reason, "wecom", outcome.returnTo);
    // Throws Next's redirect to returnTo with the session cookie set.
    await signIn("wecom", { grant: outcome.grant, redirectTo: outcome.returnTo });
    return new Response(null, { status: 500 });
  },
});
