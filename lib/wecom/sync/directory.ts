import { createHash } from "node:crypto";
import { newId } from "@/lib/ids";
import { sendNotifications } from "@/lib/notifications/store";
import { openCase } from "@/lib/offboarding/commands";
import { shanghaiToday } from "@/lib/offboarding/time";
import type { Actor } from "@/lib/server/actor";
import { writeAuditEvent, type AuditActor } from "@/lib/server/audit-write";
import { DomainError } from "@/lib/server/errors";
import type { Tx } from "@/lib/server/prisma-client";
import type { WeComClient } from "../client";
import { WeComError } from "../errors";
import type * as T from "../types";
import type { EventHandler, SyncContext, SyncSettings, SyncStep } from "./types";

// The directory step of the WeCom sync (issue 14, item 3): WeCom's departments and members into
// the portal's department tree and employees. docs/wecom.md ("Directory sync") tells the rules;
// in short:
//
// 1. Departments (one commit): department/list — or department/simplelist with a placeholder name
//    when the app may not call department/list (48002) — upserted by WeCom id, the tree moved as
//    WeCom has it (parent, then every path and depth recomputed in one statement). A department
//    WeCom no longer has is marked (wecom_removed_at), never deleted.
// 2. Members: user/list_id pages (10 000) split into batches of 200; each batch's user/get calls
//    run 8 at a time (the client's pacer keeps the per-API budget), then the batch commits in a
//    few set-based statements with the checkpoint (the page's cursor and the position in it). An
//    employee is matched by WeCom userid, then by e-mail (case-insensitive, only one not yet linked
//    to another userid), else created.
// 3. End of a complete pass: employees with a userid list_id did not return are marked gone; then
//    each ACTIVE employee WeCom reports as left (status 5) or gone gets, per the settings, an
//    offboarding case (the offboarding domain's own openCase, by the system) or a notification to
//    every HR person — never twice (an OPEN case, or the OFFBOARDING status it sets, stops it).
//
// Nothing here deletes a row, demotes anyone or touches a password. Counts go to the run's single
// audit event; opening a case is audited by openCase itself.

export const MEMBER_BATCH = 200;
/** user/get calls in flight: with round trips of r ms, n in flight sustain n × 1000 / r calls a
 * second — 16 keep up with the default budget (9,000 a minute per API) while WeCom answers within
 * ~100 ms; WECOM_USER_GET_CONCURRENCY (1–32) raises it for slower links. */
export const USER_GET_CONCURRENCY = ((n) => (Number.isInteger(n) && n >= 1 && n <= 32 ? n : 16))(Number(process.env.WECOM_USER_GET_CONCURRENCY));
const LEAVER_BATCH = 50;

/** The label on rows and audit events written by the directory sync. */
export const DIRECTORY_SYNC_ACTOR: AuditActor = { id: null, label: "system:wecom-sync", ip: null };

/** openCase's actor when the sync opens a case: the system, allowed to manage offboarding only.
 * Its id is stored as the case's opener ("system:wecom-sync"); the case page shows it as the sync. */
export const SYNC_CASE_OPENER = "system:wecom-sync";
const CASE_ACTOR: Actor = {
  id: SYNC_CASE_OPENER,
  name: "企业微信同步",
  email: "",
  roles: [],
  permissions: new Set(["offboarding.manage"]),
  departmentId: "",
  departmentPath: "/",
  ip: null,
};

type Counts = Record<string, number>;
const add = (c: Counts, key: string, n = 1) => {
  if (n) c[key] = (c[key] ?? 0) + n;
};

type Checkpoint = { phase: "members"; cursor: string; offset: number; seen: number } | { phase: "leavers"; after: string };

// ---------------------------------------------------------------------------------------------
// Names and identifiers

/** What the directory's own forms accept of a name: no markup, tabs, direction controls, lone
 * surrogates; at most 100 characters. */
export function cleanName(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const cleaned = [...raw.replace(/[<>\t\r\n\u200E\u200F\u202A-\u202E\u2066-\u2069\u0000-\u001F\u007F]/g, "")]
    .filter((ch) => !/^[\uD800-\uDFFF]$/.test(ch))
    .join("")
    .trim()
    .slice(0, 100)
    .trim();
  return cleaned || null;
}

/** The name a department gets while WeCom gives none (department/simplelist has no names). */
export const placeholderDepartmentName = (wecomId: number) => `企业微信部门 ${wecomId}`;

const shortHash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 12).toUpperCase();

/** A new employee's number: WECOM-<userid> when the userid fits the directory's rule (letters,
 * digits, hyphens, 32 at most), else WECOM-<12 hex of its SHA-256>. A clash gets -2, -3, … */
export function employeeNoBase(userid: string): string {
  return /^[A-Za-z0-9-]{1,26}$/.test(userid) ? `WECOM-${userid}` : `WECOM-${shortHash(userid)}`;
}

/** A new employee's e-mail when WeCom gives none (or theirs belongs to someone else here): an
 * address under the reserved .invalid domain, so it can never reach anybody. */
