import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { upsertEmployeesBatch, type BatchRow } from "@/lib/directory/bulk";
import { createEmployee, updateEmployee } from "@/lib/directory/commands";
import { departmentScope, employeeWhere, findEmployee } from "@/lib/directory/queries";
import { EMPLOYEE_STATUSES, employeeCreateSchema, employeeUpdateSchema, WECOM_FILTERS } from "@/lib/directory/schemas";
import type { Prisma } from "@/lib/generated/prisma/client";
import { openCase } from "@/lib/offboarding/commands";
import { shanghaiToday } from "@/lib/offboarding/time";
import { writeAuditEvents } from "@/lib/server/audit-write";
import { DomainError } from "@/lib/server/errors";
import type { Tx } from "@/lib/server/prisma-client";
import type { ApiCaller } from "@/lib/api-tokens/tokens";
import { cursorParam, defineApi, domainParse, fieldErrors, idParam, iso, isoDateTime, isoDay, limitParam, listOf, type ApiContext } from "../define";
import { ApiProblem, type FieldError } from "../problem";

// Employees and departments (docs/api.md): reads through the directory's own scope and filters,
// writes through its commands (createEmployee, updateEmployee) and a leaver through the
// offboarding domain's openCase, as a leaver synced from WeCom.

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe("A calendar date, YYYY-MM-DD.");

