import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sealMessage } from "../../lib/wecom/crypto";
import { Company, SIZES, type CompanySize } from "./company";
import { contactOverlay } from "./contacts";
import { COMPLIANCE_PATHS, complianceApi } from "./compliance";
import { customerGroupChanges } from "./groups";
import { createSimMessages, MESSAGE_ERRMSG } from "./messages";
import { createSimOAuth } from "./oauth";
import { customerTransfers } from "./transfers";

// The WeCom simulator (issue 14): a node:http server that answers WeCom's server API at WeCom's
// paths (/cgi-bin/...) with WeCom's request and response shapes, errcodes and page limits, over a
// deterministic simulated company (./company.ts). A development and test tool only: nothing under
// app/ or lib/ may import it (tests/wecom/sim-isolation.test.ts and the ESLint rule check).
//
// Admin endpoints (loopback only, used by the tests and the demo):
//   GET  /__sim/stats            calls per path, gettoken calls, faults served
//   POST /__sim/faults           {faults: Fault[]} appended; {clear: true} removes them
//   POST /__sim/expire-tokens    every issued token now answers 42001
//   POST /__sim/reset            faults, counters and tokens cleared
//   POST /__sim/callback         {url, xml?, event?} — signs, encrypts and POSTs a callback to url
//   POST /__sim/directory        {members?, departments?, clear?} — a member leaves, moves or is
//                                deleted; a department moves, is renamed or deleted
//   POST /__sim/contacts/*       customer contacts changed "in WeCom" (./contacts.ts)
//   POST /__sim/groups           a customer group changed or dismissed "in WeCom" (./groups.ts)
//   GET  /__sim/messages         app messages and robot messages it was sent (./messages.ts);
//   POST /__sim/robots {keys}    robots that exist; POST /__sim/messages/advance {ms}
//   POST /__sim/transfers/*      customer transfers: refusals, limits, completion (./transfers.ts)

export type Fault = {
  /** API path without /cgi-bin (e.g. "/user/list_id"); omitted: every path except /gettoken. */
  path?: string;
  /** How many requests it hits (default 1). */
  times?: number;
  /** How many matching requests pass untouched before it hits (default 0): "fail after N pages". */
  after?: number;
  /** errcode: answer {errcode}; http: that status with an HTML page; slow: wait ms then answer; malformed: a broken JSON body; html: an HTML page with 200; redirect: a 302;
   * slowReply: act on the request at once, then wait ms before answering (a caller that gives up or dies meanwhile never learns what WeCom did; transfers and the compliance paths). */
  kind: "errcode" | "http" | "slow" | "malformed" | "html" | "redirect" | "slowReply";
  errcode?: number;
  status?: number;
  ms?: number;
};

export type SimOptions = {
  size?: CompanySize | keyof typeof SIZES;
  seed?: number;
  corpId?: string;
  contactSecret?: string;
  customerSecret?: string;
  archiveSecret?: string;
  callbackToken?: string;
  encodingAesKey?: string;
  tokenTtlSeconds?: number;
  host?: string;
  port?: number;
  log?: (line: string) => void;
};

export type WeComSim = {
  url: string;
  company: Company;
  config: Required<Pick<SimOptions, "corpId" | "contactSecret" | "customerSecret" | "archiveSecret" | "callbackToken" | "encodingAesKey">>;
  stats: () => SimStats;
  stop: () => Promise<void>;
};

export type SimStats = { calls: Record<string, number>; gettoken: number; faultsServed: number; tokensIssued: number };

const ERRMSG: Record<number, string> = {
  0: "ok",
  [-1]: "system busy",
  40001: "invalid secret",
  40013: "invalid corpid",
  40014: "invalid access_token",
  40058: "invalid parameter",
  40050: "chatid not found",
  41001: "access_token missing",
  42001: "access_token expired",
  43001: "require GET method",
  43002: "require POST method",
  44004: "empty body",
  45009: "reach max api daily quota limit",
  45033: "api concurrent out of limit",
  47001: "data format error",
  48002: "api forbidden",
  60011: "no privilege to access/modify contact/party/agent",
  60111: "invalid string value `userid`. userid not found",
  60123: "invalid party id",
  84061: "not external contact",
  40097: "handover user is not resigned",
  40099: "takeover user customer limit exceeded",
  40128: "customer transferred too many times",
  40129: "customer is being transferred",
  40130: "handover user is the same as takeover user",
  90500: "group owner not resigned",
  90501: "not external group chat",
  90502: "group owner resigned",
  90504: "group owner not changed",
};

