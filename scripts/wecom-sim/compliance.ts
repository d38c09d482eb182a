import { createHash } from "node:crypto";
import type http from "node:http";
import type { Company } from "./company";

// The simulator's compliance APIs (issue 15, items 4, 6 and 7), hooked into server.ts at the places
// marked [compliance]:
// - externalcontact/get_unassigned_list: the customers of every member who has left (status 5,
//   computed or set through /__sim/directory), less the leavers a test marks as assigned;
// - externalcontact/add|get|update|del_intercept_rule and get_intercept_rule_list: sensitive-word
//   rules kept in memory, with WeCom's limits (rule name ≤ 20 characters, ≤ 300 words of ≤ 32
//   characters, at most 100 rules a company, intercept_type 1 or 2) answered as errcode 40058
//   (invalid parameter): the reference does not give WeCom's own codes for each limit;
// - msgaudit/check_single_agree, check_room_agree, get_permit_user_list: a customer's agreement to
//   chat archiving, computed from a hash of the pair (one in five disagrees) unless a test set it.
// Admin (loopback, cleared by /__sim/reset):
//   POST /__sim/compliance/assigned {userids: [...]}      those leavers' customers are assigned now
//   POST /__sim/compliance/agree {userid?, roomid?, externalUserid, status: "Agree"|"Disagree", time}
//   POST /__sim/compliance/permit {ids: [...] | null}     the archived members (null: the default)
//   GET  /__sim/compliance/rules                           the intercept rules as stored

export const COMPLIANCE_PATHS = [
  "/externalcontact/get_unassigned_list",
  "/externalcontact/add_intercept_rule",
  "/externalcontact/get_intercept_rule",
  "/externalcontact/get_intercept_rule_list",
  "/externalcontact/update_intercept_rule",
  "/externalcontact/del_intercept_rule",
  "/msgaudit/check_single_agree",
  "/msgaudit/check_room_agree",
  "/msgaudit/get_permit_user_list",
];

type Reply = (res: http.ServerResponse, errcode: number, data?: Record<string, unknown>) => void;
type Send = (res: http.ServerResponse, status: number, body: string) => void;
type Range = { user_list: string[]; department_list: number[] };
export type SimRule = { rule_id: string; rule_name: string; word_list: string[]; semantics_list: number[]; intercept_type: 1 | 2; applicable_range: Range; create_time: number };

export const RULE_LIMITS = { rules: 100, words: 300, wordChars: 32, nameChars: 20 };
const chars = (s: string) => Array.from(s).length;
const hash = (s: string) => createHash("sha256").update(s).digest().readUInt32BE(0);

