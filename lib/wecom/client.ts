import type { DbClient } from "@/lib/server/prisma-client";
import { readStreamWithLimit } from "@/lib/http-body";
import { recordCall, type CallRecord } from "./call-log";
import { RETRY_ERRCODES, TOKEN_ERRCODES, WeComError } from "./errors";
import { Pacer, realClock, type Clock } from "./pacer";
import { readToken, refreshToken, tokenCacheKey } from "./token-store";
import type * as T from "./types";

// The WeCom API client (issue 14): one instance per app secret (the contact-sync secret and the
// customer-contact secret are two apps to WeCom). Rules, in the order a call meets them:
// - the access token comes from the PostgreSQL cache (lib/wecom/token-store.ts), refreshed early
//   (refreshMarginMs before expiry) by one process at a time, and once more if WeCom answers
//   40014/42001;
// - each attempt waits for the pacer (a calls-per-minute budget per API), runs under a timeout, follows no
//   redirect, and needs a JSON body with a numeric errcode (an HTML error page is MALFORMED);
// - 45009, 45033, -1 and HTTP 5xx are retried up to maxRetries times with full-jitter exponential
//   backoff; every other errcode is a WeComError carrying it, with the admin's explanation;
// - each call (with its retries) is recorded without its query string (lib/wecom/call-log.ts).
// Decisions are made on errcode only; errmsg is never read.

export type WeComClientOptions = {
  prisma: DbClient;
  /** https://qyapi.weixin.qq.com, or the simulator's address. */
  baseUrl: string;
  corpId: string;
  secret: string;
  /** Which app's secret this is, for the call record ("contacts", "customers"). */
  app: string;
  timeoutMs?: number;
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Refresh this long before WeCom's expiry (default 5 minutes). */
  refreshMarginMs?: number;
  /** Shared with the other clients of the same company; else one is made from callsPerMinute. */
  pacer?: Pacer;
  callsPerMinute?: number;
  clock?: Clock;
  random?: () => number;
  callLogKeep?: number;
  fetch?: typeof fetch;
};

export const DEFAULT_BASE_URL = "https://qyapi.weixin.qq.com";
const MAX_BODY_BYTES = 8 * 1024 * 1024;

type Attempt = { kind: "json"; json: Record<string, unknown>; status: number } | { kind: "error"; error: WeComError; retryable: boolean };

export class WeComClient {
  readonly pacer: Pacer;
  /** HTTP requests this instance sent (attempts, with retries and gettoken): the sync's call count. */
  calls = 0;
  private readonly o: Required<Omit<WeComClientOptions, "pacer" | "callsPerMinute" | "callLogKeep">> & { callLogKeep?: number };
  private readonly cacheKey: string;
  private memo: { token: string; expiresAt: Date } | null = null;

  constructor(options: WeComClientOptions) {
    const base = options.baseUrl.replace(/\/+$/, "");
    if (!/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(base)) throw new WeComError("NOT_CONFIGURED", "/");
    if (!options.corpId || !options.secret) throw new WeComError("NOT_CONFIGURED", "/gettoken");
    this.o = {
      timeoutMs: 10_000,
      maxRetries: 4,
      backoffBaseMs: 500,
      backoffMaxMs: 8_000,
      refreshMarginMs: 5 * 60_000,
      clock: realClock,
      random: Math.random,
      fetch: globalThis.fetch,
      ...options,
      baseUrl: base,
    };
    this.pacer = options.pacer ?? new Pacer(options.callsPerMinute ?? 0, this.o.clock);
    this.cacheKey = tokenCacheKey(options.corpId, options.secret);
  }

  // -------------------------------------------------------------------------------------------
  // Token

  private usableUntil = () => new Date(this.o.clock.now() + this.o.refreshMarginMs);