export function placeholderEmail(userid: string): string {
  const local = userid.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 48) || "member";
  return `wecom-${local}@wecom.invalid`;
}

const memberEmail = (m: T.UserGet): string | null => {
  for (const e of [m.email, m.biz_mail]) {
    const v = e?.trim().toLowerCase();
    if (v && v.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return v;
  }
  return null;
};

/** Picks, for each base, the first of base, base-2, base-3, … that no row has (case-insensitive)
 * and no earlier pick took. `suffix` puts the counter where it belongs (before an e-mail's @). */
async function uniqueValues(tx: Tx, column: "email" | "employee_no" | "code", bases: string[], suffix: (base: string, n: number) => string): Promise<string[]> {
  const picked: string[] = new Array(bases.length);
  const used = new Set<string>();
  let pending = bases.map((b, i) => ({ i, base: b, n: 1 }));
  for (let round = 0; pending.length > 0; round++) {
    const candidates = pending.map((p) => (p.n === 1 ? p.base : suffix(p.base, p.n)));
    const lowered = candidates.map((c) => c.toLowerCase());
    const table = column === "code" ? "departments" : "employees";
    const taken = new Set(
      (await tx.$queryRawUnsafe<{ v: string }[]>(`SELECT lower("${column}") AS v FROM "${table}" WHERE lower("${column}") = ANY($1::text[])`, lowered)).map((r) => r.v),
    );
    const next: typeof pending = [];
    pending.forEach((p, k) => {
      const v = lowered[k];
      if (!taken.has(v) && !used.has(v) && round < 50) {
        used.add(v);
        picked[p.i] = candidates[k];
      } else if (round >= 50) {
        picked[p.i] = suffix(p.base, Date.now() + k);
      } else next.push({ ...p, n: p.n + 1 });
    });
    pending = next;
  }
  return picked;
}
const dashSuffix = (base: string, n: number) => `${base}-${n}`;
const emailSuffix = (base: string, n: number) => base.replace(/@/, `-${n}@`);

// ---------------------------------------------------------------------------------------------
// Departments

type WeComDepartment = { id: number; parentid: number; name: string | null };

/** department/list, or department/simplelist (no names) when the app may not call it. */
export async function fetchDepartments(client: WeComClient): Promise<{ list: WeComDepartment[]; named: boolean }> {
  try {
    const r = await client.departmentList();
    const list = (r.department ?? []).map((d) => ({ id: d.id, parentid: d.parentid, name: cleanName(d.name) }));
    return { list, named: list.some((d) => d.name !== null) };
  } catch (e) {
    if (!(e instanceof WeComError && e.kind === "API" && e.errcode === 48002)) throw e;
    const r = await client.departmentSimpleList();
    return { list: (r.department_id ?? []).map((d) => ({ id: d.id, parentid: d.parentid, name: null })), named: false };
  }
}

type DeptRow = { id: string; name: string; code: string; parent_id: string | null; path: string; depth: number; wecom_id: number | null; isNew?: boolean };

// The directory's tree lock (lib/directory/commands.ts): creating and moving departments take turns.
const DEPARTMENT_TREE_LOCK = 4_200_101;

/**
 * Upserts WeCom's departments into the tree and moves it as WeCom has it. `list` is WeCom's
 * complete list: a linked department missing from it is marked removed (kept, with its last-seen
 * time). Returns counts and the warnings for the run.
 */
export async function applyDepartments(tx: Tx, list: WeComDepartment[], now: Date): Promise<{ counts: Counts; warnings: { code: string; params: Record<string, string | number> }[] }> {
  const counts: Counts = {};
  const warnings: { code: string; params: Record<string, string | number> }[] = [];
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEPARTMENT_TREE_LOCK})`;
  const rows = await tx.$queryRaw<DeptRow[]>`SELECT "id", "name", "code", "parent_id", "path", "depth", "wecom_id" FROM "departments"`;
  const before = new Map(rows.map((r) => [r.id, { ...r }]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const byWecom = new Map<number, DeptRow>();
  for (const r of rows) if (r.wecom_id !== null) byWecom.set(r.wecom_id, r);

  // Parents before children (WeCom's list is a tree; a parent outside the app's visible range
  // counts as none).
  const wecomIds = new Set(list.map((d) => d.id));
  const childrenOf = new Map<number, WeComDepartment[]>();
  for (const d of list) {
    const key = wecomIds.has(d.parentid) && d.parentid !== d.id ? d.parentid : 0;
    childrenOf.set(key, [...(childrenOf.get(key) ?? []), d]);
  }
  const ordered: WeComDepartment[] = [];
  const walk = (key: number) => {
    for (const d of childrenOf.get(key) ?? []) {
      if (ordered.length > list.length) return;
      ordered.push(d);
      walk(d.id);
    }
  };
  walk(0);

  const creates: DeptRow[] = [];
  const newCodes: { row: DeptRow; base: string }[] = [];
  for (const d of ordered) {
    const parentVisible = wecomIds.has(d.parentid) && d.parentid !== d.id;
    const parentRow = parentVisible ? (byWecom.get(d.parentid) ?? null) : null;
    let row = byWecom.get(d.id) ?? null;
    if (!row) {
      // Not linked yet: adopt the portal's department that is evidently the same one — WeCom's
      // top department onto the portal's only top department, else the unlinked department of the
      // same name under the same parent — or create it.
      const unlinked = rows.filter((r) => r.wecom_id === null && !r.isNew);
      const candidates = !parentVisible && d.parentid === 0 ? unlinked.filter((r) => r.parent_id === null) : unlinked.filter((r) => d.name !== null && r.name === d.name && r.parent_id === (parentRow?.id ?? null));
      if (candidates.length === 1 && (d.parentid === 0 ? rows.filter((r) => r.parent_id === null).length === 1 : true)) {
        row = candidates[0];
        row.wecom_id = d.id;
        add(counts, "departments.matched");
      } else {
        const id = newId();
        row = { id, name: d.name ?? placeholderDepartmentName(d.id), code: "", parent_id: parentRow?.id ?? null, path: `/${id}/`, depth: 0, wecom_id: d.id, isNew: true };
        rows.push(row);
        byId.set(id, row);
        creates.push(row);
        newCodes.push({ row, base: `WECOM-${d.id}` });
        add(counts, "departments.created");
      }
      byWecom.set(d.id, row);
    }
    if (d.name !== null && row.name !== d.name) row.name = d.name;
    // The parent as WeCom has it; a parent WeCom does not show us leaves the current one.
    if (parentVisible && parentRow) row.parent_id = parentRow.id;
  }
  const codes = await uniqueValues(tx, "code", newCodes.map((c) => c.base), dashSuffix);
  newCodes.forEach((c, i) => (c.row.code = codes[i]));

  // Paths and depths from the roots down. A node no root reaches sits on a cycle (a WeCom parent
  // under a portal-only department under its own child): it becomes a top department, warned.
  const kids = new Map<string | null, DeptRow[]>();
  for (const r of rows) {
    const key = r.parent_id && byId.has(r.parent_id) ? r.parent_id : null;
    kids.set(key, [...(kids.get(key) ?? []), r]);
  }
  const reached = new Set<string>();
  const place = (parent: DeptRow | null) => {
    const stack: (DeptRow | null)[] = [parent];
    while (stack.length) {
      const p = stack.pop()!;
      for (const c of kids.get(p?.id ?? null) ?? []) {
        if (reached.has(c.id)) continue;
        reached.add(c.id);
        c.path = `${p?.path ?? "/"}${c.id}/`;
        c.depth = p ? p.depth + 1 : 0;
        stack.push(c);
      }
    }
  };
  place(null);
  for (const r of rows) {
    if (reached.has(r.id)) continue;
    warnings.push({ code: "directory.wecom.warnings.departmentCycle", params: { name: r.name } });
    r.parent_id = null;
    kids.set(null, [...(kids.get(null) ?? []), r]);
    reached.add(r.id);
    r.path = `/${r.id}/`;
    r.depth = 0;
    const stack = [r];
    while (stack.length) {
      const p = stack.pop()!;
      for (const c of kids.get(p.id) ?? []) {
        if (c === r || reached.has(c.id)) continue;
        reached.add(c.id);
        c.path = `${p.path}${c.id}/`;
        c.depth = p.depth + 1;
        stack.push(c);
      }
    }
  }

  // Writes: the new rows (as top departments first, so every parent exists), then every changed
  // row in one UPDATE.
  if (creates.length) {
    await tx.$executeRaw`
      INSERT INTO "departments" ("id", "name", "code", "parent_id", "path", "depth", "wecom_id", "wecom_last_seen_at", "created_at", "updated_at")
      SELECT u.id, u.name, u.code, NULL, '/' || u.id || '/', 0, u.wecom_id, ${now}, ${now}, ${now}
      FROM unnest(${creates.map((r) => r.id)}::text[], ${creates.map((r) => r.name)}::text[], ${creates.map((r) => r.code)}::text[], ${creates.map((r) => r.wecom_id)}::int[]) AS u(id, name, code, wecom_id)`;
  }
  const changed = rows.filter((r) => {
    const b = before.get(r.id);
    return !b || b.name !== r.name || b.parent_id !== r.parent_id || b.path !== r.path || b.depth !== r.depth || b.wecom_id !== r.wecom_id;
  });
  for (const r of changed) {
    const b = before.get(r.id);
    if (!b) continue;
    if (b.parent_id !== r.parent_id) add(counts, "departments.moved");
    if (b.name !== r.name) add(counts, "departments.renamed");
  }
  if (changed.length) {
    // The version (the forms' optimistic check) moves when the name or the parent changed, as the
    // directory's own rename and move do; a path that follows a moved ancestor does not.
    const bump = changed.map((r) => {
      const b = before.get(r.id);
      return b ? b.name !== r.name || b.parent_id !== r.parent_id : false;
    });
    await tx.$executeRaw`
      UPDATE "departments" d
         SET "name" = u.name, "parent_id" = u.parent_id, "path" = u.path, "depth" = u.depth, "wecom_id" = u.wecom_id,
             "version" = d."version" + CASE WHEN u.bump THEN 1 ELSE 0 END, "updated_at" = ${now}
        FROM unnest(${changed.map((r) => r.id)}::text[], ${changed.map((r) => r.name)}::text[], ${changed.map((r) => r.parent_id)}::text[], ${changed.map((r) => r.path)}::text[],
                    ${changed.map((r) => r.depth)}::int[], ${changed.map((r) => r.wecom_id)}::int[], ${bump}::boolean[]) AS u(id, name, parent_id, path, depth, wecom_id, bump)
       WHERE d."id" = u.id`;
  }
  const seen = list.map((d) => d.id);
  await tx.$executeRaw`UPDATE "departments" SET "wecom_last_seen_at" = ${now}, "wecom_removed_at" = NULL WHERE "wecom_id" = ANY(${seen}::int[])`;
  const removed = await tx.$executeRaw`
    UPDATE "departments" SET "wecom_removed_at" = ${now}
     WHERE "wecom_id" IS NOT NULL AND NOT ("wecom_id" = ANY(${seen}::int[])) AND "wecom_removed_at" IS NULL`;
  add(counts, "departments.removed", removed);
  return { counts, warnings };
}

/** WeCom department id → the portal's department id, and the department for a member whose
 * WeCom departments are all unknown here (WeCom's top department, else the oldest top one). */
async function departmentMap(tx: Tx | SyncContext["prisma"]): Promise<{ map: Map<number, string>; fallback: string | null }> {
  const rows = await tx.department.findMany({ where: { wecomId: { not: null } }, select: { id: true, wecomId: true, parentId: true }, orderBy: { wecomId: "asc" } });
  const map = new Map(rows.map((r) => [r.wecomId!, r.id]));
  const linkedRoot = rows.find((r) => r.parentId === null);
  const fallback = linkedRoot?.id ?? (await tx.department.findFirst({ where: { parentId: null }, orderBy: { createdAt: "asc" }, select: { id: true } }))?.id ?? null;
  return { map, fallback };
}

// ---------------------------------------------------------------------------------------------
// Members

export type FetchedMembers = { members: T.UserGet[]; refused: string[]; missing: string[] };

/** user/get for each userid, `concurrency` at a time. 60011 (outside the app's range) and 60111
 * (gone since list_id) are reported per member; anything else stops the batch (after the calls in
 * flight settle) and is thrown. */
export async function fetchMembers(client: WeComClient, userids: string[], concurrency = USER_GET_CONCURRENCY): Promise<FetchedMembers> {
  const members: (T.UserGet | null)[] = new Array(userids.length).fill(null);
  const refused: string[] = [];
  const missing: string[] = [];
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (failure === null && next < userids.length) {
      const i = next++;
      try {
        members[i] = await client.userGet(userids[i]);
      } catch (e) {
        if (e instanceof WeComError && e.kind === "API" && e.errcode === 60011) refused.push(userids[i]);
        else if (e instanceof WeComError && e.kind === "API" && e.errcode === 60111) missing.push(userids[i]);
        else failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, userids.length)) }, worker));
  if (failure !== null) throw failure;
  return { members: members.filter((m): m is T.UserGet => m !== null), refused, missing };
}

type EmployeeRow = { id: string; wecom_userid: string | null; email: string; name: string; department_id: string; status: string; wecom_status: number | null; wecom_removed_at: Date | null };

/**
 * Writes one batch of members: matched employees updated, the rest created, in a few set-based
 * statements. `refused` (60011) are only marked seen. Returns counts and warnings.
 */
export async function applyMembers(
  tx: Tx,
  fetched: FetchedMembers,
  departments: { map: Map<number, string>; fallback: string | null },
  now: Date,
): Promise<{ counts: Counts; warnings: { code: string; params: Record<string, string | number> }[] }> {
  const counts: Counts = {};
  const warnings: { code: string; params: Record<string, string | number> }[] = [];
  // One member once (list_id names a member once per department they belong to).
  const members = [...new Map(fetched.members.filter((m) => typeof m.userid === "string" && m.userid).map((m) => [m.userid, m])).values()];
  const userids = members.map((m) => m.userid);
  const emails = members.map(memberEmail).filter((e): e is string => e !== null);
  const existing = await tx.$queryRaw<EmployeeRow[]>`
    SELECT "id", "wecom_userid", "email", "name", "department_id", "status"::text AS status, "wecom_status", "wecom_removed_at"
      FROM "employees" WHERE "wecom_userid" = ANY(${userids}::text[]) OR lower("email") = ANY(${emails}::text[])`;
  const byUserid = new Map<string, EmployeeRow>();
  const byEmail = new Map<string, EmployeeRow>();
  for (const e of existing) {
    if (e.wecom_userid) byUserid.set(e.wecom_userid, e);
    byEmail.set(e.email.toLowerCase(), e);
  }

  const today = shanghaiToday(now);
  const departmentOf = (m: T.UserGet, current: string | null): string | null => {
    for (const d of [m.main_department, ...(Array.isArray(m.department) ? m.department : [])]) {
      const id = typeof d === "number" ? departments.map.get(d) : undefined;
      if (id) return id;
    }
    return current ?? departments.fallback;
  };
  const statusOf = (m: T.UserGet): number | null => ([1, 2, 4, 5].includes(m.status) ? m.status : null);

  type Update = { id: string; userid: string; name: string; departmentId: string; wecomStatus: number | null; changed: boolean };
  const updates: Update[] = [];
  const creates: { userid: string; name: string; email: string | null; departmentId: string; wecomStatus: number | null }[] = [];
  const claimed = new Set<string>();
  for (const m of members) {
    let row = byUserid.get(m.userid) ?? null;
    const email = memberEmail(m);
    if (!row && email) {
      const candidate = byEmail.get(email);
      if (candidate && candidate.wecom_userid === null && !claimed.has(candidate.id)) {
        row = candidate;
        add(counts, "employees.matchedByEmail");
      }
    }
    const name = cleanName(m.name);
    const wecomStatus = statusOf(m);
    if (row) {
      claimed.add(row.id);
      const departmentId = departmentOf(m, row.department_id)!;
      const newName = name ?? row.name;
      const changed = newName !== row.name || departmentId !== row.department_id || row.wecom_userid !== m.userid;
      if (departmentId !== row.department_id) add(counts, "employees.moved");
      if (changed) add(counts, "employees.updated");
      if (wecomStatus === 5 && row.wecom_status !== 5) add(counts, "leavers.flagged");
      if (wecomStatus === 2 && row.wecom_status !== 2) add(counts, "members.disabled");
      updates.push({ id: row.id, userid: m.userid, name: newName, departmentId, wecomStatus, changed });
    } else {
      const departmentId = departmentOf(m, null);
      if (!departmentId) {
        warnings.push({ code: "directory.wecom.warnings.noDepartment", params: { userid: m.userid } });
        continue;
      }
      creates.push({ userid: m.userid, name: name ?? m.userid.slice(0, 100), email, departmentId, wecomStatus });
    }
  }

  if (updates.length) {
    await tx.$executeRaw`
      UPDATE "employees" e
         SET "wecom_userid" = u.userid, "name" = u.name, "department_id" = u.department_id, "wecom_status" = u.wecom_status,
             "wecom_last_seen_at" = ${now}, "wecom_removed_at" = NULL,
             "version" = e."version" + CASE WHEN u.changed THEN 1 ELSE 0 END,
             "updated_at" = CASE WHEN u.changed THEN ${now} ELSE e."updated_at" END
        FROM unnest(${updates.map((u) => u.id)}::text[], ${updates.map((u) => u.userid)}::text[], ${updates.map((u) => u.name)}::text[],
                    ${updates.map((u) => u.departmentId)}::text[], ${updates.map((u) => u.wecomStatus)}::int[], ${updates.map((u) => u.changed)}::boolean[])
             AS u(id, userid, name, department_id, wecom_status, changed)
       WHERE e."id" = u.id`;
  }

  if (creates.length) {
    // E-mail: WeCom's when present and nobody here has it, else a placeholder; a number from the
    // userid. Both unique case-insensitively, against the table and within the batch.
    const takenEmails = new Set(
      (await tx.$queryRaw<{ v: string }[]>`SELECT lower("email") AS v FROM "employees" WHERE lower("email") = ANY(${creates.map((c) => c.email).filter((e): e is string => e !== null)}::text[])`).map((r) => r.v),
    );
    const emailBases = creates.map((c) => {
      if (c.email && !takenEmails.has(c.email)) {
        takenEmails.add(c.email);
        return { base: c.email, real: true };
      }
      if (c.email) warnings.push({ code: "directory.wecom.warnings.emailInUse", params: { userid: c.userid } });
      return { base: placeholderEmail(c.userid), real: false };
    });
    const placeholders = emailBases.map((b, i) => (b.real ? -1 : i)).filter((i) => i >= 0);
    const emailsOut: string[] = emailBases.map((b) => b.base);
    const placeholderPicked = await uniqueValues(tx, "email", placeholders.map((i) => emailBases[i].base), emailSuffix);
    placeholders.forEach((i, k) => (emailsOut[i] = placeholderPicked[k]));
    const numbers = await uniqueValues(tx, "employee_no", creates.map((c) => employeeNoBase(c.userid)), dashSuffix);
    const ids = creates.map(() => newId());
    // A member who had already left when first seen is recorded as departed (hire and leave date:
    // the day the sync found them — WeCom gives neither); everyone else is ACTIVE.
    const statuses = creates.map((c) => (c.wecomStatus === 5 ? "DEPARTED" : "ACTIVE"));
    await tx.$executeRaw`
      INSERT INTO "employees" ("id", "employee_no", "name", "email", "department_id", "status", "wecom_userid", "wecom_status", "wecom_last_seen_at", "hire_date", "leave_date", "created_at", "updated_at")
      SELECT u.id, u.employee_no, u.name, u.email, u.department_id, u.status::"EmployeeStatus", u.userid, u.wecom_status, ${now}, ${today}::date,
             CASE WHEN u.status = 'DEPARTED' THEN ${today}::date END, ${now}, ${now}
        FROM unnest(${ids}::text[], ${numbers}::text[], ${creates.map((c) => c.name)}::text[], ${emailsOut}::text[], ${creates.map((c) => c.departmentId)}::text[],
                    ${statuses}::text[], ${creates.map((c) => c.userid)}::text[], ${creates.map((c) => c.wecomStatus)}::int[])
             AS u(id, employee_no, name, email, department_id, status, userid, wecom_status)`;
    await tx.$executeRaw`
      INSERT INTO "employee_roles" ("employee_id", "role", "created_at", "updated_at")
      SELECT u.id, 'EMPLOYEE'::"Role", ${now}, ${now} FROM unnest(${ids}::text[]) AS u(id)`;
    add(counts, "employees.created", creates.length);
  }

  if (fetched.refused.length) {
    await tx.$executeRaw`UPDATE "employees" SET "wecom_last_seen_at" = ${now}, "wecom_removed_at" = NULL WHERE "wecom_userid" = ANY(${fetched.refused}::text[])`;
    add(counts, "members.refused", fetched.refused.length);
  }
  return { counts, warnings };
}

// ---------------------------------------------------------------------------------------------
// Leavers

/** Employees WeCom no longer lists (after a complete pass that started at `startedAt`). */
async function markGone(tx: Tx, startedAt: Date, now: Date): Promise<number> {
  return tx.$executeRaw`
    UPDATE "employees" SET "wecom_removed_at" = ${now}
     WHERE "wecom_userid" IS NOT NULL AND "wecom_removed_at" IS NULL AND ("wecom_last_seen_at" IS NULL OR "wecom_last_seen_at" < ${startedAt})`;
}

export type Leaver = { id: string; name: string; employee_no: string };

/** ACTIVE employees WeCom reports as left or gone, after `after` (id order), without an OPEN
 * offboarding case — and without a case the sync opened that HR then cancelled (HR's call stands). */
async function leaverCandidates(tx: Tx | SyncContext["prisma"], after: string, limit: number, only?: string): Promise<Leaver[]> {
  return tx.$queryRaw<Leaver[]>`
    SELECT e."id", e."name", e."employee_no" FROM "employees" e
     WHERE e."status" = 'ACTIVE' AND e."wecom_userid" IS NOT NULL AND (e."wecom_status" = 5 OR e."wecom_removed_at" IS NOT NULL)
       AND e."id" > ${after} AND (${only ?? null}::text IS NULL OR e."id" = ${only ?? null})
       AND NOT EXISTS (SELECT 1 FROM "offboarding_cases" c WHERE c."employee_id" = e."id"
                         AND (c."status" = 'OPEN' OR (c."status" = 'CANCELLED' AND c."opened_by_id" = ${SYNC_CASE_OPENER})))
     ORDER BY e."id" LIMIT ${limit}`;
}

/** One leaver's offboarding case, opened by the system through the offboarding domain's openCase
 * (last working day: today, China time). Returns false when it was refused (a DomainError). */
export async function openLeaverCase(tx: Tx, leaver: Leaver, now: Date): Promise<{ opened: boolean; refusal?: string }> {
  // Under the employee's row lock inside openCase; re-checked here so a case opened by HR a moment
  // ago is not doubled.
  const open = await tx.offboardingCase.findFirst({ where: { employeeId: leaver.id, status: "OPEN" }, select: { id: true } });
  if (open) return { opened: false };
  try {
    await openCase({ actor: CASE_ACTOR, input: { employeeId: leaver.id, lastWorkingDay: shanghaiToday(now) }, tx, audit: (event) => writeAuditEvent(tx, DIRECTORY_SYNC_ACTOR, event) }, { now });
    return { opened: true };
  } catch (e) {
    if (e instanceof DomainError) return { opened: false, refusal: e.messageKey };
    throw e;
  }
}

/** The HR_TASK notifications for these leavers: one to every ACTIVE HR person, once each. */
export async function notifyHr(tx: Tx, leavers: Leaver[]): Promise<number> {
  if (leavers.length === 0) return 0;
  const hr = await tx.employee.findMany({ where: { status: "ACTIVE", roles: { some: { role: "HR" } } }, select: { id: true } });
  return sendNotifications(
    tx,
    leavers.flatMap((l) =>
      hr
        .filter((h) => h.id !== l.id)
        .map((h) => ({
          recipientId: h.id,
          kind: "wecom.leaver",
          messageKey: "directory.wecom.notify.leaver",
          params: { name: l.name, employeeNo: l.employee_no },
          href: `/offboarding/new?employee=${l.id}`,
          dedupeKey: `wecom.leaver:${l.id}:${h.id}`,
        })),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// The step

function parseCheckpoint(raw: unknown): Checkpoint | null {
  if (!raw || typeof raw !== "object") return null;
  const c = raw as Record<string, unknown>;
  if (c.phase === "members" && typeof c.cursor === "string" && Number.isInteger(c.offset)) return { phase: "members", cursor: c.cursor, offset: c.offset as number, seen: Number(c.seen) || 0 };
  if (c.phase === "leavers" && typeof c.after === "string") return { phase: "leavers", after: c.after };
  return null;
}

async function warnAll(ctx: SyncContext, warnings: { code: string; params: Record<string, string | number> }[]) {
  for (const w of warnings.slice(0, 20)) await ctx.warn(w.code, w.params);
  if (warnings.length > 20) await ctx.warn("directory.wecom.warnings.more", { count: warnings.length - 20 });
}

export const directoryStep: SyncStep = {
  name: "directory",
  async run(ctx) {
    const client = ctx.contacts;
    if (!client) {
      await ctx.warn("wecom.sync.warnings.noSecret.contacts");
      return;
    }
    // A write's counts are known once it has run: they go with its commit (progress as a function
    // of what was written), so a redone batch is never counted twice.
    const commitCounted = <R extends { counts: Counts }>(write: (tx: Tx) => Promise<R>, progress: { checkpoint: Checkpoint; rows?: number; total?: number }): Promise<R> =>
      ctx.commit(write, (written) => ({ ...progress, counts: written.counts }));
    let checkpoint = parseCheckpoint(ctx.checkpoint);

    // 1. Departments: WeCom's whole list, one commit.
    if (!checkpoint) {
      const { list, named } = await fetchDepartments(client);
      if (!named && list.length) await ctx.warn("directory.wecom.warnings.departmentNames", {});
      const now = ctx.now();
      const cp: Checkpoint = { phase: "members", cursor: "", offset: 0, seen: 0 };
      const result = await commitCounted((tx) => applyDepartments(tx, list, now), { checkpoint: cp });
      await warnAll(ctx, result.warnings);
      checkpoint = cp;
    }

    // 2. Members: a list_id page at a time, a batch of the page at a time.
    if (checkpoint.phase === "members") {
      const departments = await departmentMap(ctx.prisma);
      const linkedBefore = await ctx.prisma.employee.count({ where: { wecomUserid: { not: null } } });
      let { cursor, offset, seen } = checkpoint;
      for (;;) {
        let page: T.UserListId;
        try {
          page = await client.userListId({ cursor, limit: 10_000 });
        } catch (e) {
          // A resumed run's cursor WeCom no longer accepts: start the list again (the members this
          // run already wrote are skipped without a user/get).
          if (!(cursor && e instanceof WeComError && e.kind === "API")) throw e;
          ctx.log(`[wecom-sync] directory: list_id refused the saved cursor (errcode ${e.errcode}); listing again from the start`);
          ({ cursor, offset, seen } = { cursor: "", offset: 0, seen: 0 });
          continue;
        }
        const userids = [...new Set((page.dept_user ?? []).map((u) => u.userid).filter((u): u is string => typeof u === "string" && u.length > 0))];
        const next = page.next_cursor || "";
        const total = next ? Math.max(linkedBefore, seen + userids.length) : seen + userids.length;
        let position = Math.min(offset, userids.length);
        do {
          const batch = userids.slice(position, position + MEMBER_BATCH);
          const end = position + batch.length;
          const cp: Checkpoint = end < userids.length ? { phase: "members", cursor, offset: end, seen } : next ? { phase: "members", cursor: next, offset: 0, seen: seen + userids.length } : { phase: "leavers", after: "" };
          // Members this run already wrote (a callback meanwhile, a userid list_id repeats) need no user/get.
          const done = batch.length
            ? new Set((await ctx.prisma.employee.findMany({ where: { wecomUserid: { in: batch }, wecomLastSeenAt: { gte: ctx.startedAt } }, select: { wecomUserid: true } })).map((e) => e.wecomUserid!))
            : new Set<string>();
          const fetched = await fetchMembers(client, batch.filter((u) => !done.has(u)));
          const now = ctx.now();
          const result = await commitCounted(
            async (tx) => {
              const r = await applyMembers(tx, fetched, departments, now);
              // After a complete pass, whoever list_id did not return is gone.
              if (cp.phase === "leavers") add(r.counts, "leavers.flagged", await markGone(tx, ctx.startedAt, now));
              return r;
            },
            { checkpoint: cp, rows: batch.length, total },
          );
          for (const u of fetched.refused) result.warnings.push({ code: "directory.wecom.warnings.memberRefused", params: { userid: u } });
          await warnAll(ctx, result.warnings);
          position = end;
        } while (position < userids.length);
        if (!next) break;
        ({ cursor, offset, seen } = { cursor: next, offset: 0, seen: seen + userids.length });
      }
      checkpoint = { phase: "leavers", after: "" };
    }

    // 3. Leavers: a case each (OPEN_CASE), or HR's notifications (HR_TASK).
    let after = checkpoint.after;
    for (;;) {
      const batch = await leaverCandidates(ctx.prisma, after, LEAVER_BATCH);
      if (batch.length === 0) break;
      if (ctx.settings.leaverAction === "HR_TASK") {
        after = batch[batch.length - 1].id;
        await commitCounted(async (tx) => ({ counts: { "hrTasks.sent": await notifyHr(tx, batch) } }), { checkpoint: { phase: "leavers", after } });
        continue;
      }
      for (const leaver of batch) {
        const now = ctx.now();
        after = leaver.id;
        const outcome = await commitCounted(async (tx) => {
          const r = await openLeaverCase(tx, leaver, now);
          return { ...r, counts: { "offboarding.opened": r.opened ? 1 : 0 } };
        }, { checkpoint: { phase: "leavers", after } });
        if (outcome.refusal) await ctx.warn("directory.wecom.warnings.caseRefused", { name: leaver.name, employeeNo: leaver.employee_no });
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Callbacks (change_contact)

/** Applies one leaver's action (the callback's path: one employee). */
async function leaverActionFor(tx: Tx, settings: SyncSettings, employeeId: string, now: Date, counts: Counts): Promise<void> {
  const [leaver] = await leaverCandidates(tx, "", 1, employeeId);
  if (!leaver) return;
  if (settings.leaverAction === "HR_TASK") add(counts, "hrTasks.sent", await notifyHr(tx, [leaver]));
  else if ((await openLeaverCase(tx, leaver, now)).opened) add(counts, "offboarding.opened");
}

/**
 * change_contact events: create_user / update_user (user/get, then the same upsert as the sync),
 * delete_user (the member is gone from WeCom: marked, and the leaver's action), and the party
 * events (WeCom's department list fetched again and applied as the sync does). Idempotent: a
 * repeated event writes the same values and never opens a second case. One audit event per
 * applied event.
 */
export const applyContactEvent: EventHandler = async (ctx, fields) => {
  if (fields.Event !== "change_contact") return { applied: false };
  const client = ctx.contacts;
  const change = fields.ChangeType ?? "";
  const now = ctx.now();
  const audit = (tx: Tx, entityType: string, entityId: string, counts: Counts) =>
    writeAuditEvent(tx, DIRECTORY_SYNC_ACTOR, { action: "wecom.directory.event", entityType, entityId, after: { changeType: change, counts } });

  if (change === "create_party" || change === "update_party" || change === "delete_party") {
    if (!client) return { applied: false };
    const { list } = await fetchDepartments(client);
    await ctx.prisma.$transaction(async (tx) => {
      const { counts } = await applyDepartments(tx, list, now);
      await audit(tx, "Department", String(fields.Id ?? ""), counts);
    });
    return { applied: true };
  }

  const userid = (fields.UserID ?? "").trim();
  if (!userid) return { applied: false };

  if (change === "delete_user") {
    return ctx.prisma.$transaction(async (tx) => {
      const counts: Counts = {};
      const row = await tx.employee.findUnique({ where: { wecomUserid: userid }, select: { id: true, wecomRemovedAt: true } });
      if (!row) return { applied: false };
      if (!row.wecomRemovedAt) {
        await tx.employee.update({ where: { id: row.id }, data: { wecomRemovedAt: now } });
        add(counts, "leavers.flagged");
      }
      await leaverActionFor(tx, ctx.settings, row.id, now, counts);
      await audit(tx, "Employee", row.id, counts);
      return { applied: true };
    });
  }

  if (change === "create_user" || change === "update_user") {
    if (!client) return { applied: false };
    // A changed userid (update_user with NewUserID) moves the link first.
    const newUserid = (fields.NewUserID ?? "").trim();
    const current = newUserid && newUserid !== userid ? newUserid : userid;
    let fetched: FetchedMembers;
    try {
      fetched = await fetchMembers(client, [current], 1);
    } catch (e) {
      ctx.log(`[wecom] ${change} ${current}: ${(e as Error)?.message ?? String(e)}`);
      throw e;
    }
    if (fetched.missing.length) return { applied: false };
    return ctx.prisma.$transaction(async (tx) => {
      if (current !== userid) await tx.employee.updateMany({ where: { wecomUserid: userid }, data: { wecomUserid: current } });
      const departments = await departmentMap(tx);
      const { counts } = await applyMembers(tx, fetched, departments, now);
      const row = await tx.employee.findUnique({ where: { wecomUserid: current }, select: { id: true } });
      if (row) await leaverActionFor(tx, ctx.settings, row.id, now, counts);
      await audit(tx, "Employee", row?.id ?? current, counts);
      return { applied: fetched.members.length > 0 };
    });
  }
  return { applied: false };
};
