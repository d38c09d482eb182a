import type http from "node:http";
import type { Company, SimContact } from "./company";

// The simulator's customer contacts beyond the computed company (issue 14, the contacts step):
// `externalcontact/get` (doc 92114), and changes a test makes "in WeCom" — a member deleting a
// customer, a remark edited, a member the app may not see — kept in memory on top of the
// deterministic company. server.ts hooks it in at four marked places; nothing else here is shared.
//
// Admin endpoints (POST, loopback, tests and the demo):
//   /__sim/contacts/remove   {userid, external_userid}  the member no longer has this customer
//   /__sim/contacts/restore  {userid, external_userid}  undoes a removal
//   /__sim/contacts/edit     {userid, external_userid, remark}  the member's remark changes
//   /__sim/contacts/refuse   {userid}  batch/get_by_user naming this member answers 60011 (outside the app's range)
//   /__sim/contacts/reset    every change above undone

type Reply = (res: http.ServerResponse, errcode: number, data?: Record<string, unknown>) => void;

export type ContactOverlay = ReturnType<typeof contactOverlay>;

export function contactOverlay(company: Company) {
  const removed = new Set<string>();
  const remarks = new Map<string, string>();
  const refused = new Set<string>();
  const key = (userid: string, externalUserid: string) => `${userid}\u0000${externalUserid}`;

  /** Member i and index j of a computed contact's external_userid (null when not one of ours). */
  function locate(externalUserid: string): { i: number; j: number } | null {
    const prefix = `wm${company.seed.toString(36)}`;
    if (!externalUserid.startsWith(prefix)) return null;
    const rest = externalUserid.slice(prefix.length);
    if (rest.length < 10 || rest[4] !== "x") return null;
    const i = parseInt(rest.slice(0, 4), 36);
    const j = parseInt(rest.slice(5, 8), 36);
    if (!Number.isInteger(i) || !Number.isInteger(j) || i >= company.size.members || j >= company.contactCount(i)) return null;
    return company.contact(i, j).external_contact.external_userid === externalUserid ? { i, j } : null;
  }

  function view(c: SimContact): SimContact | null {
    const k = key(c.follow_info.userid, c.external_contact.external_userid);
    if (removed.has(k)) return null;
    const remark = remarks.get(k);
    return remark === undefined ? c : { ...c, follow_info: { ...c.follow_info, remark } };
  }

  return {
    /** A page of batch/get_by_user as WeCom now has it (removed contacts left out). */
    page(list: SimContact[]): SimContact[] {
      return list.flatMap((c) => view(c) ?? []);
    },
    /** The errcode batch/get_by_user answers for these members, 0 when none is refused. */
    refusal(userids: unknown[]): number {
      return userids.some((u) => typeof u === "string" && refused.has(u)) ? 60011 : 0;
    },
    /** GET /externalcontact/get?external_userid= */
    get(q: URLSearchParams, res: http.ServerResponse, reply: Reply): void {
      const externalUserid = q.get("external_userid") ?? "";
      const at = locate(externalUserid);
      if (!at) return reply(res, 40096);
      const c = view(company.contact(at.i, at.j));
      if (!c) return reply(res, 84061);
      const f = c.follow_info;
      reply(res, 0, {
        external_contact: c.external_contact,
        follow_user: [{ userid: f.userid, remark: f.remark, description: "", createtime: f.createtime, tags: f.tag_id.map((tag_id) => ({ group_name: "客户等级", tag_name: tag_id.replace(/^et_tag_/, "等级"), type: 1, tag_id })), add_way: 1 }],
        next_cursor: "",
      });
    },
    /** Handles /__sim/contacts/*; false for any other path. */
    admin(path: string, body: Record<string, unknown>, res: http.ServerResponse, send: (res: http.ServerResponse, status: number, body: string) => void): boolean {
      const userid = String(body.userid ?? "");
      const k = key(userid, String(body.external_userid ?? ""));
      switch (path) {
        case "/__sim/contacts/remove":
          removed.add(k);
          break;
        case "/__sim/contacts/restore":
          removed.delete(k);
          break;
        case "/__sim/contacts/edit":
          remarks.set(k, String(body.remark ?? ""));
          break;
        case "/__sim/contacts/refuse":
          refused.add(userid);
          break;
        case "/__sim/contacts/reset":
          this.reset();
          break;
        default:
          return false;
      }
      send(res, 200, JSON.stringify({ removed: removed.size, edited: remarks.size, refused: refused.size }));
      return true;
    },
    reset(): void {
      removed.clear();
      remarks.clear();
      refused.clear();
    },
  };
}
