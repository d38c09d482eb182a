import { NextResponse } from "next/server";
import { browserBinding, portalOrigin, refusedRedirect, returnToOf, withBinding } from "@/lib/auth/sso-http";
import { beginWeComSignIn } from "@/lib/auth/wecom-sign-in";
import { db } from "@/lib/server/db";

// Public: starts a WeCom sign-in (mode=oauth inside the WeCom client, mode=qr in a browser) and
// sends the browser to WeCom with a state bound to it (lib/auth/wecom-sign-in.ts).
export async function GET(request: Request): Promise<Response> {
  const mode = new URL(request.url).searchParams.get("mode") === "qr" ? "qr" : "oauth";
  const returnTo = returnToOf(request);
  const binding = await browserBinding();
  const started = await beginWeComSignIn(db(), { mode, origin: await portalOrigin(request), returnTo, browserToken: binding });
  if (!started.ok) return refusedRedirect(request, started.reason, "wecom", returnTo);
  return withBinding(NextResponse.redirect(started.url, 303), binding);
}