  /** A usable access token (from memory, the shared cache, or WeCom). */
  async accessToken(stale: string | null = null): Promise<string> {
    if (!stale && this.memo && this.memo.expiresAt > this.usableUntil()) return this.memo.token;
    if (!stale) {
      const cached = await readToken(this.o.prisma, this.cacheKey, this.usableUntil());
      if (cached) return (this.memo = cached).token;
    }
    const records: CallRecord[] = [];
    try {
      const got = await refreshToken(this.o.prisma, this.cacheKey, {
        usableUntil: this.usableUntil,
        stale,
        now: () => new Date(this.o.clock.now()),
        lockTimeoutMs: Math.max(30_000, this.o.timeoutMs * (this.o.maxRetries + 2)),
        fetchToken: async () => {
          const json = await this.exchange("GET", "/gettoken", { corpid: this.o.corpId, corpsecret: this.o.secret }, undefined, records);
          const token = json.access_token;
          const expiresIn = json.expires_in;
          if (typeof token !== "string" || !token || typeof expiresIn !== "number") throw new WeComError("MALFORMED", "/gettoken");
          return { token, expiresInSeconds: expiresIn };
        },
      });
      this.memo = { token: got.token, expiresAt: got.expiresAt };
      return got.token;
    } finally {
      // Recorded after the lock's transaction: no second connection is awaited inside it.
      for (const r of records) await this.record(r);
    }
  }

  // -------------------------------------------------------------------------------------------
  // One call

  /** GET or POST `path` (under /cgi-bin) with the access token; returns WeCom's JSON (errcode 0). */
  async call<R = Record<string, unknown>>(method: "GET" | "POST", path: string, opts: { query?: Record<string, string | number | undefined>; body?: unknown } = {}): Promise<R> {
    const records: CallRecord[] = [];
    let token = await this.accessToken();
    let refreshed = false;
    for (;;) {
      try {
        return (await this.exchange(method, path, { ...opts.query, access_token: token }, opts.body, records)) as R;
      } catch (error) {
        if (error instanceof WeComError && error.kind === "API" && TOKEN_ERRCODES.has(error.errcode!) && !refreshed) {
          refreshed = true;
          this.memo = null;
          token = await this.accessToken(token);
          continue;
        }
        throw error;
      } finally {
        for (const r of records.splice(0)) await this.record(r);
      }
    }
  }

