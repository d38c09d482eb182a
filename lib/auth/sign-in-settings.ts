import { decrypt, encrypt } from "@/lib/pii";
import type { ActionContext } from "@/lib/server/action";
import { DomainError, forbidden, stale } from "@/lib/server/errors";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { loadConnection } from "@/lib/wecom/settings";
import type { SignInSettingsInput } from "./sign-in-schemas";

// Which sign-in methods the login page offers (/settings/sign-in, ADMIN; docs/sign-in.md). One
// row; without it the defaults apply: passwords only. The OIDC client secret is a lib/pii token and
// leaves this module only through `loadOidcClient` (the server-side token request); pages get
// whether it is set and its last four characters.

export type SignInSettingsView = {
  version: number;
  passwordEnabled: boolean;
  breakGlass: { id: string; name: string; email: string } | null;
  wecomOauthEnabled: boolean;
  wecomQrEnabled: boolean;
  oidcEnabled: boolean;
  oidcIssuer: string;
  oidcClientId: string;
  oidcSecret: { set: boolean; last4: string | null };
  oidcMatchBy: "EMAIL" | "EMPLOYEE_NO";
  oidcEmployeeNoClaim: string;
  oidcJitEnabled: boolean;
  oidcJitDepartmentId: string | null;
  portalUrl: string;
  updatedAt: Date | null;
};

/** What the login page needs: which buttons to show. */
export type OfferedMethods = { password: boolean; wecomOauth: boolean; wecomQr: boolean; oidc: boolean };

const row = (client: DbClient | Tx) =>
  client.signInSettings.findUnique({ where: { id: "default" }, include: { breakGlassEmployee: { select: { id: true, name: true, email: true } } } });

export async function loadSignInSettings(client: DbClient | Tx): Promise<SignInSettingsView> {
  const r = await row(client);
  return {
    version: r?.version ?? 1,
    passwordEnabled: r?.passwordEnabled ?? true,
    breakGlass: r?.breakGlassEmployee ?? null,
    wecomOauthEnabled: r?.wecomOauthEnabled ?? false,
    wecomQrEnabled: r?.wecomQrEnabled ?? false,
    oidcEnabled: r?.oidcEnabled ?? false,
    oidcIssuer: r?.oidcIssuer ?? "",
    oidcClientId: r?.oidcClientId ?? "",
    oidcSecret: { set: Boolean(r?.oidcClientSecretCipher), last4: r?.oidcClientSecretCipher ? (r.oidcClientSecretLast4 ?? null) : null },
    oidcMatchBy: r?.oidcMatchBy === "EMPLOYEE_NO" ? "EMPLOYEE_NO" : "EMAIL",
    oidcEmployeeNoClaim: r?.oidcEmployeeNoClaim ?? "employee_number",
    oidcJitEnabled: r?.oidcJitEnabled ?? false,
    oidcJitDepartmentId: r?.oidcJitDepartmentId ?? null,
    portalUrl: r?.portalUrl ?? "",
    updatedAt: r?.updatedAt ?? null,
  };
}

export async function offeredMethods(client: DbClient | Tx): Promise<OfferedMethods> {
  const v = await loadSignInSettings(client);
  return { password: v.passwordEnabled, wecomOauth: v.wecomOauthEnabled, wecomQr: v.wecomQrEnabled, oidc: v.oidcEnabled };
}

export type OidcClientConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  matchBy: "EMAIL" | "EMPLOYEE_NO";
  employeeNoClaim: string;
  jitEnabled: boolean;
  jitDepartmentId: string | null;
};

/** The OIDC client with its secret decrypted, for the server-side token request only; null when
 * OIDC is not offered or not complete. */
export async function loadOidcClient(client: DbClient | Tx): Promise<OidcClientConfig | null> {
  const r = await client.signInSettings.findUnique({ where: { id: "default" } });
  if (!r?.oidcEnabled || !r.oidcIssuer || !r.oidcClientId || !r.oidcClientSecretCipher) return null;
  return {
    issuer: r.oidcIssuer,
    clientId: r.oidcClientId,
    clientSecret: decrypt(r.oidcClientSecretCipher),
    matchBy: r.oidcMatchBy === "EMPLOYEE_NO" ? "EMPLOYEE_NO" : "EMAIL",
    employeeNoClaim: r.oidcEmployeeNoClaim,
    jitEnabled: r.oidcJitEnabled,
    jitDepartmentId: r.oidcJitDepartmentId,
  };
}

const invalid = (field: string, key: string, params?: Record<string, string | number>) => new DomainError("VALIDATION", key, { field, params });

/** Saves the form. Refused: passwords off without a break-glass ADMIN who has a password, or with
 * no other method offered; WeCom offered before the WeCom connection has a corp id, agent id and
 * app secret; OIDC offered without issuer, client id and secret; just-in-time creation without a
 * department. Audited with the secret only as set / last four characters. */
