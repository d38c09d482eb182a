// WeCom's errcodes as the admin should read them (../shared/reference/wecom-api.md), and the one
// error type every WeCom call throws. Decisions are made on `errcode` (and on `kind` for failures
// that never reached WeCom's JSON), never on `errmsg`.

export const ERRCODES: Record<number, { zh: string; en: string }> = {
  [-1]: { zh: "企业微信系统繁忙，请稍后再试。", en: "WeCom is busy; try again later." },
  40001: { zh: "应用 Secret 不正确：请在企业微信管理后台核对该应用的 Secret。", en: "The app secret is wrong: check it in the WeCom admin console." },
  40013: { zh: "企业 ID（CorpID）不正确：请在“我的企业”页面核对。", en: "The corp id is wrong: check it under My Company in the admin console." },
  40014: { zh: "access_token 无效，已重新获取。", en: "The access token was invalid; a new one was fetched." },
  41001: { zh: "请求缺少 access_token。", en: "The request had no access token." },
  42001: { zh: "access_token 已过期，已重新获取。", en: "The access token had expired; a new one was fetched." },
  45009: { zh: "调用频率超过企业微信的限制，已放慢并重试。", en: "WeCom's call-frequency limit was reached; the calls were slowed down and retried." },
  45033: { zh: "并发调用超过企业微信的限制，已放慢并重试。", en: "WeCom's concurrency limit was reached; the calls were slowed down and retried." },
  48002: { zh: "该应用没有此接口的权限：请在管理后台为应用开通相应权限（如通讯录同步、客户联系）。", en: "The app has no permission for this API: grant it in the admin console (contact sync, customer contact)." },
  60011: { zh: "应用没有该成员或部门的权限：请检查应用的可见范围。", en: "The app has no permission for that member or department: check the app's visible range." },
  60020: { zh: "服务器 IP 不在应用的企业可信 IP 中：请在应用详情中添加本服务器的出口 IP。", en: "This server's IP is not among the app's trusted IPs: add it in the app's settings." },
  84061: { zh: "该成员与此客户不存在外部联系人关系。", en: "There is no external-contact relationship between the member and this customer." },
  40029: { zh: "登录凭证（code）无效、已使用或已过期。", en: "The sign-in code is invalid, already used or expired." },
  40096: { zh: "外部联系人 ID 不正确。", en: "The external user id is invalid." },
  // Customer transfers (issue 15): what HR sees on a handover item WeCom refused, and what to do.
  // 40097–40100, 40128–40131 and 90500–90508 as WeCom's global errcode page (document 90313) gives
  // them, checked against xen0n/go-workwx errcodes/mod.go (generated from that page, crawled
  // 2023-08-20); docs/offboarding-wecom.md "Errcodes and their sources".
  40097: { zh: "该成员尚未离职，不能按离职继承转接：请在其离职后再分配，或改用在职继承。", en: "The member has not left yet, so the leaver's transfer does not apply: transfer after they leave, or as an on-the-job transfer." },
  40098: { zh: "接替成员尚未实名认证：请其在企业微信完成实名认证后再转接，或改派其他接替人。", en: "The successor has not verified their identity in WeCom: have them do so, then transfer again, or assign another successor." },
  40099: { zh: "接替成员的客户数量已达上限：请改派其他接替人。", en: "The successor has reached the customer limit: assign another successor." },
  40100: { zh: "该客户已在转接流程中，请等待其完成。", en: "This customer is already being transferred; wait for it to finish." },
  40128: { zh: "客户转接过于频繁：90 个自然日内，在职成员的每位客户仅可被转接 2 次，请在限制解除后再试。", en: "Transferred too often: within 90 calendar days an employed member's customer can be transferred only twice; try again once the limit frees up." },
  40129: { zh: "该客户正在转接中，请等待其完成。", en: "This customer is being transferred; wait for it to finish." },
  40130: { zh: "原跟进成员与接替成员是同一人，不能转接：请改派其他接替人。", en: "The successor is the same member as the leaver: assign someone else." },
  40131: { zh: "该客户不是原跟进成员的客户：可能已被删除或已转给他人，请核对后再处理。", en: "The customer is not the leaving member's customer (removed, or already moved): check before acting." },
  90500: { zh: "该客户群的群主尚未离职，不能按离职继承转移。", en: "The chat's owner has not left, so it cannot be inherited as a leaver's chat." },
  90501: { zh: "该群不是客户群。", en: "This is not an external (customer) group chat." },
  90502: { zh: "该客户群的群主已经离职，不能按在职继承转移：请同步通讯录后重新开始（将按离职继承转移）。", en: "The chat's owner has left, so the on-the-job transfer does not apply: sync the directory and start again (it then goes as a leaver's chat)." },
  90503: { zh: "群已满员且有 99 个微信成员，企业微信要求在客户端确认后才能转移。", en: "The chat is full with 99 WeChat members; WeCom requires confirmation in the client before it can move." },
  90504: { zh: "群主没有变化（新群主与原群主相同）。", en: "The owner would not change (the new owner is the current one)." },
  90507: { zh: "该离职成员的群正在继承处理中，请等待其完成。", en: "This leaver's chat is already being inherited; wait for it to finish." },
  90508: { zh: "该离职成员的群已经被继承。", en: "This leaver's chat has already been inherited." },
};

