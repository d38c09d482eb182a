import { serverEnv } from "@/lib/server/env";
import type { DbClient } from "@/lib/server/prisma-client";
import { clientsFor } from "@/lib/wecom/connection";
import { WeComError } from "@/lib/wecom/errors";
import { loadConnection } from "@/lib/wecom/settings";
import { beginFlow, takeFlow, mintGrant, type FlowMethod } from "./flows";
import { loadSignInSettings } from "./sign-in-settings";
import { refusalFor, refuse, type RequestInfo, type SsoOutcome, type SsoRefusal } from "./sso";

// Sign-in with WeCom (docs/sign-in.md; ../shared/reference/wecom-api.md, Sign-in). Inside the
// WeCom client: OAuth with scope snsapi_base (silent); in a browser: WeCom's QR login. Both come
// back to /api/auth/wecom/callback with a one-time code, which is not standard OAuth 2: it is
// exchanged with GET /cgi-bin/auth/getuserinfo and the access token of the self-built app whose
// agent id the link carried. That app's secret is the one the WeCom connection calls the
// customer-contact secret (the self-built app authorised for customer contact, /settings/wecom):
// the contact-sync secret belongs to no app with an agent id, so its token cannot exchange a code.
// The userid is matched to an employee by employees.wecom_userid; the member's WeCom status as the
// directory sync last saw it is checked, and WeCom is asked again (user/get), so a member WeCom has
// disabled is refused even if the sync has not run since.

export type WeComMode = "oauth" | "qr";
const methodOf = (mode: WeComMode): FlowMethod => (mode === "oauth" ? "WECOM_OAUTH" : "WECOM_QR");

/** WeCom's sign-in pages: the real hosts unless the environment names others (the tests' simulator). */
export function weComSignInHosts(): { oauth: string; sso: string } {
  const env = serverEnv();
  return { oauth: env.WECOM_OAUTH_BASE_URL.replace(/\/+$/, ""), sso: env.WECOM_SSO_BASE_URL.replace(/\/+$/, "") };
}

export const WECOM_CALLBACK_PATH = "/api/auth/wecom/callback";

export async function beginWeComSignIn(
  client: DbClient,
  input: { mode: WeComMode; origin: string; returnTo: string; browserToken: string },
): Promise<{ ok: true; url: string } | { ok: false; reason: SsoRefusal }> {
  const settings = await loadSignInSettings(client);
  if (!(input.mode === "oauth" ? settings.wecomOauthEnabled : settings.wecomQrEnabled)) return { ok: false, reason: "NOT_OFFERED" };
  const conn = await loadConnection(client);
  if (!conn.corpId || !conn.agentId || !conn.customerSecret) return { ok: false, reason: "NOT_CONFIGURED" };
  const redirectUri = `${input.origin}${WECOM_CALLBACK_PATH}`;
  const { state } = await beginFlow(client, { method: methodOf(input.mode), browserToken: input.browserToken, redirectUri, returnTo: input.returnTo });
  const hosts = weComSignInHosts();
  if (input.mode === "oauth") {
    const u = new URL(`${hosts.oauth}/connect/oauth2/authorize`);
    u.search = new URLSearchParams({ appid: conn.corpId, redirect_uri: redirectUri, response_type: "code", scope: "snsapi_base", state, agentid: conn.agentId }).toString();
    u.hash = "wechat_redirect";
    return { ok: true, url: u.toString() };
  }
  const u = new URL(`${hosts.sso}/wwlogin/sso/login`);
  u.search = new URLSearchParams({ login_type: "CorpApp", appid: conn.corpId, agentid: conn.agentId, redirect_uri: redirectUri, state }).toString();
  return { ok: true, url: u.toString() };
}

export async function completeWeComSignIn(client: DbClient, input: { code: string | null; state: string | null; browserToken: string | null } & RequestInfo): Promise<SsoOutcome> {
  const req = { ip: input.ip, userAgent: input.userAgent };
  // A refusal before any flow is known is recorded under the in-client method (the callback is shared).
  const taken = await takeFlow(client, { state: input.state ?? "", browserToken: input.browserToken, code: input.code, methods: ["WECOM_OAUTH", "WECOM_QR"] });
  if (!taken.ok) return refuse(client, "WECOM_OAUTH", taken.reason, { ...req, flowId: taken.flowId, returnTo: taken.returnTo });
  const { flow } = taken;
  const ctx = { ...req, flowId: flow.id, returnTo: flow.returnTo };
  // WeCom sends no code when the member refused or the app may not be used by them.
  if (!input.code) return refuse(client, flow.method, "CANCELLED", ctx);

  const settings = await loadSignInSettings(client);
  if (!(flow.method === "WECOM_OAUTH" ? settings.wecomOauthEnabled : settings.wecomQrEnabled)) return refuse(client, flow.method, "NOT_OFFERED", ctx);
  const conn = await loadConnection(client);
  const app = clientsFor(client, conn).customers;
  if (!app || !conn.agentId) return refuse(client, flow.method, "NOT_CONFIGURED", ctx);

  let userid: string | undefined;
  try {
    userid = (await app.authGetUserInfo(input.code)).userid;
  } catch (error) {
    if (!(error instanceof WeComError)) throw error;
    return refuse(client, flow.method, error.errcode === 40029 ? "CODE_INVALID" : "PROVIDER_ERROR", { ...ctx, detail: { errcode: error.errcode, failure: error.kind } });
  }
  // Not a member of the company (WeCom answers with an openid instead).
  if (!userid) return refuse(client, flow.method, "UNKNOWN", { ...ctx, detail: { member: false } });

  const employee = await client.employee.findUnique({ where: { wecomUserid: userid }, select: { id: true, status: true, leaveDate: true, wecomStatus: true, wecomRemovedAt: true } });
  const ours = refusalFor(employee);
  if (ours) return refuse(client, flow.method, ours, { ...ctx, employeeId: employee?.id });
  // What the directory sync last saw (lib/wecom/sync): deleted from WeCom or reported left is a
  // leaver; disabled or not activated is DISABLED.
  if (employee!.wecomRemovedAt || employee!.wecomStatus === 5) return refuse(client, flow.method, "DEPARTED", { ...ctx, employeeId: employee!.id, detail: { wecomStatus: employee!.wecomStatus, removed: Boolean(employee!.wecomRemovedAt) } });
  if (employee!.wecomStatus === 2 || employee!.wecomStatus === 4) return refuse(client, flow.method, "DISABLED", { ...ctx, employeeId: employee!.id, detail: { wecomStatus: employee!.wecomStatus } });

  // WeCom's own status of the member: 1 active; 2 disabled, 4 not activated, 5 left. When WeCom
  // does not answer (the app may not read the directory), our own records decide.
  try {
    const member = await app.userGet(userid);
    if (member.status === 5) return refuse(client, flow.method, "DEPARTED", { ...ctx, employeeId: employee!.id, detail: { wecomStatus: 5 } });
    if (member.status === 2 || member.status === 4) return refuse(client, flow.method, "DISABLED", { ...ctx, employeeId: employee!.id, detail: { wecomStatus: member.status } });
  } catch (error) {
    if (!(error instanceof WeComError)) throw error;
    console.warn(`[sign-in] WeCom member status not read (${error.errcode ?? error.kind}); deciding on the portal's records`);
  }
  const grant = await mintGrant(client, flow.id, employee!.id);
  return { ok: true, grant, returnTo: flow.returnTo, employeeId: employee!.id, method: flow.method };
}