const CUSTOMER_PATHS = /^\/externalcontact\//;

export async function startWeComSim(options: SimOptions = {}): Promise<WeComSim> {
  const size = typeof options.size === "string" ? SIZES[options.size] : (options.size ?? SIZES.small);
  if (!size) throw new Error(`unknown size ${String(options.size)} (${Object.keys(SIZES).join(", ")})`);
  const company = new Company(size, options.seed);
  const config = {
    corpId: options.corpId ?? "wwsim00000000c0rp",
    contactSecret: options.contactSecret ?? "sim-contact-secret-0000000000000000000000abcd",
    customerSecret: options.customerSecret ?? "sim-customer-secret-000000000000000000000wxyz",
    archiveSecret: options.archiveSecret ?? "sim-archive-secret-0000000000000000000000arch",
    callbackToken: options.callbackToken ?? "simtoken",
    encodingAesKey: options.encodingAesKey ?? "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  };
  const ttl = options.tokenTtlSeconds ?? 7200;
  const log = options.log ?? (() => undefined);
  const tokens = new Map<string, { app: "contacts" | "customers" | "archive"; expiresAt: number; expired: boolean }>();
  let faults: Fault[] = [];
  let stats: SimStats = { calls: {}, gettoken: 0, faultsServed: 0, tokensIssued: 0 };
  // [contacts] customer contacts changed during a test, and externalcontact/get (./contacts.ts).
  const contacts = contactOverlay(company);
  const compliance = complianceApi(company); // [compliance] unassigned leavers, intercept rules, archive consent (./compliance.ts)
  const oauth = createSimOAuth(company, config); // sign-in pages and /auth/getuserinfo (./oauth.ts)
  const messages = createSimMessages(company); // [messages] message/send and webhook/send, recorded (./messages.ts)
  // [transfers] customer and group transfers (./transfers.ts); group owners through the [groups] overlay
  const transfers = customerTransfers(company, {
    owner: (chatId) => {
      const g = company.groupIndex(chatId);
      return g === null ? null : chats.group(g).owner;
    },
    setOwner: (chatId, owner) => {
      if (company.groupIndex(chatId) !== null) chats.change({ chatId, owner });
    },
  });

  const send = (res: http.ServerResponse, status: number, body: string, type = "application/json; charset=utf-8") => {
    res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
    res.end(body);
  };
  const reply = (res: http.ServerResponse, errcode: number, data: Record<string, unknown> = {}) => send(res, 200, JSON.stringify({ errcode, errmsg: ERRMSG[errcode] ?? MESSAGE_ERRMSG[errcode] ?? "error", ...data }));

  const readBody = (req: http.IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let n = 0;
      req.on("data", (c: Buffer) => {
        n += c.length;
        if (n > 1_000_000) {
          reject(new Error("body too large"));
          req.destroy();
        } else chunks.push(c);
      });
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });

  const cursorOf = (n: number) => Buffer.from(`c${n}`).toString("base64url");
  const offsetOf = (cursor: unknown): number | null => {
    if (cursor === undefined || cursor === "" || cursor === null) return 0;
    if (typeof cursor !== "string") return null;
    const m = /^c(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
    return m ? Number(m[1]) : null;
  };

  async function api(path: string, method: string, q: URLSearchParams, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Fault injection first (gettoken only when a fault names it).
    const fault = faults.find((f) => {
      if (!(f.path ? f.path === path : path !== "/gettoken") || (f.times ?? 1) <= 0) return false;
      if ((f.after ?? 0) > 0) {
        f.after!--;
        return false;
      }
      return true;
    });
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      faults = faults.filter((f) => (f.times ?? 1) > 0);
      stats.faultsServed++;
      if (fault.kind === "errcode") return reply(res, fault.errcode ?? -1);
      if (fault.kind === "http") return send(res, fault.status ?? 502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>", "text/html");
      if (fault.kind === "html") return send(res, 200, "<!DOCTYPE html><html><body>系统维护中</body></html>", "text/html");
      if (fault.kind === "redirect") {
        res.writeHead(302, { location: "https://example.test/login" });
        return void res.end();
      }
      if (fault.kind === "malformed") return send(res, 200, '{"errcode":0,"errmsg":"ok","dept_user":[{"userid":');
      if (fault.kind === "slow") await new Promise((r) => setTimeout(r, fault.ms ?? 2000));
    }
    const replyDelay = fault?.kind === "slowReply" ? (fault.ms ?? 2000) : 0; // [transfers]

    if (path === "/gettoken") {
      if (method !== "GET") return reply(res, 43001);
      stats.gettoken++;
      if (q.get("corpid") !== config.corpId) return reply(res, 40013);
      const secret = q.get("corpsecret");
      const app = secret === config.contactSecret ? "contacts" : secret === config.customerSecret ? "customers" : secret === config.archiveSecret ? "archive" : null;
      if (!app) return reply(res, 40001);
      const token = randomBytes(24).toString("base64url");
      tokens.set(token, { app, expiresAt: Date.now() + ttl * 1000, expired: false });
      stats.tokensIssued++;
      return reply(res, 0, { access_token: token, expires_in: ttl });
    }

    const jsonBody = async (): Promise<Record<string, unknown> | null> => {
      try {
        const parsed: unknown = JSON.parse(await readBody(req));
        return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
      } catch {
        return null;
      }
    };
    if (path === "/webhook/send") { // [messages] a group robot: its key, no access token
      if (method !== "POST") return reply(res, 43002);
      const b = await jsonBody();
      return b ? messages.robot(q.get("key"), b, (code, data) => reply(res, code, data)) : reply(res, 47001);
    }

    const token = q.get("access_token");
    if (!token) return reply(res, 41001);
    const t = tokens.get(token);
    if (!t) return reply(res, 40014);
    if (t.expired || t.expiresAt <= Date.now()) return reply(res, 42001);
    if (CUSTOMER_PATHS.test(path) && t.app !== "customers") return reply(res, 48002);
    // The chat-archive APIs answer only the chat-archive app's secret, as in WeCom.
    if (path.startsWith("/msgaudit/") && t.app !== "archive") return reply(res, 48002);
    if (path === "/message/send") { // [messages] the self-built app (the customer-contact secret's app)
      if (method !== "POST") return reply(res, 43002);
      if (t.app !== "customers") return reply(res, 48002);
      const b = await jsonBody();
      return b ? messages.send(b, (code, data) => reply(res, code, data)) : reply(res, 47001);
    }
    if (path === "/auth/getuserinfo") return ((r) => reply(res, r.errcode, r.data))(oauth.getUserInfo(q, t.app));

    const getOnly = ["/department/simplelist", "/department/list", "/user/simplelist", "/user/get", "/externalcontact/get_follow_user_list", "/externalcontact/get"];
    const postOnly = ["/user/list_id", "/externalcontact/batch/get_by_user", "/externalcontact/groupchat/list", "/externalcontact/groupchat/get", ...COMPLIANCE_PATHS, ...transfers.paths]; // [compliance] [transfers]
    if (getOnly.includes(path) && method !== "GET") return reply(res, 43001);
    let body: Record<string, unknown> = {};
    if (postOnly.includes(path)) {
      if (method !== "POST") return reply(res, 43002);
      const text = await readBody(req);
      if (!text) return reply(res, 44004);
      try {
        const parsed: unknown = JSON.parse(text);
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return reply(res, 47001);
        body = parsed as Record<string, unknown>;
      } catch {
        return reply(res, 47001);
      }
    }

    if (transfers.paths.includes(path)) {
      // [transfers] acted on now; answered after the fault's delay, if any
      const r = transfers.api(path, body);
      if (replyDelay) await new Promise((done) => setTimeout(done, replyDelay));
      return reply(res, r.errcode, r.data);
    }
    switch (path) {
      case "/department/simplelist":
      case "/department/list": {
        const idText = q.get("id");
        const id = idText ? Number(idText) : undefined;
        if (id !== undefined && !company.department(id)) return reply(res, 60123);
        const list = company.departments(id);
        return path === "/department/simplelist"
          ? reply(res, 0, { department_id: list.map((d) => ({ id: d.id, parentid: d.parentid, order: d.order })) })
          : reply(res, 0, { department: list.map((d) => ({ id: d.id, name: d.name, parentid: d.parentid, order: d.order, department_leader: [] })) });
      }
      case "/user/simplelist": {
        const id = Number(q.get("department_id"));
        if (!company.department(id)) return reply(res, 60123);
        return reply(res, 0, { userlist: company.membersOf(id).map((m) => ({ userid: m.userid, name: m.name, department: m.department })) });
      }
      case "/user/get": {
        const i = company.memberIndex(q.get("userid") ?? "");
        if (i === null) return reply(res, 60111);
        return reply(res, 0, { ...company.member(i) });
      }
      case "/user/list_id": {
        const limit = body.limit === undefined ? 10_000 : Number(body.limit);
        const offset = offsetOf(body.cursor);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000 || offset === null) return reply(res, 40058);
        const end = Math.min(company.size.members, offset + limit);
        const dept_user: { userid: string; department: number }[] = [];
        for (let i = offset; i < end; i++) if (!company.memberDeleted(i)) dept_user.push({ userid: company.userid(i), department: company.member(i).main_department });
        return reply(res, 0, { next_cursor: end < company.size.members ? cursorOf(end) : "", dept_user });
      }
      case "/externalcontact/get_follow_user_list":
        return reply(res, 0, { follow_user: company.followUsers() });
      case "/externalcontact/batch/get_by_user": {
        const list = body.userid_list;
        const limit = body.limit === undefined ? 50 : Number(body.limit);
        const offset = offsetOf(body.cursor);
        if (!Array.isArray(list) || list.length < 1 || list.length > 100 || !Number.isInteger(limit) || limit < 1 || limit > 100 || offset === null) return reply(res, 40058);
        const idx = list.map((u) => (typeof u === "string" ? company.memberIndex(u) : null));
        if (idx.some((i) => i === null)) return reply(res, 60111);
        if (contacts.refusal(list)) return reply(res, contacts.refusal(list)); // [contacts]
        // The members' contacts laid end to end; the cursor is the position in that sequence.
        const counts = idx.map((i) => company.contactCount(i!));
        const total = counts.reduce((a, b) => a + b, 0);
        const out = [];
        let pos = 0;
        for (let k = 0; k < idx.length && out.length < limit; k++) {
          if (pos + counts[k] <= offset) {
            pos += counts[k];
            continue;
          }
          for (let j = Math.max(0, offset - pos); j < counts[k] && out.length < limit; j++) out.push(company.contact(idx[k]!, j));
          pos += counts[k];
        }
        const next = offset + out.length;
        return reply(res, 0, { external_contact_list: contacts.page(out), next_cursor: next < total ? cursorOf(next) : "" }); // [contacts] removed ones left out
      }
      case "/externalcontact/get": {
        return contacts.get(q, res, reply); // [contacts]
      }
      case "/externalcontact/groupchat/list": {
        const limit = Number(body.limit);
        const offset = offsetOf(body.cursor);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000 || offset === null) return reply(res, 40058);
        const statusFilter = body.status_filter === undefined ? 0 : Number(body.status_filter);
        const owners = (body.owner_filter as { userid_list?: unknown } | undefined)?.userid_list;
        if (owners !== undefined && (!Array.isArray(owners) || owners.length > 100)) return reply(res, 40058);
        const ownerSet = Array.isArray(owners) ? new Set(owners.map(String)) : null;
        const out: { chat_id: string; status: number }[] = [];
        let g = offset;
        for (; g < company.size.groups && out.length < limit; g++) {
          if (chats.dismissed(g)) continue; // [groups]
          const status = chats.status(g); // [groups]
          if (statusFilter !== 0 && status !== statusFilter) continue;
          if (ownerSet && !ownerSet.has(company.userid(company.groupOwnerIndex(g)))) continue;
          out.push({ chat_id: company.chatId(g), status });
        }
        return reply(res, 0, { group_chat_list: out, next_cursor: g < company.size.groups ? cursorOf(g) : "" });
      }
      case "/externalcontact/groupchat/get": {
        const g = typeof body.chat_id === "string" ? company.groupIndex(body.chat_id) : null;
        if (g === null) return reply(res, typeof body.chat_id === "string" && body.chat_id.startsWith("wr") ? 40050 : 90501);
        if (chats.dismissed(g)) return reply(res, 40050); // [groups]
        const group = chats.group(g); // [groups]
        return reply(res, 0, { group_chat: body.need_name ? group : { ...group, member_list: group.member_list.map((m) => ({ ...m })) } });
      }
      default:
        // [compliance] acted on now; answered after a slowReply fault's delay, if any (an intercept rule made, the answer lost)
        if (compliance.handles(path)) return compliance.api(path, body, res, replyDelay ? (r, code, data) => void setTimeout(() => reply(r, code, data), replyDelay) : reply);
        return send(res, 404, JSON.stringify({ errcode: 404, errmsg: "not found" }));
    }
  }

  async function admin(path: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (path === "/__sim/stats") return send(res, 200, JSON.stringify(stats));
    const text = req.method === "POST" ? await readBody(req) : "";
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (contacts.admin(path, body, res, send)) return; // [contacts]
    if (compliance.admin(path, body, res, send)) return; // [compliance]
    const sent = messages.admin(path, body); // [messages]
    if (sent) return send(res, ...sent);
    const transferAnswer = transfers.admin(path, body); // [transfers]
    if (transferAnswer) return send(res, ...transferAnswer);
    switch (path) {
      case "/__sim/faults":
        if (body.clear) faults = [];
        if (Array.isArray(body.faults)) faults.push(...(body.faults as Fault[]).map((f) => ({ ...f })));
        return send(res, 200, JSON.stringify({ faults }));
      // -- Directory changes (see Company.patchMember / patchDepartment) ------------------------
      //    {members?: {[userid]: {status?, main_department?, email?, name?, deleted?}},
      //     departments?: {[id]: {parentid?, name?, deleted?}}, clear?: true}
      case "/__sim/directory": {
        if (body.clear) company.clearDirectoryPatches();
        const unknown: string[] = [];
        for (const [userid, patch] of Object.entries((body.members ?? {}) as Record<string, Record<string, unknown>>)) if (!company.patchMember(userid, patch)) unknown.push(userid);
        for (const [id, patch] of Object.entries((body.departments ?? {}) as Record<string, Record<string, unknown>>)) if (!company.patchDepartment(Number(id), patch)) unknown.push(id);
        return send(res, unknown.length ? 400 : 200, JSON.stringify({ unknown }));
      }
      // -- end of directory changes ------------------------------------------------------------
      case "/__sim/expire-tokens":
        for (const t of tokens.values()) t.expired = true;
        return send(res, 200, JSON.stringify({ expired: tokens.size }));
      case "/__sim/groups": // [groups]
        return send(res, ...chats.change(body));
      case "/__sim/reset":
        faults = [];
        chats.reset(); // [groups]
        tokens.clear();
        contacts.reset(); // [contacts]
        compliance.reset(); // [compliance]
        messages.reset(); // [messages]
        transfers.admin("/__sim/transfers/reset", {}); // [transfers]
        stats = { calls: {}, gettoken: 0, faultsServed: 0, tokensIssued: 0 };
        return send(res, 200, "{}");
      case "/__sim/callback": {
        const target = String(body.url ?? "");
        const xml = typeof body.xml === "string" ? body.xml : `<xml><ToUserName><![CDATA[${config.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${String(body.event ?? "change_contact")}]]></Event><ChangeType><![CDATA[${String(body.changeType ?? "update_user")}]]></ChangeType><UserID><![CDATA[${String(body.userid ?? company.userid(0))}]]></UserID></xml>`;
        const timestamp = String(body.timestamp ?? Math.floor(Date.now() / 1000));
        const nonce = String(body.nonce ?? randomBytes(6).toString("hex"));
        const sealed = sealMessage({ token: config.callbackToken, encodingAesKey: config.encodingAesKey, receiverId: String(body.receiverId ?? config.corpId), message: xml, timestamp, nonce });
        const u = new URL(target);
        u.searchParams.set("msg_signature", sealed.msgSignature);
        u.searchParams.set("timestamp", timestamp);
        u.searchParams.set("nonce", nonce);
        const answer = await fetch(u, { method: "POST", body: sealed.xml, headers: { "content-type": "text/xml" }, redirect: "manual", signal: AbortSignal.timeout(10_000) });
        return send(res, 200, JSON.stringify({ status: answer.status, body: await answer.text() }));
      }
      default:
        return send(res, 404, "{}");
    }
  }

  const chats = customerGroupChanges(company); // [groups] customer groups changed during a test (./groups.ts)

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sim");
    const run = async () => {
      if (oauth.page(url, req, res)) return;
      if (url.pathname.startsWith("/__sim/")) return admin(url.pathname, req, res);
      if (!url.pathname.startsWith("/cgi-bin/")) return send(res, 404, "<html><body>404 Not Found</body></html>", "text/html");
      const path = url.pathname.slice("/cgi-bin".length);
      stats.calls[path] = (stats.calls[path] ?? 0) + 1;
      log(`${req.method} ${path}`);
      return api(path, req.method ?? "GET", url.searchParams, req, res);
    };
    run().catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ errcode: -1, errmsg: (e as Error)?.message ?? "error" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    company,
    config,
    stats: () => structuredClone(stats),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