export function complianceApi(company: Company) {
  let assigned = new Set<string>();
  let rules = new Map<string, SimRule>();
  let nextRule = 1;
  let agree = new Map<string, { status: "Agree" | "Disagree"; time: number }>();
  let permit: string[] | null = null;

  const agreement = (key: string) => agree.get(key) ?? { status: hash(key) % 5 === 0 ? ("Disagree" as const) : ("Agree" as const), time: 1_700_000_000 + (hash(key) % 10_000_000) };
  const words = (w: unknown): string[] | null => (Array.isArray(w) && w.every((x) => typeof x === "string" && x.length > 0 && chars(x) <= RULE_LIMITS.wordChars) && w.length <= RULE_LIMITS.words ? (w as string[]) : null);
  const range = (r: unknown): Range | null => {
    if (r === undefined || r === null) return { user_list: [], department_list: [] };
    if (typeof r !== "object") return null;
    const o = r as Record<string, unknown>;
    const users = o.user_list ?? [];
    const depts = o.department_list ?? [];
    if (!Array.isArray(users) || !Array.isArray(depts) || users.length > 1000 || depts.length > 1000) return null;
    if (!depts.every((d) => Number.isInteger(d) && company.department(Number(d)))) return null;
    return { user_list: users.map(String), department_list: depts.map(Number) };
  };

  function api(path: string, body: Record<string, unknown>, res: http.ServerResponse, reply: Reply): void {
    switch (path) {
      case "/externalcontact/get_unassigned_list": {
        const size = body.page_size === undefined ? 1000 : Number(body.page_size);
        if (!Number.isInteger(size) || size < 1 || size > 1000) return reply(res, 40058);
        const cursor = typeof body.cursor === "string" && body.cursor ? Number(Buffer.from(body.cursor, "base64url").toString("utf8").slice(1)) : 0;
        if (!Number.isInteger(cursor) || cursor < 0) return reply(res, 40058);
        // The leavers' customers laid end to end; the cursor is the position in that sequence.
        const info: { handover_userid: string; external_userid: string; dimission_time: number }[] = [];
        let pos = 0;
        let more = false;
        for (let i = 0; i < company.size.members && !more; i++) {
          const m = company.member(i);
          if (m.status !== 5 || assigned.has(m.userid) || company.memberDeleted(i)) continue;
          const n = company.contactCount(i);
          for (let j = 0; j < n; j++, pos++) {
            if (pos < cursor) continue;
            if (info.length === size) {
              more = true;
              break;
            }
            info.push({ handover_userid: m.userid, external_userid: company.contact(i, j).external_contact.external_userid, dimission_time: 1_690_000_000 + i * 60 });
          }
        }
        const next = cursor + info.length;
        return reply(res, 0, { info, is_last: !more, next_cursor: more ? Buffer.from(`c${next}`).toString("base64url") : "" });
      }
      case "/externalcontact/add_intercept_rule": {
        const name = body.rule_name;
        const list = words(body.word_list);
        const type = Number(body.intercept_type);
        const r = range(body.applicable_range);
        if (typeof name !== "string" || !name || chars(name) > RULE_LIMITS.nameChars || !list || list.length === 0 || (type !== 1 && type !== 2) || !r) return reply(res, 40058);
        if (rules.size >= RULE_LIMITS.rules) return reply(res, 40058);
        const rule_id = `rule${String(nextRule++).padStart(6, "0")}`;
        const semantics = Array.isArray(body.semantics_list) ? body.semantics_list.map(Number) : [];
        rules.set(rule_id, { rule_id, rule_name: name, word_list: [...list], semantics_list: semantics, intercept_type: type, applicable_range: r, create_time: Math.floor(Date.now() / 1000) });
        return reply(res, 0, { rule_id });
      }
      case "/externalcontact/get_intercept_rule_list":
        return reply(res, 0, { rule_list: [...rules.values()].map((r) => ({ rule_id: r.rule_id, rule_name: r.rule_name, create_time: r.create_time })) });
      case "/externalcontact/get_intercept_rule": {
        const rule = rules.get(String(body.rule_id ?? ""));
        if (!rule) return reply(res, 40058);
        return reply(res, 0, { rule: { rule_id: rule.rule_id, rule_name: rule.rule_name, word_list: rule.word_list, extra_rule: { semantics_list: rule.semantics_list }, intercept_type: rule.intercept_type, applicable_range: rule.applicable_range } });
      }
      case "/externalcontact/update_intercept_rule": {
        const rule = rules.get(String(body.rule_id ?? ""));
        if (!rule) return reply(res, 40058);
        const next = structuredClone(rule);
        if (body.rule_name !== undefined) {
          if (typeof body.rule_name !== "string" || !body.rule_name || chars(body.rule_name) > RULE_LIMITS.nameChars) return reply(res, 40058);
          next.rule_name = body.rule_name;
        }
        if (body.word_list !== undefined) {
          const list = words(body.word_list);
          if (!list || list.length === 0) return reply(res, 40058);
          next.word_list = [...list];
        }
        if (body.intercept_type !== undefined) {
          const type = Number(body.intercept_type);
          if (type !== 1 && type !== 2) return reply(res, 40058);
          next.intercept_type = type;
        }
        const add = body.add_applicable_range === undefined ? null : range(body.add_applicable_range);
        const remove = body.remove_applicable_range === undefined ? null : range(body.remove_applicable_range);
        if ((body.add_applicable_range !== undefined && !add) || (body.remove_applicable_range !== undefined && !remove)) return reply(res, 40058);
        if (remove) {
          next.applicable_range.user_list = next.applicable_range.user_list.filter((u) => !remove.user_list.includes(u));
          next.applicable_range.department_list = next.applicable_range.department_list.filter((d) => !remove.department_list.includes(d));
        }
        if (add) {
          for (const u of add.user_list) if (!next.applicable_range.user_list.includes(u)) next.applicable_range.user_list.push(u);
          for (const d of add.department_list) if (!next.applicable_range.department_list.includes(d)) next.applicable_range.department_list.push(d);
        }
        rules.set(rule.rule_id, next);
        return reply(res, 0);
      }
      case "/externalcontact/del_intercept_rule": {
        if (!rules.delete(String(body.rule_id ?? ""))) return reply(res, 40058);
        return reply(res, 0);
      }
      case "/msgaudit/check_single_agree": {
        const info = body.info;
        if (!Array.isArray(info) || info.length < 1 || info.length > 100) return reply(res, 40058);
        const agreeinfo = info.map((p) => {
          const o = (p ?? {}) as Record<string, unknown>;
          const a = agreement(`${String(o.userid)}|${String(o.exteranalopenid)}`);
          return { userid: o.userid, exteranalopenid: o.exteranalopenid, agree_status: a.status, status_change_time: a.time };
        });
        return reply(res, 0, { agreeinfo });
      }
      case "/msgaudit/check_room_agree": {
        const g = typeof body.roomid === "string" ? company.groupIndex(body.roomid) : null;
        if (g === null) return reply(res, 40058);
        const agreeinfo = company
          .group(g)
          .member_list.filter((m) => m.type === 2)
          .map((m) => {
            const a = agreement(`${String(body.roomid)}|${m.userid}`);
            return { exteranalopenid: m.userid, agree_status: a.status, status_change_time: a.time };
          });
        return reply(res, 0, { agreeinfo });
      }
      case "/msgaudit/get_permit_user_list": {
        const ids = permit ?? company.followUsers().filter((_, k) => k % 3 === 0);
        return reply(res, 0, { ids });
      }
    }
  }

  function admin(path: string, body: Record<string, unknown>, res: http.ServerResponse, send: Send): boolean {
    switch (path) {
      case "/__sim/compliance/assigned":
        for (const u of Array.isArray(body.userids) ? body.userids : []) assigned.add(String(u));
        send(res, 200, JSON.stringify({ assigned: [...assigned] }));
        return true;
      case "/__sim/compliance/agree": {
        const who = typeof body.roomid === "string" ? body.roomid : String(body.userid ?? "");
        const status = body.status === "Disagree" ? "Disagree" : "Agree";
        agree.set(`${who}|${String(body.externalUserid ?? "")}`, { status, time: Number(body.time) || Math.floor(Date.now() / 1000) });
        send(res, 200, "{}");
        return true;
      }
      case "/__sim/compliance/permit":
        permit = Array.isArray(body.ids) ? body.ids.map(String) : null;
        send(res, 200, "{}");
        return true;
      case "/__sim/compliance/rules":
        send(res, 200, JSON.stringify({ rules: [...rules.values()] }));
        return true;
    }
    return false;
  }

  return {
    handles: (path: string) => COMPLIANCE_PATHS.includes(path),
    api,
    admin,
    reset() {
      assigned = new Set();
      rules = new Map();
      nextRule = 1;
      agree = new Map();
      permit = null;
    },
  };
}