export const employeeOut = z.object({
  id: z.string(),
  employeeNo: z.string(),
  name: z.string(),
  email: z.string(),
  status: z.enum(EMPLOYEE_STATUSES),
  hireDate: dateString,
  leaveDate: dateString.nullable(),
  department: z.object({ id: z.string(), name: z.string(), code: z.string() }),
  manager: z.object({ id: z.string(), employeeNo: z.string(), name: z.string() }).nullable(),
  roles: z.array(z.enum(ROLES)),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

const select = {
  id: true,
  employeeNo: true,
  name: true,
  email: true,
  status: true,
  hireDate: true,
  leaveDate: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  department: { select: { id: true, name: true, code: true } },
  manager: { select: { id: true, employeeNo: true, name: true } },
  roles: { select: { role: true }, orderBy: { role: "asc" } },
} satisfies Prisma.EmployeeSelect;

type Row = Prisma.EmployeeGetPayload<{ select: typeof select }>;
const toOut = (e: Row): z.output<typeof employeeOut> => ({
  id: e.id,
  employeeNo: e.employeeNo,
  name: e.name,
  email: e.email,
  status: e.status as z.output<typeof employeeOut>["status"],
  hireDate: isoDay(e.hireDate)!,
  leaveDate: isoDay(e.leaveDate),
  department: e.department,
  manager: e.manager,
  roles: e.roles.map((r) => r.role as (typeof ROLES)[number]),
  version: e.version,
  createdAt: iso(e.createdAt)!,
  updatedAt: iso(e.updatedAt)!,
});

/** A write naming a department outside the token's department scope is refused. */
async function assertInTokenDepartment(tx: Tx, caller: ApiCaller, departmentId: string, pointer: string) {
  if (!caller.token.departmentPath) return;
  const d = await tx.department.findUnique({ where: { id: departmentId }, select: { path: true } });
  if (d && !d.path.startsWith(caller.token.departmentPath)) throw new ApiProblem("outside_department", undefined, [{ pointer, code: "outside_department", detail: "outside the token's department" }]);
}

async function readEmployee(tx: Tx, id: string) {
  return toOut(await tx.employee.findUniqueOrThrow({ where: { id }, select }));
}

export const listEmployeesOp = defineApi({
  method: "GET",
  path: "/employees",
  operationId: "listEmployees",
  summary: "List employees (the directory's scope and filters), oldest first.",
  tag: "Employees",
  scope: "employees:read",
  paginated: true,
  query: z.strictObject({
    limit: limitParam(),
    cursor: cursorParam,
    q: z.string().max(100).optional().describe("Part of a name, employee number or e-mail."),
    department: z.string().max(64).optional().describe("A department id; with its sub-departments."),
    role: z.enum(ROLES).optional(),
    status: z.enum(EMPLOYEE_STATUSES).optional(),
    wecom: z.enum(WECOM_FILTERS).optional(),
  }),
  response: listOf(employeeOut),
  async run({ actor, query, tx, after, page }) {
    const where = await employeeWhere(actor, { q: query.q ?? "", department: query.department, role: query.role, status: query.status, wecom: query.wecom }, tx);
    if (!where) return { body: { data: [], next_cursor: null } };
    const pos = after();
    const keyset: Prisma.EmployeeWhereInput = pos
      ? { OR: [{ createdAt: { gt: new Date(String(pos[0])) } }, { createdAt: new Date(String(pos[0])), id: { gt: String(pos[1]) } }] }
      : {};
    const rows = await tx.employee.findMany({ where: { AND: [where, keyset] }, select, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: query.limit + 1 });
    return { body: page(rows.map(toOut), query.limit, (e) => [e.createdAt, e.id]) };
  },
});

export const getEmployeeOp = defineApi({
  method: "GET",
  path: "/employees/{id}",
  operationId: "getEmployee",
  summary: "One employee, with its ETag (the version) for If-Match.",
  tag: "Employees",
  scope: "employees:read",
  params: idParam,
  etag: "returns",
  response: employeeOut,
  async run({ actor, params, tx }) {
    const found = await findEmployee(actor, params.id, tx);
    if (!found) throw new ApiProblem("not_found");
    const e = await readEmployee(tx, found.id);
    return { body: e, version: e.version };
  },
});

const employeeFields = {
  employeeNo: employeeCreateSchema.shape.employeeNo,
  name: employeeCreateSchema.shape.name,
  email: employeeCreateSchema.shape.email,
  departmentId: employeeCreateSchema.shape.departmentId,
  managerNo: employeeCreateSchema.shape.managerNo,
  hireDate: employeeCreateSchema.shape.hireDate,
};

export const createEmployeeOp = defineApi({
  method: "POST",
  path: "/employees",
  operationId: "createEmployee",
  summary: "Create an employee (HR integration); the same rules as the directory's form.",
  tag: "Employees",
  scope: "employees:write",
  status: 201,
  body: z.strictObject({ ...employeeFields, roles: z.array(z.enum(ROLES)).min(1).max(12).default(["EMPLOYEE"]) }),
  response: employeeOut,
  async run({ actor, caller, body, tx, audit, t }) {
    await assertInTokenDepartment(tx, caller, body.departmentId, "/departmentId");
    const input = await domainParse(employeeCreateSchema, { ...body, hireDate: isoDay(body.hireDate) }, t);
    const { id } = await createEmployee({ actor, input, tx, audit });
    const e = await readEmployee(tx, id);
    return { body: e, version: e.version, location: `/api/v1/employees/${id}` };
  },
});

const { employeeNo: _no, ...updatable } = employeeFields;
void _no;

export const updateEmployeeOp = defineApi({
  method: "PATCH",
  path: "/employees/{id}",
  operationId: "updateEmployee",
  summary: "Change an employee (If-Match: the ETag of GET /employees/{id}); a leaver goes through POST /employees/{id}/leave.",
  tag: "Employees",
  scope: "employees:write",
  params: idParam,
  etag: "requires",
  body: z.strictObject({ name: updatable.name.optional(), email: updatable.email.optional(), departmentId: updatable.departmentId.optional(), managerNo: z.string().max(32).nullable().optional(), hireDate: updatable.hireDate.optional() }),
  response: employeeOut,
  async run({ actor, caller, params, body, tx, audit, ifMatch, t }) {
    const current = await findEmployee(actor, params.id, tx);
    if (!current) throw new ApiProblem("not_found");
    if (body.departmentId) await assertInTokenDepartment(tx, caller, body.departmentId, "/departmentId");
    const merged = {
      id: current.id,
      version: ifMatch,
      name: body.name ?? current.name,
      email: body.email ?? current.email,
      departmentId: body.departmentId ?? current.departmentId,
      managerNo: body.managerNo === null ? undefined : (body.managerNo ?? current.manager?.employeeNo),
      status: current.status,
      hireDate: isoDay(body.hireDate ?? current.hireDate),
      leaveDate: isoDay(current.leaveDate) ?? undefined,
    };
    const input = await domainParse(employeeUpdateSchema, merged, t);
    await updateEmployee({ actor, input, tx, audit });
    const e = await readEmployee(tx, current.id);
    return { body: e, version: e.version };
  },
});

export const leaveEmployeeOp = defineApi({
  method: "POST",
  path: "/employees/{id}/leave",
  operationId: "leaveEmployee",
  summary: "A leaver: opens the offboarding case (the offboarding domain's openCase, as for a leaver synced from WeCom).",
  tag: "Employees",
  scope: "employees:write",
  params: idParam,
  status: 201,
  body: z.strictObject({ lastWorkingDay: dateString.optional().describe("Default: today (China time); never in the past.") }),
  response: z.object({ caseId: z.string(), employee: employeeOut }),
  async run({ actor, params, body, tx, audit, t }) {
    const current = await findEmployee(actor, params.id, tx);
    if (!current) throw new ApiProblem("not_found");
    const lastWorkingDay = body.lastWorkingDay ? (await domainParse(employeeCreateSchema.shape.hireDate, body.lastWorkingDay, t, "/lastWorkingDay")) : shanghaiToday(new Date());
    const { id } = await openCase({ actor, input: { employeeId: current.id, lastWorkingDay }, tx, audit });
    return { body: { caseId: id, employee: await readEmployee(tx, current.id) }, location: `/api/v1/offboarding-cases/${id}` };
  },
});

// ---------------------------------------------------------------------------------------------
// Bulk upsert: up to 10,000 rows in one transaction, through the directory's set-based batch of
// createEmployee/updateEmployee (and openCase for a leaver); any row refused → nothing written,
// 422 with every row's errors.

export const BULK_MAX = 10_000;

export const bulkRow = z.strictObject({
  employeeNo: employeeFields.employeeNo,
  name: employeeFields.name,
  email: employeeFields.email,
  departmentCode: z.string().min(1).max(32).describe("The department's code (the directory's 部门编码)."),
  managerNo: z.string().max(32).optional(),
  hireDate: employeeFields.hireDate,
  roles: z.array(z.enum(ROLES)).min(1).max(12).optional().describe("For a new employee (default EMPLOYEE); ignored for an existing one."),
  leaveDate: dateString.optional().describe("Given for a leaver: opens the offboarding case."),
});
export type BulkRow = z.output<typeof bulkRow>;

export const bulkResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  leavers: z.number().int(),
  rows: z.array(z.object({ index: z.number().int(), employeeNo: z.string(), id: z.string(), result: z.enum(["created", "updated", "unchanged"]), offboardingCaseId: z.string().nullable() })),
});
export type BulkResult = z.output<typeof bulkResult>;

