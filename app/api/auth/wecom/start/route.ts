import { NextResponse } from "next/server";
import { defineSignInRoute } from "@/lib/auth/public-route";
import { browserBinding, portalOrigin, refusedRedirect, withBinding } from "@/lib/auth/sso-http";
import { wecomStartQuery } from "@/lib/auth/sso-query";
import { beginWeComSignIn } from "@/lib/auth/wecom-sign-in";
import { db } from "@/lib/server/db";

// Public: starts a WeCom sign-in (mode=oauth inside the WeCom client, mode=qr in a browser) and
// sends the browser to WeCom with a state bound to it (lib/auth/wecom-sign-in.ts). Rate-limited
// per address; query parsed with zod (lib/auth/public-route.ts).
export const GET = defineSignInRoute({
  method: "wecom",
  query: wecomStartQuery,
  run: async ({ input, request }) => {
    const binding = await browserBinding();
    const started = await beginWeComSignIn(db(), { mode: input.mode, origin: await portalOrigin(request), returnTo: input.returnTo, browserToken: binding });
    if (!started.ok) return refusedRedirect(request, started.reason, "wecom", input.returnTo);
    return withBinding(NextResponse.redirect(started.url, 303), binding);
  },
});
