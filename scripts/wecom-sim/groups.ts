import type { Company, SimGroup } from "./company";

// The simulator's customer groups beyond the computed company (issue 14, the groups step):
// changes a test makes "in WeCom" — a member added or removed (to break a membership rule or
// mend it), a new owner, a new status, a dismissed group — kept in memory on top of the
// deterministic company. server.ts hooks it in at the places marked [groups]. Cleared by
// /__sim/reset.
//   POST /__sim/groups {chatId, name?, owner?, status?: 0-3, addMembers?: [{userid, type: 1|2}],
//                       removeMembers?: [userid], admins?: [userid], dismiss?: true}
//   → 200 {group} (the chat as groupchat/get now answers it), 404 for an unknown chat.

type GroupChange = { name?: string; owner?: string; status?: 0 | 1 | 2 | 3; addMembers?: { userid: string; type: 1 | 2 }[]; removeMembers?: string[]; admins?: string[]; dismiss?: boolean };

export function customerGroupChanges(company: Company) {
  const changed = new Map<number, { group: SimGroup; status: 0 | 1 | 2 | 3; dismissed: boolean }>();
  const current = (g: number) => changed.get(g) ?? { group: company.group(g), status: company.groupStatus(g), dismissed: false };
  return {
    group: (g: number): SimGroup => current(g).group,
    status: (g: number): 0 | 1 | 2 | 3 => current(g).status,
    dismissed: (g: number): boolean => current(g).dismissed,
    reset: () => changed.clear(),
    change(body: Record<string, unknown>): [number, string] {
      const g = typeof body.chatId === "string" ? company.groupIndex(body.chatId) : null;
      if (g === null) return [404, JSON.stringify({ error: "unknown chat" })];
      const c = body as GroupChange;
      const was = current(g);
      const group: SimGroup = structuredClone(was.group);
      if (typeof c.name === "string") group.name = c.name;
      if (typeof c.owner === "string") group.owner = c.owner;
      for (const userid of c.removeMembers ?? []) group.member_list = group.member_list.filter((m) => m.userid !== userid);
      for (const m of c.addMembers ?? []) {
        if (!group.member_list.some((x) => x.userid === m.userid)) group.member_list.push({ userid: m.userid, type: m.type === 2 ? 2 : 1, join_time: group.create_time + 1000, join_scene: 1, invitor: { userid: group.owner } });
      }
      if (Array.isArray(c.admins)) group.admin_list = c.admins.map((userid) => ({ userid }));
      const status = c.status !== undefined && [0, 1, 2, 3].includes(c.status) ? c.status : was.status;
      changed.set(g, { group, status, dismissed: was.dismissed || c.dismiss === true });
      return [200, JSON.stringify({ group })];
    },
  };
}
