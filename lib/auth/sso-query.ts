import { z } from "zod";
import { safeReturnPath } from "@/lib/url";

// The query strings of the public sign-in routes (app/api/auth/{wecom,oidc}/{start,callback}),
// parsed with zod. These routes are reached by a browser sent back by WeCom or an identity
// provider, so a bad value never answers 400: it becomes null (or the default), and the flow then
// refuses it on /login/refused with its audited reason (a missing state is "STATE", a missing code
// "CODE_INVALID"), exactly as a forged one.

/** One value: absent, repeated (an array), empty, too long or with control characters → null. */
const param = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001F\u007F]*$/)
    .nullable()
    .catch(null)
    .default(null);

/** A path inside the portal to land on afterwards; anything else is "/". */
const returnTo = z.unknown().transform((v) => safeReturnPath(v));

export const wecomStartQuery = z.object({ mode: z.enum(["oauth", "qr"]).catch("oauth").default("oauth"), returnTo });
export const oidcStartQuery = z.object({ returnTo });
export const wecomCallbackQuery = z.object({ code: param(512), state: param(512) });
export const oidcCallbackQuery = z.object({ code: param(2048), state: param(512), error: param(200) });

/** The query as zod sees it: a repeated name is an array (so `param` refuses it). */
export function queryOf(request: Request): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URL(request.url).searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
