import { randomBytes } from "node:crypto";
import type http from "node:http";
import type { Company } from "./company";

// The simulator's sign-in side (issue 16; ../shared/reference/wecom-api.md, Sign-in): WeCom's
// OAuth page for the WeCom client (/connect/oauth2/authorize, snsapi_base), its QR login page for
// browsers (/wwlogin/sso/login?login_type=CorpApp), and /cgi-bin/auth/getuserinfo, which turns a
// one-time code into the member's userid. Codes are single-use and live five minutes, as WeCom's
// do; a bad, used or expired code is errcode 40029.
//
// Who signs in: the pages offer a member chooser (any member of the simulated company, whatever
// their WeCom status, so the portal's refusals can be tried), or someone outside the company
// (getuserinfo then answers with an openid, as WeCom does for non-members). A browser that holds
// the cookie `wwsim_member=<userid>` stands for a WeCom client signed in as that member: the OAuth
// page then redirects at once, without a page, as WeCom does inside its client.
//
//   GET /connect/oauth2/authorize?appid&redirect_uri&response_type=code&scope=snsapi_base&state&agentid
//   GET /wwlogin/sso/login?login_type=CorpApp&appid&agentid&redirect_uri&state
//   GET /__sim/oauth/confirm?via=oauth|qr&userid=…|outsider=1&redirect_uri&state[&remember=1]
//   POST /__sim/oauth/expire-codes   every code issued so far is now older than five minutes
//   GET /cgi-bin/auth/getuserinfo?access_token&code (through server.ts, after the token check)

export const MEMBER_COOKIE = "wwsim_member";
const CODE_TTL_MS = 5 * 60_000;

type Code = { userid: string | null; openid: string | null; expiresAt: number; used: boolean };