export async function saveSignInSettings(ctx: ActionContext<SignInSettingsInput>): Promise<{ version: number }> {
  const { input, tx } = ctx;
  if (!ctx.actor.permissions.has("signIn.configure")) throw forbidden();
  const current = await row(tx);
  if ((current?.version ?? 1) !== input.version) throw stale();
  const before = await loadSignInSettings(tx);

  let breakGlassId: string | null = current?.breakGlassEmployeeId ?? null;
  if (input.breakGlassEmail) {
    const person = await tx.employee.findUnique({ where: { email: input.breakGlassEmail }, select: { id: true, status: true, passwordHash: true, roles: { select: { role: true } } } });
    if (!person || person.status === "DEPARTED" || !person.roles.some((r) => r.role === "ADMIN")) throw invalid("breakGlassEmail", "signIn.settings.breakGlassNotAdmin");
    if (!person.passwordHash) throw invalid("breakGlassEmail", "signIn.settings.breakGlassNoPassword");
    breakGlassId = person.id;
  } else {
    breakGlassId = null;
  }
  if (!input.passwordEnabled) {
    if (!breakGlassId) throw invalid("breakGlassEmail", "signIn.settings.breakGlassRequired");
    if (!input.wecomOauthEnabled && !input.wecomQrEnabled && !input.oidcEnabled) throw invalid("passwordEnabled", "signIn.settings.oneMethod");
  }
  if (input.wecomOauthEnabled || input.wecomQrEnabled) {
    const conn = await loadConnection(tx);
    if (!conn.corpId || !conn.agentId || !conn.customerSecret) throw invalid(input.wecomOauthEnabled ? "wecomOauthEnabled" : "wecomQrEnabled", "signIn.settings.wecomNotConfigured");
  }
  const secretAfter = input.oidcClientSecret ? true : input.clearOidcClientSecret ? false : Boolean(current?.oidcClientSecretCipher);
  if (input.oidcEnabled) {
    if (!input.oidcIssuer) throw invalid("oidcIssuer", "errors.v.required");
    if (!input.oidcClientId) throw invalid("oidcClientId", "errors.v.required");
    if (!secretAfter) throw invalid("oidcClientSecret", "errors.v.required");
  }
  if (input.oidcJitEnabled) {
    if (!input.oidcJitDepartmentId) throw invalid("oidcJitDepartmentId", "signIn.settings.jitDepartment");
    const dept = await tx.department.findUnique({ where: { id: input.oidcJitDepartmentId }, select: { id: true } });
    if (!dept) throw invalid("oidcJitDepartmentId", "signIn.settings.jitDepartment");
  }

  const data = {
    passwordEnabled: input.passwordEnabled,
    breakGlassEmployeeId: breakGlassId,
    wecomOauthEnabled: input.wecomOauthEnabled,
    wecomQrEnabled: input.wecomQrEnabled,
    oidcEnabled: input.oidcEnabled,
    oidcIssuer: input.oidcIssuer.replace(/\/+$/, ""),
    oidcClientId: input.oidcClientId,
    ...(input.oidcClientSecret
      ? { oidcClientSecretCipher: encrypt(input.oidcClientSecret), oidcClientSecretLast4: input.oidcClientSecret.slice(-4) }
      : input.clearOidcClientSecret
        ? { oidcClientSecretCipher: null, oidcClientSecretLast4: null }
        : {}),
    oidcMatchBy: input.oidcMatchBy,
    oidcEmployeeNoClaim: input.oidcEmployeeNoClaim,
    oidcJitEnabled: input.oidcJitEnabled,
    oidcJitDepartmentId: input.oidcJitDepartmentId ?? null,
    portalUrl: input.portalUrl.replace(/\/+$/, ""),
    updatedById: ctx.actor.id,
  };
  let saved: { version: number };
  if (!current) {
    saved = await tx.signInSettings.create({ data: { id: "default", ...data, version: 2 }, select: { version: true } });
  } else {
    const n = await tx.signInSettings.updateMany({ where: { id: "default", version: input.version }, data: { ...data, version: { increment: 1 } } });
    if (n.count === 0) throw stale();
    saved = { version: input.version + 1 };
  }
  const after = await loadSignInSettings(tx);
  const shown = (v: SignInSettingsView) => ({
    passwordEnabled: v.passwordEnabled,
    breakGlass: v.breakGlass?.email ?? null,
    wecomOauthEnabled: v.wecomOauthEnabled,
    wecomQrEnabled: v.wecomQrEnabled,
    oidcEnabled: v.oidcEnabled,
    oidcIssuer: v.oidcIssuer,
    oidcClientId: v.oidcClientId,
    oidcSecret: v.oidcSecret,
    oidcMatchBy: v.oidcMatchBy,
    oidcEmployeeNoClaim: v.oidcEmployeeNoClaim,
    oidcJitEnabled: v.oidcJitEnabled,
    oidcJitDepartmentId: v.oidcJitDepartmentId,
    portalUrl: v.portalUrl,
  });
  await ctx.audit({
    action: "signIn.settings.update",
    entityType: "SignInSettings",
    entityId: "default",
    before: shown(before),
    after: { ...shown(after), secretChanged: Boolean(input.oidcClientSecret) || (input.clearOidcClientSecret && before.oidcSecret.set) },
  });
  return saved;
}
