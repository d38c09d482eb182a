// A deterministic simulated company for the WeCom simulator. Nothing is stored per row: every
// department, member, customer contact and customer group is computed from its index (a hash of
// the seed and the index), so scale 1 (20,000 members, 1,000,000 customer contacts, 100,000
// customer groups) costs no memory and no start-up time, and the same seed always gives the
// same company.

export type CompanySize = { departments: number; members: number; contacts: number; groups: number };

export const SIZES: Record<string, CompanySize> = {
  tiny: { departments: 4, members: 12, contacts: 40, groups: 6 },
  small: { departments: 8, members: 60, contacts: 600, groups: 40 },
  medium: { departments: 60, members: 2_000, contacts: 100_000, groups: 10_000 },
  scale1: { departments: 500, members: 20_000, contacts: 1_000_000, groups: 100_000 },
};

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉红飞建国文斌宇浩凯俊晨欣怡佳琪子轩梓涵";
const DEPT_NAMES = ["销售部", "市场部", "客户服务部", "研发部", "财务部", "人力资源部", "法务合规部", "运营部", "采购部", "行政部"];

/** 32-bit hash of (seed, a, b): deterministic, well mixed. */
export function mix(seed: number, a: number, b = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [a, b]) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

export type SimDepartment = { id: number; name: string; parentid: number; order: number };
export type SimMember = { userid: string; name: string; department: number[]; main_department: number; position: string; status: 1 | 2 | 4 | 5; email: string };
export type SimContact = {
  external_contact: { external_userid: string; name: string; type: 1 | 2; corp_name?: string };
  follow_info: { userid: string; remark: string; createtime: number; tag_id: string[] };
};
export type SimGroup = {
  chat_id: string;
  name: string;
  owner: string;
  create_time: number;
  notice: string;
  member_list: { userid: string; type: 1 | 2; join_time: number; join_scene: number; invitor?: { userid: string } }[];
  admin_list: { userid: string }[];
};

export class Company {
  constructor(
    readonly size: CompanySize,
    readonly seed = 20261205,
    readonly corpName = "示例科技有限公司",
  ) {
    if (size.departments < 1 || size.members < 1) throw new RangeError("a company needs a department and a member");
  }

  // Departments: id 1 is the company; department k (2..n) hangs under (k-2)/6+1.
  department(id: number): SimDepartment | null {
    if (!Number.isInteger(id) || id < 1 || id > this.size.departments) return null;
    if (this.departmentPatches.size > 0) return this.patchedDepartment(id);
    return this.baseDepartment(id);
  }
  private baseDepartment(id: number): SimDepartment {
    if (id === 1) return { id: 1, name: this.corpName, parentid: 0, order: 100000000 };
    const parentid = Math.floor((id - 2) / 6) + 1;
    return { id, name: `${DEPT_NAMES[(id - 2) % DEPT_NAMES.length]}${id > DEPT_NAMES.length + 1 ? ` ${id}` : ""}`, parentid, order: 100000000 - id };
  }
  /** `id` and its subtree (fetch_child), or all when id is undefined. */
  departments(id?: number): SimDepartment[] {
    const out: SimDepartment[] = [];
    const under = (d: number): boolean => {
      for (let cur = d, guard = 0; cur >= 1 && guard <= this.size.departments; cur = this.department(cur)?.parentid ?? 0, guard++) if (cur === id) return true;
      return false;
    };
    for (let d = 1; d <= this.size.departments; d++) {
      const dept = this.department(d);
      if (dept && (id === undefined || under(d))) out.push(dept);
    }
    return out;
  }

  userid(i: number): string {
    return `u${String(i).padStart(6, "0")}`;
  }
  memberIndex(userid: string): number | null {
    const m = /^u(\d{6})$/.exec(userid);
    if (!m) return null;
    const i = Number(m[1]);
    return i < this.size.members && !this.memberDeleted(i) ? i : null;
  }
  member(i: number): SimMember {
    const base = this.baseMember(i);
    const patch = this.memberPatches.get(i);
    if (!patch) return base;
    const fields: Record<string, unknown> = { ...patch };
    delete fields.deleted;
    return { ...base, ...fields };
  }
  private baseMember(i: number): SimMember {
    const h = mix(this.seed, 1, i);
    const department = this.size.departments === 1 ? 1 : 2 + (i % (this.size.departments - 1));
    // Every 40th member has left (status 5), every 97th is disabled, every 61st not activated.
    const status = i % 40 === 39 ? 5 : i % 97 === 96 ? 2 : i % 61 === 60 ? 4 : 1;
    return {
      userid: this.userid(i),
      name: `${SURNAMES[h % SURNAMES.length]}${GIVEN[(h >>> 8) % GIVEN.length]}${i % 3 === 0 ? GIVEN[(h >>> 16) % GIVEN.length] : ""}`,
      department: [department],
      main_department: department,
      position: i % 10 === 0 ? "经理" : "专员",
      status,
      email: `${this.userid(i)}@example.test`,
    };
  }
  membersOf(departmentId: number): SimMember[] {
    if (!this.department(departmentId)) return [];
    const out: SimMember[] = [];
    if (this.size.departments === 1) {
      for (let i = 0; i < this.size.members; i++) out.push(this.member(i));
      return out;
    }
    if (departmentId === 1) return out;
    for (let i = departmentId - 2; i < this.size.members; i += this.size.departments - 1) out.push(this.member(i));
    return out;
  }