export type WeComFailure = "API" | "TIMEOUT" | "NETWORK" | "HTTP" | "REDIRECT" | "MALFORMED" | "NOT_CONFIGURED";

const FAILURES: Record<Exclude<WeComFailure, "API">, { zh: string; en: string }> = {
  TIMEOUT: { zh: "企业微信在规定时间内没有应答（超时）。", en: "WeCom did not answer in time (timeout)." },
  NETWORK: { zh: "无法连接企业微信接口地址：请检查网络与接口地址设置。", en: "The WeCom API address could not be reached: check the network and the API base URL." },
  HTTP: { zh: "企业微信接口返回了 HTTP 错误，而不是正常的应答。", en: "The WeCom API answered with an HTTP error instead of a normal reply." },
  REDIRECT: { zh: "企业微信接口地址返回了重定向（未跟随）：请检查接口地址是否正确。", en: "The WeCom API address answered with a redirect (not followed): check the API base URL." },
  MALFORMED: { zh: "企业微信的应答不是有效的 JSON（可能是网关错误页面）。", en: "WeCom's answer was not valid JSON (perhaps a gateway error page)." },
  NOT_CONFIGURED: { zh: "企业微信连接尚未配置完整：请填写企业 ID 和相应的 Secret。", en: "The WeCom connection is not fully configured: fill in the corp id and the secret." },
};

/** The admin's explanation of an errcode (a generic one, with the number, for codes not in the table). */
export function explainErrcode(errcode: number): { zh: string; en: string } {
  return ERRCODES[errcode] ?? { zh: `企业微信返回错误码 ${errcode}，请对照企业微信全局错误码说明处理。`, en: `WeCom answered errcode ${errcode}; see WeCom's global error code list.` };
}

export class WeComError extends Error {
  readonly kind: WeComFailure;
  readonly errcode: number | null;
  readonly httpStatus: number | null;
  readonly path: string;
  readonly zh: string;
  readonly en: string;
  constructor(kind: WeComFailure, path: string, opts: { errcode?: number; httpStatus?: number } = {}) {
    const text = kind === "API" ? explainErrcode(opts.errcode ?? -1) : FAILURES[kind];
    super(`WeCom ${path}: ${kind === "API" ? `errcode ${opts.errcode}` : kind}${opts.httpStatus ? ` (HTTP ${opts.httpStatus})` : ""} — ${text.en}`);
    this.name = "WeComError";
    this.kind = kind;
    this.errcode = opts.errcode ?? null;
    this.httpStatus = opts.httpStatus ?? null;
    this.path = path;
    this.zh = text.zh;
    this.en = text.en;
  }
  /** The explanation in the reader's language. */
  explain(locale: string): string {
    return locale.startsWith("zh") ? this.zh : this.en;
  }
}

export const RETRY_ERRCODES: ReadonlySet<number> = new Set([45009, 45033, -1]);
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001]);

/** A failure worth trying again later (the network, a timeout, an HTTP 5xx, WeCom busy or over its
 * rate), as opposed to one only the admin can fix (a wrong secret, a missing permission). */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof WeComError)) return false;
  return e.kind === "NETWORK" || e.kind === "TIMEOUT" || e.kind === "HTTP" || (e.kind === "API" && RETRY_ERRCODES.has(e.errcode ?? 0));
}

/** transfer_result's customer status (1 done, 2 waiting, 3 refused by the customer, 4 successor's
 * limit, 5 no record — the last only from the on-job variant), as HR reads it. */
export const TRANSFER_STATUS: Record<number, { zh: string; en: string }> = {
  1: { zh: "已接替。", en: "Taken over." },
  2: { zh: "等待接替（客户可在 24 小时内拒绝）。", en: "Waiting (the customer has 24 hours to decline)." },
  3: { zh: "客户拒绝了接替：可改派其他接替人后重新转接。", en: "The customer declined: assign another successor and transfer again." },
  4: { zh: "接替成员的客户数量已达上限：请改派其他接替人。", en: "The successor reached the customer limit: assign another successor." },
  5: { zh: "企业微信没有这次接替的记录。", en: "WeCom has no record of this transfer." },
};