export class BulkRefused extends Error {
  constructor(readonly errors: FieldError[]) {
    super("bulk upsert refused");
  }
}

/** The upsert itself, shared with the CSV/XLSX import: the directory's set-based batch
 * (lib/directory/bulk.ts: a handful of statements whatever the number of rows), then openCase for
 * each leaver. Throws BulkRefused with every row's errors; nothing is written then. */
export async function bulkUpsertEmployees(ctx: Pick<ApiContext<unknown, unknown, unknown>, "actor" | "tx" | "audit" | "t"> & { departmentPath: string | null }, rows: BulkRow[], prefix = "/employees"): Promise<BulkResult> {
  const { actor, tx, audit, t } = ctx;
  const errors: FieldError[] = [];
  const fail = (i: number, field: string, code: string, detail: string) => errors.push({ pointer: `${prefix}/${i}${field ? `/${field}` : ""}`, code, detail });

  const seenNo = new Map<string, number>();
  const seenEmail = new Map<string, number>();
  rows.forEach((r, i) => {
    const no = r.employeeNo.toLowerCase();
    if (seenNo.has(no)) fail(i, "employeeNo", "duplicate", `same as row ${seenNo.get(no)}`);
    else seenNo.set(no, i);
    const email = r.email.toLowerCase();
    if (seenEmail.has(email)) fail(i, "email", "duplicate", `same as row ${seenEmail.get(email)}`);
    else seenEmail.set(email, i);
  });
  const departments = await tx.department.findMany({ where: departmentScope(actor), select: { id: true, code: true, path: true } });
  const deptByCode = new Map(departments.map((d) => [d.code.toLowerCase(), d]));
  const batch: BatchRow[] = [];
  rows.forEach((r, i) => {
    const dept = deptByCode.get(r.departmentCode.toLowerCase());
    if (!dept) return fail(i, "departmentCode", "not_found", t("directory.errors.departmentNotFound"));
    if (ctx.departmentPath && !dept.path.startsWith(ctx.departmentPath)) return fail(i, "departmentCode", "outside_department", "outside the token's department");
    batch.push({ employeeNo: r.employeeNo, name: r.name, email: r.email, departmentId: dept.id, managerNo: r.managerNo || undefined, hireDate: isoDay(r.hireDate)!, roles: r.roles });
  });
  if (errors.length > 0) throw new BulkRefused(errors);

  const done = await upsertEmployeesBatch({ actor, tx, auditMany: (events) => writeAuditEvents(tx, { id: actor.id, label: actor.email, ip: actor.ip }, events) }, batch);
  if (!done.ok) {
    for (const refusal of done.refusals) {
      const i = refusal.index;
      if ("issues" in refusal) errors.push(...fieldErrors(refusal.issues, t, `${prefix}/${i}`).map((e) => ({ ...e, pointer: e.pointer.replace(`${prefix}/${i}/departmentId`, `${prefix}/${i}/departmentCode`) })));
      else fail(i, (refusal.error.options.field ?? "").replace("departmentId", "departmentCode"), refusal.error.code.toLowerCase(), t(refusal.error.messageKey, refusal.error.options.params));
    }
    throw new BulkRefused(errors);
  }

  // Leavers: each through the offboarding domain's openCase, as a leaver synced from WeCom.
  const out: BulkResult = { created: 0, updated: 0, unchanged: 0, leavers: 0, rows: [] };
  const today = shanghaiToday(new Date());
  for (const o of done.rows) {
    const r = rows[o.index];
    let caseId: string | null = null;
    if (r.leaveDate && o.status === "ACTIVE") {
      const day = new Date(`${r.leaveDate}T00:00:00.000Z`);
      try {
        caseId = (await openCase({ actor, input: { employeeId: o.id, lastWorkingDay: day < today ? today : day }, tx, audit })).id;
        out.leavers++;
      } catch (error) {
        if (error instanceof DomainError) fail(o.index, error.options.field ?? "leaveDate", error.code.toLowerCase(), t(error.messageKey, error.options.params));
        else throw error;
      }
    }
    out[o.result]++;
    out.rows.push({ index: o.index, employeeNo: r.employeeNo, id: o.id, result: o.result, offboardingCaseId: caseId });
  }
  if (errors.length > 0) throw new BulkRefused(errors);
  return out;
}