  /** How many customer contacts member i has (the total is exactly size.contacts). */
  contactCount(i: number): number {
    const base = Math.floor(this.size.contacts / this.size.members);
    return base + (i < this.size.contacts % this.size.members ? 1 : 0);
  }
  /** Members who have customer contacts (get_follow_user_list): active ones with at least one. */
  followUsers(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.size.members; i++) if (this.contactCount(i) > 0 && this.member(i).status !== 5) out.push(this.userid(i));
    return out;
  }
  contact(i: number, j: number): SimContact {
    const h = mix(this.seed, 2 + i, j);
    const type = h % 5 === 0 ? 2 : 1;
    return {
      external_contact: {
        external_userid: `wm${this.seed.toString(36)}${i.toString(36).padStart(4, "0")}x${j.toString(36).padStart(3, "0")}${(h % 1296).toString(36).padStart(2, "0")}`,
        name: `${SURNAMES[(h >>> 4) % SURNAMES.length]}${GIVEN[(h >>> 12) % GIVEN.length]}`,
        type,
        ...(type === 2 ? { corp_name: `客户企业${h % 1000}` } : {}),
      },
      follow_info: { userid: this.userid(i), remark: h % 3 === 0 ? `老客户${j}` : "", createtime: 1_600_000_000 + (h % 100_000_000), tag_id: h % 4 === 0 ? [`et_tag_${h % 7}`] : [] },
    };
  }

  chatId(g: number): string {
    return `wrsim${String(g).padStart(7, "0")}`;
  }
  groupIndex(chatId: string): number | null {
    const m = /^wrsim(\d{7})$/.exec(chatId);
    if (!m) return null;
    const g = Number(m[1]);
    return g < this.size.groups ? g : null;
  }
  /** 0 normal, 1 owner left awaiting inheritance (owners who left). */
  groupStatus(g: number): 0 | 1 | 2 | 3 {
    return this.member(this.groupOwnerIndex(g)).status === 5 ? 1 : 0;
  }
  groupOwnerIndex(g: number): number {
    return mix(this.seed, 3, g) % this.size.members;
  }
  group(g: number): SimGroup {
    const h = mix(this.seed, 4, g);
    const ownerIdx = this.groupOwnerIndex(g);
    const owner = this.userid(ownerIdx);
    const internal = 1 + (h % 4);
    const external = (h >>> 8) % 12;
    const members: SimGroup["member_list"] = [{ userid: owner, type: 1, join_time: 1_650_000_000 + (h % 10_000_000), join_scene: 1 }];
    for (let k = 1; k < internal; k++) members.push({ userid: this.userid((ownerIdx + k * 7) % this.size.members), type: 1, join_time: 1_650_000_000 + (h % 10_000_000) + k, join_scene: 1, invitor: { userid: owner } });
    for (let k = 0; k < external; k++) {
      const c = this.contactCount(ownerIdx) > 0 ? this.contact(ownerIdx, k % this.contactCount(ownerIdx)).external_contact.external_userid : `wmext${g}x${k}`;
      if (!members.some((m) => m.userid === c)) members.push({ userid: c, type: 2, join_time: 1_650_000_000 + (h % 10_000_000) + 100 + k, join_scene: 3, invitor: { userid: owner } });
    }
    return { chat_id: this.chatId(g), name: `客户群${g}`, owner, create_time: 1_650_000_000 + (h % 10_000_000), notice: g % 5 === 0 ? "请遵守群规" : "", member_list: members, admin_list: internal > 1 ? [{ userid: members[1].userid }] : [] };
  }

  // ---------------------------------------------------------------------------------------------
  // Directory changes (tests and the demo, through POST /__sim/directory): a member who leaves
  // (status 5), moves (main_department), changes e-mail or name, or is deleted from WeCom; a
  // department moved (parentid), renamed or deleted. Kept apart from the computed company: a patch
  // overrides the computed fields of one member or department until `clearDirectoryPatches`.

  private readonly memberPatches = new Map<number, Partial<Omit<SimMember, "userid">> & { deleted?: boolean }>();
  private readonly departmentPatches = new Map<number, Partial<Omit<SimDepartment, "id">> & { deleted?: boolean }>();

  patchMember(userid: string, patch: Partial<Omit<SimMember, "userid">> & { deleted?: boolean }): boolean {
    const m = /^u(\d{6})$/.exec(userid);
    const i = m ? Number(m[1]) : -1;
    if (i < 0 || i >= this.size.members) return false;
    const merged = { ...this.memberPatches.get(i), ...patch };
    if (patch.main_department !== undefined && patch.department === undefined) merged.department = [patch.main_department];
    this.memberPatches.set(i, merged);
    return true;
  }
  patchDepartment(id: number, patch: Partial<Omit<SimDepartment, "id">> & { deleted?: boolean }): boolean {
    if (!Number.isInteger(id) || id < 1 || id > this.size.departments) return false;
    this.departmentPatches.set(id, { ...this.departmentPatches.get(id), ...patch });
    return true;
  }
  clearDirectoryPatches(): void {
    this.memberPatches.clear();
    this.departmentPatches.clear();
  }
  /** Deleted from WeCom: list_id no longer returns the member and user/get answers 60111. */
  memberDeleted(i: number): boolean {
    return this.memberPatches.get(i)?.deleted === true;
  }
  private patchedDepartment(id: number): SimDepartment | null {
    const patch = this.departmentPatches.get(id);
    if (patch?.deleted) return null;
    const base = this.baseDepartment(id);
    if (!patch) return base;
    const fields: Record<string, unknown> = { ...patch };
    delete fields.deleted;
    return { ...base, ...fields };
  }
}