  /**
   * The attempts of one request (pacing, timeout, retries on 45009/45033/-1/5xx); pushes one call
   * record; returns the JSON of errcode 0 or throws WeComError.
   */
  private async exchange(method: "GET" | "POST", path: string, query: Record<string, string | number | undefined>, body: unknown, records: CallRecord[]): Promise<Record<string, unknown>> {
    const started = this.o.clock.now();
    let retries = 0;
    for (;;) {
      await this.pacer.slot(path);
      this.calls++;
      const attempt = await this.attempt(method, path, query, body);
      let error: WeComError;
      let retryable: boolean;
      if (attempt.kind === "json") {
        const errcode = attempt.json.errcode;
        if (errcode === undefined || errcode === 0) {
          records.push(this.callRecord(method, path, { errcode: 0, httpStatus: attempt.status, started, retries }));
          return attempt.json;
        }
        if (typeof errcode !== "number") {
          error = new WeComError("MALFORMED", path, { httpStatus: attempt.status });
          retryable = false;
        } else {
          error = new WeComError("API", path, { errcode, httpStatus: attempt.status });
          retryable = RETRY_ERRCODES.has(errcode);
        }
      } else {
        ({ error, retryable } = attempt);
      }
      if (retryable && retries < this.o.maxRetries) {
        retries++;
        const cap = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** (retries - 1));
        await this.o.clock.sleep(Math.round(cap / 2 + (this.o.random() * cap) / 2));
        continue;
      }
      records.push(this.callRecord(method, path, { errcode: error.errcode, failure: error.kind === "API" || error.kind === "NOT_CONFIGURED" ? null : error.kind, httpStatus: error.httpStatus, started, retries }));
      throw error;
    }
  }

  private async attempt(method: "GET" | "POST", path: string, query: Record<string, string | number | undefined>, body: unknown): Promise<Attempt> {
    const url = new URL(`${this.o.baseUrl}/cgi-bin${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    let res: Response;
    try {
      res = await this.o.fetch(url, {
        method,
        redirect: "manual",
        signal: AbortSignal.timeout(this.o.timeoutMs),
        headers: method === "POST" ? { "content-type": "application/json; charset=utf-8", accept: "application/json" } : { accept: "application/json" },
        body: method === "POST" ? JSON.stringify(body ?? {}) : undefined,
      });
    } catch (e) {
      const name = (e as { name?: string })?.name;
      return name === "TimeoutError" || name === "AbortError" ? { kind: "error", error: new WeComError("TIMEOUT", path), retryable: false } : { kind: "error", error: new WeComError("NETWORK", path), retryable: true };
    }
    let text: string;
    try {
      text = await readCapped(res, MAX_BODY_BYTES);
    } catch (e) {
      const name = (e as { name?: string })?.name;
      return { kind: "error", error: new WeComError(name === "TimeoutError" || name === "AbortError" ? "TIMEOUT" : "MALFORMED", path, { httpStatus: res.status }), retryable: false };
    }
    if (res.status >= 300 && res.status < 400) return { kind: "error", error: new WeComError("REDIRECT", path, { httpStatus: res.status }), retryable: false };
    if (res.status >= 500) return { kind: "error", error: new WeComError("HTTP", path, { httpStatus: res.status }), retryable: true };
    if (res.status !== 200) return { kind: "error", error: new WeComError("HTTP", path, { httpStatus: res.status }), retryable: false };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: "error", error: new WeComError("MALFORMED", path, { httpStatus: res.status }), retryable: false };
    }
    if (!json || typeof json !== "object" || Array.isArray(json)) return { kind: "error", error: new WeComError("MALFORMED", path, { httpStatus: res.status }), retryable: false };
    return { kind: "json", json: json as Record<string, unknown>, status: res.status };
  }

  private callRecord(method: string, path: string, r: { errcode: number | null; failure?: CallRecord["failure"]; httpStatus: number | null; started: number; retries: number }): CallRecord {
    return { app: this.o.app, method, path, errcode: r.errcode, failure: r.failure ?? null, httpStatus: r.httpStatus, durationMs: this.o.clock.now() - r.started, retries: r.retries };
  }

  private async record(r: CallRecord): Promise<void> {
    try {
      await recordCall(this.o.prisma, r, this.o.callLogKeep);
    } catch (e) {
      console.warn(`[wecom] call not recorded: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Typed calls (paths and shapes: ../shared/reference/wecom-api.md)

  departmentSimpleList(id?: number) {
    return this.call<T.DepartmentSimpleList>("GET", "/department/simplelist", { query: { id } });
  }
  departmentList(id?: number) {
    return this.call<T.DepartmentList>("GET", "/department/list", { query: { id } });
  }
  userSimpleList(departmentId: number) {
    return this.call<T.UserSimpleList>("GET", "/user/simplelist", { query: { department_id: departmentId } });
  }
  userGet(userid: string) {
    return this.call<T.UserGet>("GET", "/user/get", { query: { userid } });
  }
  /** Sign-in (OAuth in the WeCom client, QR login in a browser): who a one-time code stands for.
   * Called with the token of the self-built app whose agent id the sign-in link carried (the
   * customer-contact app's secret, docs/sign-in.md); WeCom answers 40029 for a code that is
   * unknown, used or older than five minutes. */
  authGetUserInfo(code: string) {
    return this.call<T.AuthGetUserInfo>("GET", "/auth/getuserinfo", { query: { code } });
  }
  userListId(body: { cursor?: string; limit?: number }) {
    return this.call<T.UserListId>("POST", "/user/list_id", { body: { cursor: body.cursor || undefined, limit: Math.min(body.limit ?? 10_000, 10_000) } });
  }
  followUserList() {
    return this.call<T.FollowUserList>("GET", "/externalcontact/get_follow_user_list");
  }
  batchGetByUser(body: { userid_list: string[]; cursor?: string; limit?: number }) {
    if (body.userid_list.length < 1 || body.userid_list.length > 100) throw new RangeError("userid_list takes 1 to 100 userids");
    return this.call<T.BatchGetByUser>("POST", "/externalcontact/batch/get_by_user", { body: { userid_list: body.userid_list, cursor: body.cursor || undefined, limit: Math.min(body.limit ?? 100, 100) } });
  }
  /** One customer and every member who follows them (doc 92114); follow_user pages past 500. */
  externalContactGet(externalUserid: string, cursor?: string) {
    return this.call<T.ExternalContactGet>("GET", "/externalcontact/get", { query: { external_userid: externalUserid, cursor: cursor || undefined } });
  }
  groupChatList(body: { status_filter?: number; owner_filter?: { userid_list: string[] }; cursor?: string; limit?: number }) {
    return this.call<T.GroupChatList>("POST", "/externalcontact/groupchat/list", { body: { ...body, cursor: body.cursor || undefined, limit: Math.min(body.limit ?? 1000, 1000) } });
  }
  groupChatGet(chatId: string, needName = true) {
    return this.call<T.GroupChatGet>("POST", "/externalcontact/groupchat/get", { body: { chat_id: chatId, need_name: needName ? 1 : 0 } });
  }

  /** Leavers' customers not yet given to anyone (doc 92124): page_size ≤ 1000, is_last ends it. */
  unassignedList(body: { cursor?: string; page_size?: number }) {
    return this.call<T.UnassignedList>("POST", "/externalcontact/get_unassigned_list", { body: { cursor: body.cursor || undefined, page_size: Math.min(body.page_size ?? 1000, 1000) } });
  }
  /** Sensitive-word intercept rules (doc 95130). */
  addInterceptRule(body: T.InterceptRuleBody) {
    return this.call<{ rule_id: string }>("POST", "/externalcontact/add_intercept_rule", { body });
  }
  interceptRuleList() {
    return this.call<{ rule_list?: { rule_id: string; rule_name: string; create_time?: number }[] }>("POST", "/externalcontact/get_intercept_rule_list", { body: {} });
  }
  getInterceptRule(ruleId: string) {
    return this.call<T.InterceptRuleGet>("POST", "/externalcontact/get_intercept_rule", { body: { rule_id: ruleId } });
  }
  updateInterceptRule(body: T.InterceptRuleUpdate) {
    return this.call("POST", "/externalcontact/update_intercept_rule", { body });
  }
  delInterceptRule(ruleId: string) {
    return this.call("POST", "/externalcontact/del_intercept_rule", { body: { rule_id: ruleId } });
  }
  /** Chat-archive consent (doc 91782): member + customer pairs, at most 100 a call. */
  checkSingleAgree(pairs: { userid: string; externalUserid: string }[]) {
    if (pairs.length < 1 || pairs.length > 100) throw new RangeError("check_single_agree takes 1 to 100 pairs");
    return this.call<T.CheckAgree>("POST", "/msgaudit/check_single_agree", { body: { info: pairs.map((p) => ({ userid: p.userid, exteranalopenid: p.externalUserid })) } });
  }
  checkRoomAgree(roomid: string) {
    return this.call<T.CheckAgree>("POST", "/msgaudit/check_room_agree", { body: { roomid } });
  }
  /** Members whose chats the company archives (doc 91614). */
  permitUserList(type?: number) {
    return this.call<T.PermitUserList>("POST", "/msgaudit/get_permit_user_list", { body: type ? { type } : {} });
  }
  /** Hands up to 100 customers of a member to another (on the job: 96325; after leaving: 96331).
   * Each customer's own errcode is in `customer` (0: started, not finished). */
  transferCustomer(resigned: boolean, body: { handover_userid: string; takeover_userid: string; external_userid: string[] }) {
    if (body.external_userid.length < 1 || body.external_userid.length > 100) throw new RangeError("external_userid takes 1 to 100 ids");
    return this.call<T.TransferCustomer>("POST", resigned ? "/externalcontact/resigned/transfer_customer" : "/externalcontact/transfer_customer", { body });
  }
  /** The customers WeCom has a transfer record for, from one member to another, with their status. */
  transferResult(resigned: boolean, body: { handover_userid: string; takeover_userid: string; cursor?: string }) {
    return this.call<T.TransferResult>("POST", resigned ? "/externalcontact/resigned/transfer_result" : "/externalcontact/transfer_result", { body: { ...body, cursor: body.cursor || undefined } });
  }
  /** Up to 100 customer groups to a new owner: groupchat/transfer once the owner has left,
   * groupchat/onjob_transfer while employed (96334). Chats not in failed_chat_list moved. */
  groupChatTransfer(resigned: boolean, body: { chat_id_list: string[]; new_owner: string }) {
    if (body.chat_id_list.length < 1 || body.chat_id_list.length > 100) throw new RangeError("chat_id_list takes 1 to 100 chat ids");
    return this.call<T.GroupChatTransfer>("POST", resigned ? "/externalcontact/groupchat/transfer" : "/externalcontact/groupchat/onjob_transfer", { body });
  }
  async *allTransferResults(resigned: boolean, handover: string, takeover: string): AsyncGenerator<T.TransferResult["customer"]> {
    yield* pages((cursor) => this.transferResult(resigned, { handover_userid: handover, takeover_userid: takeover, cursor }).then((r) => ({ items: r.customer ?? [], next: r.next_cursor })));
  }

  // -------------------------------------------------------------------------------------------
  // Cursor pagination

  /** Every member's userid and department (user/list_id, 10 000 a page). */
  async *allUserIds(limit = 10_000): AsyncGenerator<T.UserListId["dept_user"]> {
    yield* pages((cursor) => this.userListId({ cursor, limit }).then((r) => ({ items: r.dept_user ?? [], next: r.next_cursor })));
  }
  /** The customer contacts of up to 100 members, 100 a page. */
  async *contactsOf(userids: string[]): AsyncGenerator<T.BatchGetByUser["external_contact_list"]> {
    yield* pages((cursor) => this.batchGetByUser({ userid_list: userids, cursor }).then((r) => ({ items: r.external_contact_list ?? [], next: r.next_cursor })));
  }
  /** WeCom's whole list of leavers' unassigned customers, 1000 a page (ends on is_last). */
  async *allUnassigned(pageSize = 1000): AsyncGenerator<NonNullable<T.UnassignedList["info"]>> {
    yield* pages((cursor) => this.unassignedList({ cursor, page_size: pageSize }).then((r) => ({ items: r.info ?? [], next: r.is_last === false ? r.next_cursor : undefined })));
  }
  /** Every customer group's chat id and status, 1000 a page. */
  async *allGroupChats(filter: { status_filter?: number; owner_filter?: { userid_list: string[] } } = {}): AsyncGenerator<T.GroupChatList["group_chat_list"]> {
    yield* pages((cursor) => this.groupChatList({ ...filter, cursor, limit: 1000 }).then((r) => ({ items: r.group_chat_list ?? [], next: r.next_cursor })));
  }
}

/** Walks a cursor: pages until next_cursor is empty (and refuses a cursor that repeats). */
export async function* pages<I>(fetchPage: (cursor: string) => Promise<{ items: I[]; next?: string }>): AsyncGenerator<I[]> {
  let cursor = "";
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(cursor);
    yield page.items;
    if (!page.next) return;
    if (seen.has(page.next)) throw new Error("WeCom returned the same cursor twice");
    seen.add(page.next);
    cursor = page.next;
  }
}

async function readCapped(res: Response, max: number): Promise<string> {
  const bytes = await readStreamWithLimit(res.body, max);
  if (bytes === null) throw new Error("body too large");
  return Buffer.from(bytes).toString("utf8");
}
