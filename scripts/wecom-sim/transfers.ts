import { createHash } from "node:crypto";
import type { Company } from "./company";

// The simulator's customer transfers (issue 15): externalcontact/transfer_customer (on the job,
// 96325), resigned/transfer_customer (after leaving, 96331) and both transfer_result variants,
// kept in memory. server.ts hooks it in at the places marked [transfers]. A transfer WeCom accepts
// waits (status 2, its takeover_time 24 h ahead, as WeCom's example shows) until a test completes it; then a chosen share of customers decline (3), the
// rest are taken over (1). Rules enforced as WeCom states them: ≤100 ids a call, at most two
// completed transfers of a customer in 90 days on the on-job API (40128), the leaver as successor
// (40130), the successor's customer limit (40099),
// a member still employed per the simulated directory is refused by the leavers' API (40097),
// customers a test marks as not the member's give 84061, a customer already waiting gives 40129.
//
// Admin endpoints (POST, loopback, tests and the demo):
//   /__sim/transfers        {refuseShare?: 0..1, takeoverLimit?: n, unrelated?: [external_userid],
//                            history?: {[external_userid]: completed transfers in the last 90 days}}
//   /__sim/transfers/complete  every waiting transfer finishes (refused by the share, else done)
//   /__sim/transfers/stats  {sends: {[external_userid]: times a transfer call named it}, calls, transfers,
//                            groupCalls, groupSends: {[chat_id]: times a group transfer call named it}, groupOwners}
//   /__sim/transfers/reset  everything above cleared (and the groups' daily counts: "the next day")
// Group transfers (groupchat/transfer after leaving, groupchat/onjob_transfer while employed,
// 96334): ≤100 chats a call; at most 300 chats of one previous owner a day (beyond: 45009 in
// failed_chat_list); an owner still employed on the leavers' API 90500, one who left on the
// on-job API 90502, the same owner 90504; `failChats: {chat_id: errcode}` in /__sim/transfers makes
// chosen chats fail.

export const TRANSFER_PATHS = [
  "/externalcontact/transfer_customer",
  "/externalcontact/resigned/transfer_customer",
  "/externalcontact/transfer_result",
  "/externalcontact/resigned/transfer_result",
  "/externalcontact/groupchat/transfer",
  "/externalcontact/groupchat/onjob_transfer",
];
/** Groups one person's chats may pass to new owners in a day (96334). */
export const GROUP_DAILY_CAP = 300;
/** What the simulator answers for a chat beyond the day's cap. WeCom documents the cap ("同一个人的群，
 * 限制每天最多分配300个给新群主", documents 92127 and 95703) but no errcode for it, in its pages or
 * in the open-source SDKs' errcode lists (docs/offboarding-wecom.md): 45009, "over the limit",
 * stands for it. The portal spreads a leaver's groups over days and never meets it. */
export const GROUP_CAP_ERRCODE = 45009;

/** The simulator's customer groups, for group transfers (server.ts passes its [groups] overlay). */
export type ChatOwners = { owner: (chatId: string) => string | null; setOwner: (chatId: string, owner: string) => void };

type Transfer = { handover: string; takeover: string; external: string; resigned: boolean; status: 1 | 2 | 3 | 4; takeoverTime: number; order: number };
type Reply = { errcode: number; data?: Record<string, unknown> };

