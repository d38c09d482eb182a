import { z } from "zod";
import { id, optionalId, optionalText, version } from "@/lib/validation";

// The forms of /settings/sign-in and of the sign-in card on an employee's page. Kept free of
// server imports: the forms validate with the same schemas in the browser.

const checkbox = z.preprocess((v) => v === "on" || v === "1" || v === "true" || v === true, z.boolean());

/** https://…, or http:// on the machine itself (a provider the tests start); no query or fragment. */
export function isIssuerUrl(v: string): boolean {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return false;
  }
  if (u.search || u.hash || u.username || u.password) return false;
  if (u.protocol === "https:") return true;
  return u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);
}

export const signInSettingsSchema = z.object({
  version,
  passwordEnabled: checkbox,
  /** The break-glass ADMIN, by e-mail: the only one who may still use a password when passwords are off. */
  breakGlassEmail: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().trim().toLowerCase().max(254, { error: "errors.v.tooLong" }).pipe(z.email({ error: "errors.v.email" })).optional()),
  wecomOauthEnabled: checkbox,
  wecomQrEnabled: checkbox,
  oidcEnabled: checkbox,
  oidcIssuer: z.preprocess((v) => (v === null || v === undefined ? "" : v), z.string().trim().max(300, { error: "errors.v.tooLong" }).refine((v) => v === "" || isIssuerUrl(v), { error: "signIn.v.issuer" })),
  oidcClientId: z.preprocess((v) => (v === null || v === undefined ? "" : v), z.string().trim().max(200, { error: "errors.v.tooLong" }).regex(/^[\x21-\x7E]*$/, { error: "signIn.v.clientId" })),
  /** Write-only: empty keeps the stored secret; "clear" removes it. */
  oidcClientSecret: optionalText(500).refine((v) => v === undefined || !/\s/.test(v), { error: "signIn.v.noSpaces" }),
  clearOidcClientSecret: checkbox,
  oidcMatchBy: z.enum(["EMAIL", "EMPLOYEE_NO"], { error: "signIn.v.matchBy" }).default("EMAIL"),
  oidcEmployeeNoClaim: z.preprocess((v) => (v === null || v === undefined || v === "" ? "employee_number" : v), z.string().trim().max(100, { error: "errors.v.tooLong" }).regex(/^[A-Za-z_][A-Za-z0-9_.:-]*$/, { error: "signIn.v.claim" })),
  oidcJitEnabled: checkbox,
  oidcJitDepartmentId: optionalId,
  portalUrl: z.preprocess((v) => (v === null || v === undefined ? "" : v), z.string().trim().max(200, { error: "errors.v.tooLong" }).refine((v) => v === "" || /^https?:\/\/[^/?#\s]+\/?$/.test(v), { error: "signIn.v.portalUrl" })),
});
export type SignInSettingsInput = z.output<typeof signInSettingsSchema>;

export const endSessionSchema = z.object({ employeeId: id, sessionId: z.string().trim().regex(/^[A-Za-z0-9_-]{10,64}$/, { error: "errors.v.invalidId" }) });
export type EndSessionInput = z.output<typeof endSessionSchema>;

/** WeCom's userid rules: letters, digits and _-.@ up to 64 characters; empty unlinks. */
export const weComLinkSchema = z.object({
  employeeId: id,
  wecomUserid: z.preprocess((v) => (v === null || v === undefined ? "" : v), z.string().trim().max(64, { error: "errors.v.tooLong" }).regex(/^[A-Za-z0-9_.@-]*$/, { error: "signIn.v.wecomUserid" })),
});
export type WeComLinkInput = z.output<typeof weComLinkSchema>;