export const bulkUpsertEmployeesOp = defineApi({
  method: "POST",
  path: "/employees/bulk",
  operationId: "bulkUpsertEmployees",
  summary: `Create or update up to ${BULK_MAX} employees by employee number, all or nothing; a row with leaveDate opens its offboarding case.`,
  tag: "Employees",
  scope: "employees:write",
  // Under Next's proxy buffer (proxyClientMaxBodySize, 10 MiB): a longer body would arrive cut short.
  bodyLimit: 10_000_000,
  body: z.strictObject({ employees: z.array(bulkRow).min(1).max(BULK_MAX) }),
  response: bulkResult,
  async run({ actor, caller, body, tx, audit, t }) {
    try {
      const result = await bulkUpsertEmployees({ actor, tx, audit, t, departmentPath: caller.token.departmentPath }, body.employees);
      // One event for the call (its rows have theirs): a call that changed nothing is audited too.
      await audit({ action: "employee.bulkUpsert", entityType: "ApiCall", entityId: caller.token.id, after: { rows: body.employees.length, created: result.created, updated: result.updated, unchanged: result.unchanged, leavers: result.leavers } });
      return { body: result };
    } catch (error) {
      if (error instanceof BulkRefused) throw new ApiProblem("validation_failed", `${error.errors.length} error(s); nothing was written.`, error.errors.slice(0, 1000));
      throw error;
    }
  },
});

// ---------------------------------------------------------------------------------------------
// Departments

export const departmentOut = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  parentId: z.string().nullable(),
  depth: z.number().int(),
  manager: z.object({ id: z.string(), employeeNo: z.string(), name: z.string() }).nullable(),
  version: z.number().int(),
  createdAt: isoDateTime,
});

export const listDepartmentsOp = defineApi({
  method: "GET",
  path: "/departments",
  operationId: "listDepartments",
  summary: "List departments (the directory's scope).",
  tag: "Employees",
  scope: "employees:read",
  paginated: true,
  query: z.strictObject({ limit: limitParam(), cursor: cursorParam }),
  response: listOf(departmentOut),
  async run({ actor, query, tx, after, page }) {
    const pos = after();
    const rows = await tx.department.findMany({
      where: { AND: [departmentScope(actor), pos ? { OR: [{ createdAt: { gt: new Date(String(pos[0])) } }, { createdAt: new Date(String(pos[0])), id: { gt: String(pos[1]) } }] } : {}] },
      select: { id: true, name: true, code: true, parentId: true, depth: true, version: true, createdAt: true, manager: { select: { id: true, employeeNo: true, name: true } } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: query.limit + 1,
    });
    return { body: page(rows.map((d) => ({ ...d, createdAt: iso(d.createdAt)! })), query.limit, (d) => [d.createdAt, d.id]) };
  },
});