export function customerTransfers(company: Company, chats: ChatOwners) {
  // Group transfers: per previous owner, chats moved today (a test's reset is "the next day");
  // chats a test marks failing answer their errcode in failed_chat_list.
  let groupDay = new Map<string, number>();
  let groupCalls = 0;
  let groupSends = new Map<string, number>();
  let failChats = new Map<string, number>();
  const owners = new Map<string, string>();
  function groupTransfer(resigned: boolean, body: Record<string, unknown>): Reply {
    const { chat_id_list: list, new_owner: newOwner } = body as { chat_id_list?: unknown; new_owner?: unknown };
    if (!Array.isArray(list) || list.length < 1 || list.length > 100 || typeof newOwner !== "string") return { errcode: 40058 };
    groupCalls++;
    const failed: { chat_id: string; errcode: number; errmsg: string }[] = [];
    for (const raw of list) {
      const chat = String(raw);
      groupSends.set(chat, (groupSends.get(chat) ?? 0) + 1);
      const fail = failChats.get(chat);
      if (fail) {
        failed.push({ chat_id: chat, errcode: fail, errmsg: "failed" });
        continue;
      }
      const from = owners.get(chat) ?? chats.owner(chat) ?? "?";
      // The leavers' API wants an owner who left (90500), the on-the-job API one who has not (90502);
      // only owners of the simulated directory are checked (the tests' own userids pass).
      const ownerLeft = memberLeft(from);
      if (resigned && ownerLeft === false) {
        failed.push({ chat_id: chat, errcode: 90500, errmsg: "owner not resigned" });
        continue;
      }
      if (!resigned && ownerLeft === true) {
        failed.push({ chat_id: chat, errcode: 90502, errmsg: "owner resigned" });
        continue;
      }
      if (from === newOwner) {
        failed.push({ chat_id: chat, errcode: 90504, errmsg: "owner not changed" });
        continue;
      }
      const n = groupDay.get(from) ?? 0;
      if (n >= GROUP_DAILY_CAP) {
        failed.push({ chat_id: chat, errcode: GROUP_CAP_ERRCODE, errmsg: "over the daily limit" });
        continue;
      }
      groupDay.set(from, n + 1);
      owners.set(chat, newOwner);
      chats.setOwner(chat, newOwner);
    }
    return { errcode: 0, data: { failed_chat_list: failed } };
  }
  let transfers: Transfer[] = [];
  let sends = new Map<string, number>();
  let calls = 0;
  let refuseShare = 0;
  let takeoverLimit = Number.POSITIVE_INFINITY;
  let unrelated = new Set<string>();
  let history = new Map<string, number>();
  const refuses = (external: string) => refuseShare > 0 && createHash("sha256").update(external).digest().readUInt32BE(0) / 0xffffffff < refuseShare;
  const waitingOrDone = (takeover: string) => transfers.filter((t) => t.takeover === takeover && (t.status === 1 || t.status === 2)).length;
  const memberLeft = (userid: string): boolean | null => {
    const i = company.memberIndex(userid);
    return i === null ? null : company.member(i).status === 5;
  };

  function transfer(resigned: boolean, body: Record<string, unknown>): Reply {
    const { handover_userid: handover, takeover_userid: takeover, external_userid: ids } = body as { handover_userid?: unknown; takeover_userid?: unknown; external_userid?: unknown };
    if (typeof handover !== "string" || typeof takeover !== "string" || !Array.isArray(ids) || ids.length < 1 || ids.length > 100) return { errcode: 40058 };
    calls++;
    // Only members of the simulated directory are checked; the tests' own userids pass.
    const left = memberLeft(handover);
    if (resigned && left === false) return { errcode: 40097 };
    if (handover === takeover) return { errcode: 40130 };
    const customer = ids.map((raw) => {
      const external = String(raw);
      sends.set(external, (sends.get(external) ?? 0) + 1);
      if (unrelated.has(external)) return { external_userid: external, errcode: 84061 };
      if (transfers.some((t) => t.external === external && t.status === 2)) return { external_userid: external, errcode: 40129 };
      // 40128 is the on-the-job rule ("90 个自然日内，在职成员的每位客户仅可被转接 2 次"); the leavers' API has no such limit.
      const done = (history.get(external) ?? 0) + transfers.filter((t) => t.external === external && t.status === 1).length;
      if (!resigned && done >= 2) return { external_userid: external, errcode: 40128 };
      if (waitingOrDone(takeover) >= takeoverLimit) return { external_userid: external, errcode: 40099 };
      transfers.push({ handover, takeover, external, resigned, status: 2, takeoverTime: Math.floor(Date.now() / 1000) + 86_400, order: transfers.length });
      return { external_userid: external, errcode: 0 };
    });
    return { errcode: 0, data: { customer } };
  }

  function result(resigned: boolean, body: Record<string, unknown>): Reply {
    const { handover_userid: handover, takeover_userid: takeover, cursor } = body as { handover_userid?: unknown; takeover_userid?: unknown; cursor?: unknown };
    if (typeof handover !== "string" || typeof takeover !== "string") return { errcode: 40058 };
    const offset = typeof cursor === "string" && cursor ? Number(Buffer.from(cursor, "base64url").toString("utf8").slice(1)) : 0;
    if (!Number.isInteger(offset) || offset < 0) return { errcode: 40058 };
    const all = transfers.filter((t) => t.handover === handover && t.takeover === takeover && t.resigned === resigned);
    const page = all.slice(offset, offset + 1000);
    const next = offset + page.length < all.length ? Buffer.from(`c${offset + page.length}`).toString("base64url") : "";
    return { errcode: 0, data: { customer: page.map((t) => ({ external_userid: t.external, status: t.status, takeover_time: t.status === 1 || t.status === 2 ? t.takeoverTime : 0 })), next_cursor: next } };
  }

  return {
    paths: TRANSFER_PATHS,
    api(path: string, body: Record<string, unknown>): Reply {
      if (path === "/externalcontact/transfer_customer") return transfer(false, body);
      if (path === "/externalcontact/resigned/transfer_customer") return transfer(true, body);
      if (path === "/externalcontact/transfer_result") return result(false, body);
      if (path === "/externalcontact/groupchat/transfer") return groupTransfer(true, body);
      if (path === "/externalcontact/groupchat/onjob_transfer") return groupTransfer(false, body);
      return result(true, body);
    },
    /** The transfers a test sees (callbacks are sent through /__sim/callback). */
    list: () => transfers.map((t) => ({ ...t })),
    admin(path: string, body: Record<string, unknown>): [number, string] | null {
      switch (path) {
        case "/__sim/transfers":
          if (typeof body.refuseShare === "number") refuseShare = body.refuseShare;
          if (typeof body.takeoverLimit === "number") takeoverLimit = body.takeoverLimit;
          if (Array.isArray(body.unrelated)) unrelated = new Set(body.unrelated.map(String));
          if (body.history && typeof body.history === "object") history = new Map(Object.entries(body.history as Record<string, number>));
          if (body.failChats && typeof body.failChats === "object") failChats = new Map(Object.entries(body.failChats as Record<string, number>));
          return [200, "{}"];
        case "/__sim/transfers/complete": {
          const finished: { external_userid: string; handover: string; takeover: string; status: number }[] = [];
          for (const t of transfers) {
            if (t.status !== 2) continue;
            t.status = refuses(t.external) ? 3 : 1;
            t.takeoverTime = Math.floor(Date.now() / 1000);
            finished.push({ external_userid: t.external, handover: t.handover, takeover: t.takeover, status: t.status });
          }
          return [200, JSON.stringify({ finished })];
        }
        case "/__sim/transfers/stats":
          return [200, JSON.stringify({ sends: Object.fromEntries(sends), calls, transfers: transfers.length, groupCalls, groupSends: Object.fromEntries(groupSends), groupOwners: Object.fromEntries(owners) })];
        case "/__sim/transfers/reset":
          transfers = [];
          sends = new Map();
          calls = 0;
          refuseShare = 0;
          takeoverLimit = Number.POSITIVE_INFINITY;
          unrelated = new Set();
          history = new Map();
          groupDay = new Map();
          groupCalls = 0;
          groupSends = new Map();
          failChats = new Map();
          owners.clear();
          return [200, "{}"];
        default:
          return null;
      }
    },
  };
}