export type SimOAuth = {
  /** Serves the sign-in pages; false when the path is not one of them. */
  page: (url: URL, req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  /** GET /auth/getuserinfo for a token of `app` (the self-built app's; the contact-sync token is refused). */
  getUserInfo: (q: URLSearchParams, app: string) => { errcode: number; data?: Record<string, unknown> };
  /** Codes issued so far (tests). */
  issued: () => number;
};

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function createSimOAuth(company: Company, config: { corpId: string }, options: { trustedDomain?: string; now?: () => number } = {}): SimOAuth {
  const codes = new Map<string, Code>();
  const now = options.now ?? Date.now;
  let issued = 0;

  const html = (res: http.ServerResponse, status: number, title: string, body: string, headers: Record<string, string> = {}) => {
    const text = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>${esc(title)}</title></head><body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem"><h1 style="font-size:1.25rem">${esc(title)}</h1>${body}</body></html>`;
    res.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const refuse = (res: http.ServerResponse, message: string) => html(res, 200, "企业微信（模拟）", `<p role="alert">${esc(message)}</p>`);

  /** WeCom checks the redirect_uri against the app's trusted domain (可信域名); "" when it passes. */
  const badRedirect = (raw: string | null): string => {
    if (!raw) return "redirect_uri 参数错误";
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return "redirect_uri 参数错误";
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") return "redirect_uri 参数错误";
    if (options.trustedDomain && u.host !== options.trustedDomain) return "redirect_uri 与应用的可信域名不一致";
    return "";
  };

  const issue = (who: { userid: string | null; openid: string | null }): string => {
    const code = randomBytes(24).toString("base64url");
    codes.set(code, { ...who, expiresAt: now() + CODE_TTL_MS, used: false });
    issued++;
    return code;
  };

  const back = (res: http.ServerResponse, redirectUri: string, params: Record<string, string>, cookie?: string) => {
    const u = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    res.writeHead(302, { location: u.toString(), ...(cookie ? { "set-cookie": cookie } : {}) });
    res.end();
  };

  const memberCookie = (req: http.IncomingMessage): string | null => {
    const m = new RegExp(`(?:^|;\\s*)${MEMBER_COOKIE}=([^;]+)`).exec(req.headers.cookie ?? "");
    return m && company.memberIndex(decodeURIComponent(m[1])) !== null ? decodeURIComponent(m[1]) : null;
  };

  const chooser = (res: http.ServerResponse, via: "oauth" | "qr", redirectUri: string, state: string) => {
    const options = Array.from({ length: Math.min(company.size.members, 30) }, (_, i) => company.member(i)).map((m) => `<option value="${esc(m.userid)}">${esc(m.userid)} ${esc(m.name)}${m.status === 1 ? "" : `（状态 ${m.status}）`}</option>`);
    const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`;
    html(
      res,
      200,
      via === "qr" ? "企业微信扫码登录（模拟）" : "企业微信授权（模拟）",
      `<p>${via === "qr" ? "模拟用企业微信扫码：选择扫码的成员。" : "模拟在企业微信客户端中打开：选择当前登录的成员。"}</p>
<form method="get" action="/__sim/oauth/confirm" aria-label="选择成员">
${hidden("via", via)}${hidden("redirect_uri", redirectUri)}${hidden("state", state)}
<p><label>成员 <select name="userid">${options.join("")}</select></label></p>
<p><label>或输入 UserID <input name="typed" autocomplete="off"></label></p>
${via === "oauth" ? `<p><label><input type="checkbox" name="remember" value="1"> 记住此成员（之后静默授权）</label></p>` : ""}
<p><button type="submit">确认登录</button></p>
</form>
<form method="get" action="/__sim/oauth/confirm">${hidden("via", via)}${hidden("redirect_uri", redirectUri)}${hidden("state", state)}${hidden("outsider", "1")}<button type="submit">以非企业成员身份继续</button></form>`,
    );
  };

  function page(url: URL, req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const q = url.searchParams;
    if (url.pathname === "/connect/oauth2/authorize") {
      if (q.get("appid") !== config.corpId) return refuse(res, "appid 参数错误"), true;
      if (q.get("response_type") !== "code" || !["snsapi_base", "snsapi_privateinfo"].includes(q.get("scope") ?? "")) return refuse(res, "scope 参数错误"), true;
      const bad = badRedirect(q.get("redirect_uri"));
      if (bad) return refuse(res, bad), true;
      const member = memberCookie(req);
      // Inside the WeCom client the member is known: straight back, without a page.
      if (member) return back(res, q.get("redirect_uri")!, { code: issue({ userid: member, openid: null }), state: q.get("state") ?? "" }), true;
      return chooser(res, "oauth", q.get("redirect_uri")!, q.get("state") ?? ""), true;
    }
    if (url.pathname === "/wwlogin/sso/login") {
      if (q.get("login_type") !== "CorpApp") return refuse(res, "login_type 参数错误"), true;
      if (q.get("appid") !== config.corpId || !/^\d+$/.test(q.get("agentid") ?? "")) return refuse(res, "appid 或 agentid 参数错误"), true;
      const bad = badRedirect(q.get("redirect_uri"));
      if (bad) return refuse(res, bad), true;
      return chooser(res, "qr", q.get("redirect_uri")!, q.get("state") ?? ""), true;
    }
    if (url.pathname === "/__sim/oauth/expire-codes") {
      for (const c of codes.values()) c.expiresAt = 0;
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ expired: codes.size })), true;
    }
    if (url.pathname === "/__sim/oauth/confirm") {
      const via = q.get("via") === "qr" ? "qr" : "oauth";
      const bad = badRedirect(q.get("redirect_uri"));
      if (bad) return refuse(res, bad), true;
      const extra: Record<string, string> = via === "qr" ? { appid: config.corpId } : {};
      if (q.get("outsider") === "1") {
        return back(res, q.get("redirect_uri")!, { code: issue({ userid: null, openid: `oSim${randomBytes(8).toString("hex")}` }), state: q.get("state") ?? "", ...extra }), true;
      }
      const userid = (q.get("typed") ?? "").trim() || (q.get("userid") ?? "");
      if (company.memberIndex(userid) === null) return refuse(res, "该成员不存在"), true;
      const cookie = via === "oauth" && q.get("remember") === "1" ? `${MEMBER_COOKIE}=${encodeURIComponent(userid)}; Path=/; HttpOnly; SameSite=Lax` : undefined;
      return back(res, q.get("redirect_uri")!, { code: issue({ userid, openid: null }), state: q.get("state") ?? "", ...extra }, cookie), true;
    }
    return false;
  }

  function getUserInfo(q: URLSearchParams, app: string): { errcode: number; data?: Record<string, unknown> } {
    if (app !== "customers") return { errcode: 48002 };
    const code = q.get("code") ?? "";
    const c = codes.get(code);
    if (!c || c.used || c.expiresAt <= now()) return { errcode: 40029, data: { errmsg: "invalid code" } };
    c.used = true;
    return { errcode: 0, data: c.userid ? { userid: c.userid } : { openid: c.openid, external_userid: "" } };
  }

  return { page, getUserInfo, issued: () => issued };
}
