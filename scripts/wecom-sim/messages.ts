import type { Company } from "./company";

// [messages] App messages (POST /cgi-bin/message/send) and group robots (POST
// /cgi-bin/webhook/send?key=KEY), recorded so tests read back what WeCom was sent. WeCom's shapes,
// limits and errcodes (../../shared/reference/wecom-api.md "App messages", "Group robot"):
// - message/send: touser "a|b" (≤ 1000), agentid a number, textcard title ≤ 128 bytes, description
//   ≤ 512 bytes, url required; unknown / departed members come back in `invaliduser` ("a|b") with
//   errcode 0 (partial success); none reached → 81013. About 30 messages a minute per app to one
//   member: over that the member is dropped (listed in invaliduser here; WeCom drops silently);
//   enable_duplicate_check drops an identical message within duplicate_check_interval.
// - webhook/send: a key the robot was made with (admin /__sim/robots), text ≤ 2048 bytes, markdown
//   ≤ 4096 bytes; 20 messages a minute per robot → 45009.
// Admin: GET /__sim/messages (what was sent and accepted), POST /__sim/robots {keys: string[]},
// POST /__sim/messages/advance {ms} (moves the rate limits' clock on).

export type SentAppMessage = { at: number; agentid: number; touser: string[]; delivered: string[]; invalid: string[]; msgtype: string; textcard?: { title: string; description: string; url: string; btntxt?: string }; text?: { content: string } };
export type SentRobotMessage = { at: number; key: string; msgtype: string; content: string; mentioned?: string[] };

type Reply = (errcode: number, data?: Record<string, unknown>) => void;
const bytes = (s: unknown) => (typeof s === "string" ? Buffer.byteLength(s, "utf8") : -1);
const MINUTE = 60_000;

export function createSimMessages(company: Company, clock: () => number = Date.now) {
  let skew = 0; // POST /__sim/messages/advance {ms}: the limits' minute, moved on without waiting
  const now = () => clock() + skew;
  let app: SentAppMessage[] = [];
  let robots: SentRobotMessage[] = [];
  let robotKeys = new Set<string>();
  const perMember = new Map<string, number[]>();
  const perRobot = new Map<string, number[]>();
  let msgid = 0;

  const within = (list: number[], t: number) => list.filter((x) => t - x < MINUTE);

  return {
    /** POST /message/send with an app token; body parsed. */
    send(body: Record<string, unknown>, reply: Reply): void {
      const agentid = Number(body.agentid);
      if (!Number.isInteger(agentid) || agentid <= 0) return reply(40056);
      const touser = typeof body.touser === "string" ? body.touser.split("|").filter(Boolean) : [];
      if (touser.length === 0 || touser.length > 1000) return reply(40058);
      const msgtype = body.msgtype;
      if (msgtype === "textcard") {
        const c = body.textcard as Record<string, unknown> | undefined;
        if (!c || bytes(c.title) < 1 || bytes(c.title) > 128 || bytes(c.description) < 1 || bytes(c.description) > 512 || bytes(c.url) < 1) return reply(40058);
      } else if (msgtype === "text") {
        const c = body.text as Record<string, unknown> | undefined;
        if (!c || bytes(c.content) < 1 || bytes(c.content) > 2048) return reply(40058);
      } else return reply(40008);
      const t = now();
      // enable_duplicate_check: an identical message within the interval (default 1800 s) is dropped
      // by WeCom without an error; here it is answered and not recorded.
      if (Number(body.enable_duplicate_check) === 1) {
        const interval = (Number(body.duplicate_check_interval) || 1800) * 1000;
        const same = JSON.stringify([agentid, touser, msgtype, body.textcard ?? body.text]);
        if (app.some((m) => t - m.at < interval && JSON.stringify([m.agentid, m.touser, m.msgtype, m.textcard ?? m.text]) === same)) return reply(0, { invaliduser: "", unlicenseduser: "", msgid: `simmsg${++msgid}` });
      }
      const delivered: string[] = [];
      const invalid: string[] = [];
      for (const u of touser) {
        const i = company.memberIndex(u);
        if (i === null || company.member(i).status === 5) {
          invalid.push(u);
          continue;
        }
        const recent = within(perMember.get(u) ?? [], t);
        if (recent.length >= 30) {
          invalid.push(u); // WeCom drops it; listed here so a test can see the drop
          continue;
        }
        recent.push(t);
        perMember.set(u, recent);
        delivered.push(u);
      }
      if (delivered.length === 0) return reply(81013, { invaliduser: invalid.join("|") });
      app.push({ at: t, agentid, touser, delivered, invalid, msgtype, textcard: body.textcard as SentAppMessage["textcard"], text: body.text as SentAppMessage["text"] });
      return reply(0, { invaliduser: invalid.join("|"), unlicenseduser: "", msgid: `simmsg${++msgid}` });
    },

    /** POST /webhook/send?key=KEY (no access token). */
    robot(key: string | null, body: Record<string, unknown>, reply: Reply): void {
      if (!key || !robotKeys.has(key)) return reply(93000);
      const t = now();
      const recent = within(perRobot.get(key) ?? [], t);
      if (recent.length >= 20) return reply(45009);
      let content: string;
      let mentioned: string[] | undefined;
      if (body.msgtype === "text") {
        const c = body.text as Record<string, unknown> | undefined;
        if (!c || bytes(c.content) < 1 || bytes(c.content) > 2048) return reply(40058);
        content = c.content as string;
        mentioned = Array.isArray(c.mentioned_list) ? c.mentioned_list.map(String) : undefined;
      } else if (body.msgtype === "markdown") {
        const c = body.markdown as Record<string, unknown> | undefined;
        if (!c || bytes(c.content) < 1 || bytes(c.content) > 4096) return reply(40058);
        content = c.content as string;
      } else return reply(40008);
      recent.push(t);
      perRobot.set(key, recent);
      robots.push({ at: t, key, msgtype: body.msgtype, content, mentioned });
      return reply(0);
    },

    admin(path: string, body: Record<string, unknown>): [number, string] | null {
      if (path === "/__sim/messages") return [200, JSON.stringify({ app, robots })];
      if (path === "/__sim/messages/advance") {
        skew += Number(body.ms) || 0;
        return [200, JSON.stringify({ skew })];
      }
      if (path === "/__sim/robots") {
        if (Array.isArray(body.keys)) for (const k of body.keys) robotKeys.add(String(k));
        return [200, JSON.stringify({ keys: [...robotKeys] })];
      }
      return null;
    },

    reset(): void {
      app = [];
      robots = [];
      robotKeys = new Set();
      perMember.clear();
      perRobot.clear();
      skew = 0;
    },
  };
}

export const MESSAGE_ERRMSG: Record<number, string> = {
  40008: "invalid message type",
  40056: "invalid agentid",
  81013: "user & party & tag all invalid",
  93000: "invalid webhook url",
};
