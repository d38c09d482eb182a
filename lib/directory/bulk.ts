import "server-only";
import type { z } from "zod";
import type { RoleCode } from "@/lib/auth/permissions";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import type { Actor } from "@/lib/server/actor";
import type { AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/db";
import { DomainError, forbidden, stale } from "@/lib/server/errors";
import { syncTraining } from "@/lib/training/assign";
import { employeeScope } from "./queries";
import { employeeAuditSelect, employeeAuditView } from "./commands";
import { checkEmployeeCreate, checkEmployeeUpdate, concernsTraining, uniqueViolation, type NamedManager } from "./rules";
import { employeeCreateSchema, employeeUpdateSchema } from "./schemas";

// The directory's createEmployee/updateEmployee for many rows at once (the API's bulk upsert and
// the HR file import, docs/api.md): the same rules, refusals (the same `directory.errors.*` keys,
// per row) and audit events (one employee.create / employee.update a row, training.sync where the
// training hook assigned something), but set-based. Whatever the number of rows, it costs:
// 4–5 reads (existing rows by number, whose e-mails are taken, the managers named, the
// departments), one INSERT of the new employees and one of their roles (unnest), one
// UPDATE … FROM unnest of the changed ones (each checked against the version it was read at),
// the training sync for all of them (one statement per active course and policy version, not per
// person) and the audit events in a few multi-row inserts. The rules are not copied here: every
// row goes through the zod schemas and rules.ts's checkEmployeeCreate/checkEmployeeUpdate, the
// functions createEmployee/updateEmployee call, with the facts read above instead of theirs
// (tests/directory/rules-parity.test.ts holds the two paths to the same refusals).

export type BatchRow = {
  employeeNo: string;
  name: string;
  email: string;
  departmentId: string;
  managerNo?: string;
  /** YYYY-MM-DD. */
  hireDate: string;
  /** For a new employee (default EMPLOYEE); an existing one's roles are not touched. */
  roles?: RoleCode[];
};

export type BatchOutcome = { index: number; id: string; result: "created" | "updated" | "unchanged"; status: string };
export type BatchRefusal = { index: number; error: DomainError } | { index: number; issues: z.ZodError };

type AuditMany = (events: AuditInput[]) => Promise<void>;

const isoDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
const lower = (s: string) => s.toLowerCase();

type AuditRow = { id: string; employeeNo: string; name: string; email: string; departmentId: string; managerId: string | null; status: string; hireDate: Date; leaveDate: Date | null; version: number };

export async function upsertEmployeesBatch(
  { actor, tx, auditMany }: { actor: Actor; tx: Tx; auditMany: AuditMany },
  rows: BatchRow[],
  now = new Date(),
): Promise<{ ok: true; rows: BatchOutcome[] } | { ok: false; refusals: BatchRefusal[] }> {
  if (!actor.permissions.has("directory.manage")) throw forbidden();
  const scope = employeeScope(actor);
  const refusals: BatchRefusal[] = [];
  const refuse = (index: number, error: DomainError) => refusals.push({ index, error });

  // 1. Reads: whatever the number of rows.
  const numbers = [...new Set(rows.map((r) => r.employeeNo))];
  const current = await tx.employee.findMany({
    where: { AND: [scope, { employeeNo: { in: numbers, mode: "insensitive" } }] },
    select: {
      id: true,
      ...employeeAuditSelect,
      manager: { select: { employeeNo: true } },
      roles: { select: { role: true } },
    },
  });
  const currentByNo = new Map(current.map((e) => [lower(e.employeeNo), e]));
  // A number taken by someone outside the actor's scope: the row is refused (as createEmployee's check).
  const hidden = actor.permissions.has("directory.read:all")
    ? new Set<string>()
    : new Set(
        (await tx.employee.findMany({ where: { employeeNo: { in: numbers, mode: "insensitive" } }, select: { employeeNo: true } }))
          .map((e) => lower(e.employeeNo))
          .filter((no) => !currentByNo.has(no)),
      );
  // Who holds each e-mail (case-insensitive: two records may differ only in case).
  const emailOwners = new Map<string, string[]>();
  for (const e of await tx.employee.findMany({ where: { email: { in: [...new Set(rows.map((r) => r.email))], mode: "insensitive" } }, select: { id: true, email: true } })) {
    const owners = emailOwners.get(lower(e.email)) ?? [];
    owners.push(e.id);
    emailOwners.set(lower(e.email), owners);
  }
  const emailTaken = (email: string, exceptId?: string) => (emailOwners.get(lower(email)) ?? []).some((id) => id !== exceptId);
  const managerNos = [...new Set(rows.flatMap((r) => (r.managerNo ? [r.managerNo] : [])))];
  const managers = new Map(
    managerNos.length === 0
      ? []
      : (await tx.employee.findMany({ where: { AND: [scope, { employeeNo: { in: managerNos, mode: "insensitive" } }] }, select: { id: true, employeeNo: true, status: true } })).map((m) => [lower(m.employeeNo), m]),
  );
  const departments = new Set((await tx.department.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.departmentId))] } }, select: { id: true } })).map((d) => d.id));

  // New rows get their ids first, so a manager may be any new row of the batch, above or below.
  const newIds = new Map<string, string>();
  for (const r of rows) if (!currentByNo.has(lower(r.employeeNo)) && !hidden.has(lower(r.employeeNo))) newIds.set(lower(r.employeeNo), newId());

  /** The employee a manager number names: a new row of the batch (created ACTIVE), or one in scope. */
  const named = (no: string | undefined): NamedManager => {
    if (!no) return null;
    const fresh = newIds.get(lower(no));
    if (fresh) return { id: fresh, status: "ACTIVE" };
    return managers.get(lower(no)) ?? null;
  };

  // 2. Each row against rules.ts's rules (the same as createEmployee/updateEmployee), in memory.
  type Insert = { index: number; id: string; employeeNo: string; name: string; email: string; departmentId: string; managerId: string | null; hireDate: Date; roles: RoleCode[] };
  type Update = { index: number; id: string; version: number; name: string; email: string; departmentId: string; managerId: string | null; hireDate: Date; before: (typeof current)[number] };
  const inserts: Insert[] = [];
  const updates: Update[] = [];
  const outcomes: BatchOutcome[] = [];
  rows.forEach((r, index) => {
    const no = lower(r.employeeNo);
    const cur = currentByNo.get(no);
    if (!cur) {
      // A number taken by someone outside the actor's scope has no new id: createEmployee's refusal.
      const id = newIds.get(no) ?? newId();
      const parsed = employeeCreateSchema.safeParse({ employeeNo: r.employeeNo, name: r.name, email: r.email, departmentId: r.departmentId, managerNo: r.managerNo, hireDate: r.hireDate, roles: r.roles ?? ["EMPLOYEE"] });
      if (!parsed.success) return refusals.push({ index, issues: parsed.error });
      const input = parsed.data;
      const verdict = checkEmployeeCreate(actor, id, input, {
        employeeNoTaken: hidden.has(no),
        emailTaken: emailTaken(input.email),
        departmentExists: departments.has(input.departmentId),
        manager: named(input.managerNo),
      });
      if (verdict instanceof DomainError) return refuse(index, verdict);
      inserts.push({ index, id, employeeNo: input.employeeNo, name: input.name, email: input.email, departmentId: input.departmentId, managerId: verdict.managerId, hireDate: input.hireDate, roles: input.roles });
      outcomes.push({ index, id, result: "created", status: "ACTIVE" });
      return;
    }
    const wantManager = r.managerNo || undefined;
    const same =
      cur.name === r.name &&
      cur.email === r.email &&
      cur.departmentId === r.departmentId &&
      isoDay(cur.hireDate) === r.hireDate &&
      (cur.manager?.employeeNo ?? undefined)?.toLowerCase() === wantManager?.toLowerCase();
    if (same) {
      outcomes.push({ index, id: cur.id, result: "unchanged", status: cur.status });
      return;
    }
    const parsed = employeeUpdateSchema.safeParse({ id: cur.id, version: cur.version, name: r.name, email: r.email, departmentId: r.departmentId, managerNo: wantManager, status: cur.status, hireDate: r.hireDate, leaveDate: isoDay(cur.leaveDate) ?? undefined });
    if (!parsed.success) return refusals.push({ index, issues: parsed.error });
    const input = parsed.data;
    const verdict = checkEmployeeUpdate(
      actor,
      { id: cur.id, employeeNo: cur.employeeNo, managerId: cur.managerId, managerNo: cur.manager?.employeeNo, roles: cur.roles.map((x) => x.role) },
      input,
      { emailTaken: emailTaken(input.email, cur.id), departmentExists: departments.has(input.departmentId), manager: named(input.managerNo) },
    );
    if (verdict instanceof DomainError) return refuse(index, verdict);
    updates.push({ index, id: cur.id, version: cur.version, name: input.name, email: input.email, departmentId: input.departmentId, managerId: verdict.managerId, hireDate: input.hireDate, before: cur });
    outcomes.push({ index, id: cur.id, result: "updated", status: cur.status });
  });
  if (refusals.length > 0) return { ok: false, refusals };

  // 3. Writes: one statement each, whatever the number of rows.
  const events: AuditInput[] = [];
  const returning = Prisma.sql`"id", "employee_no" AS "employeeNo", "name", "email", "department_id" AS "departmentId", "manager_id" AS "managerId", "status"::text AS "status", "hire_date" AS "hireDate", "leave_date" AS "leaveDate", "version"`;
  try {
    if (inserts.length > 0) {
      const created = await tx.$queryRaw<AuditRow[]>`
        INSERT INTO "employees" ("id", "employee_no", "name", "email", "department_id", "manager_id", "hire_date", "status", "created_at", "updated_at")
        SELECT v."id", v."employee_no", v."name", v."email", v."department_id", v."manager_id", v."hire_date", 'ACTIVE'::"EmployeeStatus", ${now}, ${now}
          FROM unnest(${inserts.map((x) => x.id)}::text[], ${inserts.map((x) => x.employeeNo)}::text[], ${inserts.map((x) => x.name)}::text[], ${inserts.map((x) => x.email)}::text[],
                      ${inserts.map((x) => x.departmentId)}::text[], ${inserts.map((x) => x.managerId)}::text[], ${inserts.map((x) => isoDay(x.hireDate))}::date[])
               AS v("id", "employee_no", "name", "email", "department_id", "manager_id", "hire_date")
        RETURNING ${returning}`;
      const pairs = inserts.flatMap((x) => x.roles.map((role) => [x.id, role] as const));
      await tx.$executeRaw`
        INSERT INTO "employee_roles" ("employee_id", "role", "created_at", "updated_at")
        SELECT v."employee_id", v."role"::"Role", ${now}, ${now} FROM unnest(${pairs.map((p) => p[0])}::text[], ${pairs.map((p) => p[1])}::text[]) AS v("employee_id", "role")`;
      const byId = new Map(created.map((e) => [e.id, e]));
      for (const x of inserts) {
        events.push({ action: "employee.create", entityType: "Employee", entityId: x.id, before: null, after: { ...employeeAuditView(byId.get(x.id)!), roles: x.roles, initialPassword: false } });
      }
    }
    if (updates.length > 0) {
      const changed = await tx.$queryRaw<AuditRow[]>`
        UPDATE "employees" e
           SET "name" = v."name", "email" = v."email", "department_id" = v."department_id", "manager_id" = v."manager_id", "hire_date" = v."hire_date",
               "version" = e."version" + 1, "updated_at" = ${now}
          FROM unnest(${updates.map((x) => x.id)}::text[], ${updates.map((x) => x.version)}::int[], ${updates.map((x) => x.name)}::text[], ${updates.map((x) => x.email)}::text[],
                      ${updates.map((x) => x.departmentId)}::text[], ${updates.map((x) => x.managerId)}::text[], ${updates.map((x) => isoDay(x.hireDate))}::date[])
               AS v("id", "version", "name", "email", "department_id", "manager_id", "hire_date")
         WHERE e."id" = v."id" AND e."version" = v."version"
        RETURNING ${Prisma.sql`e."id", e."employee_no" AS "employeeNo", e."name", e."email", e."department_id" AS "departmentId", e."manager_id" AS "managerId", e."status"::text AS "status", e."hire_date" AS "hireDate", e."leave_date" AS "leaveDate", e."version"`}`;
      // A row changed since it was read (a concurrent edit): the whole batch is refused, as one stale row.
      if (changed.length !== updates.length) throw stale();
      const byId = new Map(changed.map((e) => [e.id, e]));
      for (const x of updates) events.push({ action: "employee.update", entityType: "Employee", entityId: x.id, before: employeeAuditView(x.before), after: employeeAuditView(byId.get(x.id)!) });
    }
  } catch (error) {
    // A unique violation on no known index: a concurrent write the reads did not see.
    const text = `${(error as { code?: unknown })?.code ?? ""} ${(error as Error)?.message ?? ""}`;
    throw uniqueViolation(error) ?? (/P2002|23505|unique/i.test(text) ? new DomainError("CONFLICT", "errors.stale") : error);
  }

  // 4. Training (SPEC §9), as trainingAfterEmployeeChange for each new hire and each move or new
  // hire date: one sync for all of them, then who got what, for their training.sync events.
  const touched = [...inserts.map((x) => x.id), ...updates.filter((x) => concernsTraining(x.before, { departmentId: x.departmentId, status: x.before.status, hireDate: x.hireDate })).map((x) => x.id)];
  if (touched.length > 0) {
    const synced = await syncTraining(tx, now, touched);
    if (synced.assigned + synced.asked > 0) {
      const counts = await tx.$queryRaw<{ employeeId: string; assigned: number; asked: number }[]>`
        SELECT t."employee_id" AS "employeeId", sum(t."assigned")::int AS "assigned", sum(t."asked")::int AS "asked" FROM (
          SELECT "employee_id", count(*) AS "assigned", 0 AS "asked" FROM "training_assignments" WHERE "employee_id" = ANY(${touched}::text[]) AND "assigned_at" = ${now} AND "source" = 'AUDIENCE' GROUP BY 1
          UNION ALL
          SELECT "employee_id", 0, count(*) FROM "policy_acknowledgements" WHERE "employee_id" = ANY(${touched}::text[]) AND "asked_at" = ${now} GROUP BY 1
        ) t GROUP BY 1`;
      const byId = new Map(counts.map((c) => [c.employeeId, c]));
      for (const id of touched) {
        const c = byId.get(id);
        if (c && c.assigned + c.asked > 0) events.push({ action: "training.sync", entityType: "Employee", entityId: id, after: { assigned: c.assigned, asked: c.asked } });
      }
    }
  }
  if (events.length > 0) await auditMany(events);
  outcomes.sort((a, b) => a.index - b.index);
  return { ok: true, rows: outcomes };
}
