import "server-only";
import { z } from "zod";
import { writeAuditEvent } from "@/lib/server/audit-write";
import { clientIp } from "@/lib/server/client-ip";
import { db } from "@/lib/server/db";
import { takeSignInSlot } from "./rate-limit";
import { queryOf } from "./sso-query";
import { refusedRedirect } from "./sso-http";

// The one path of the public sign-in routes (WeCom and OIDC start/callback). They cannot use
// defineRoute (lib/server/route.ts): nobody is signed in yet, and the answer is a page to a person,
// not JSON. Here: the per-address rate limit (in the database: every process shares it; the
// first request over the limit in a minute is audited) → zod on the query (./sso-query.ts) → the
// handler. Over the limit: the Chinese (or English) page /login/refused?reason=RATE_LIMITED.

export function defineSignInRoute<S extends z.ZodType>(options: { method: "wecom" | "oidc"; query: S; run: (ctx: { input: z.output<S>; request: Request }) => Promise<Response> }) {
  return async function handler(request: Request): Promise<Response> {
    const address = clientIp(request.headers) ?? "unknown";
    const slot = await takeSignInSlot(db(), address);
    if (!slot.ok) {
      if (slot.firstOver)
        await db().$transaction((tx) =>
          writeAuditEvent(tx, { id: null, label: "system", ip: address }, { action: "auth.signInRateLimited", entityType: "SignInFlow", entityId: "-", after: { method: options.method, path: new URL(request.url).pathname, count: slot.count } }),
        );
      const page = await refusedRedirect(request, "RATE_LIMITED", options.method);
      page.headers.set("Retry-After", String(Math.max(1, Math.ceil((slot.retryAt.getTime() - Date.now()) / 1000))));
      return page;
    }
    const input = options.query.parse(queryOf(request));
    return options.run({ input, request });
  };
}
