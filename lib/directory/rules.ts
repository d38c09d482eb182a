import { PRIVILEGED_ROLES, type Permission, type RoleCode } from "@/lib/auth/permissions";
import { DomainError, forbidden } from "@/lib/server/errors";
import { roleChange, roleChangeRefusal } from "./role-rules";

// The employee rules, once. createEmployee/updateEmployee (commands.ts) and the set-based batch
// of the API's bulk upsert and the HR file import (bulk.ts) both ask these functions whether a
// row may be written: each reads its facts its own way (the single commands with a few small
// queries, the batch with a handful of statements for every row at once) and hands them over;
// the checks, their order and their refusals (`directory.errors.*` keys, the field they concern)
// live here only. Pure: no database, no clock. The input has already passed the zod schema
// (employeeCreateSchema / employeeUpdateSchema), which is the other half of the rules.
// tests/directory/rules-parity.test.ts holds the two paths to the same answers.

type Subject = { id: string; permissions: ReadonlySet<Permission> };

export const fieldError = (code: "CONFLICT" | "VALIDATION", key: string, field: string) => new DomainError(code, `directory.errors.${key}`, { field });

const sameNumber = (a: string | undefined | null, b: string | undefined | null) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** A role change refused by role-rules.ts, as the DomainError the person sees. */
export function roleRefusal(reason: NonNullable<ReturnType<typeof roleChangeRefusal>>): DomainError {
  if (reason === "forbidden") return forbidden();
  if (reason === "ownRoles") return new DomainError("FORBIDDEN", "directory.errors.ownRoles", { field: "roles" });
  return new DomainError("FORBIDDEN", "directory.errors.privilegedRole", { field: "roles" });
}

/** The employee a manager number names, looked up in the actor's scope (case-insensitive); in a
 * batch, a new row of the same batch counts (it will be created ACTIVE). null: nobody. */
export type NamedManager = { id: string; status: string } | null;

/** A manager named by number: none → null; else they must exist (in scope) and be ACTIVE. */
export function resolveManager(managerNo: string | undefined, named: NamedManager, field = "managerNo"): string | null | DomainError {
  if (!managerNo) return null;
  if (!named) return fieldError("VALIDATION", "managerNotFound", field);
  if (named.status !== "ACTIVE") return fieldError("VALIDATION", "managerNotActive", field);
  return named.id;
}

// ---------------------------------------------------------------------------------------------
// A new employee

export type CreateRow = { employeeNo: string; email: string; departmentId: string; managerNo?: string; roles: readonly RoleCode[] };

export type CreateFacts = {
  /** Someone (in the actor's scope or not) already has this employee number (case-insensitive). */
  employeeNoTaken: boolean;
  /** Someone already has this e-mail (case-insensitive). */
  emailTaken: boolean;
  departmentExists: boolean;
  /** The employee `managerNo` names (ignored without one). */
  manager: NamedManager;
};

/** Whether this new employee may be created, and their manager's id: the first refusal, in the
 * order the form shows them (roles, number, e-mail, department, manager). */
export function checkEmployeeCreate(actor: Subject, id: string, row: CreateRow, facts: CreateFacts): DomainError | { managerId: string | null } {
  const refusal = roleChangeRefusal(actor, id, roleChange([], row.roles));
  if (refusal) return roleRefusal(refusal);
  if (facts.employeeNoTaken) return fieldError("CONFLICT", "employeeNoTaken", "employeeNo");
  if (facts.emailTaken) return fieldError("CONFLICT", "emailTaken", "email");
  if (!facts.departmentExists) return fieldError("VALIDATION", "departmentNotFound", "departmentId");
  if (sameNumber(row.managerNo, row.employeeNo)) return fieldError("VALIDATION", "selfManager", "managerNo");
  const managerId = resolveManager(row.managerNo, facts.manager);
  return managerId instanceof DomainError ? managerId : { managerId };
}

// ---------------------------------------------------------------------------------------------
// A change to an existing employee

export type CurrentEmployee = {
  id: string;
  employeeNo: string;
  managerId: string | null;
  /** The current manager's employee number, if there is one. */
  managerNo: string | null | undefined;
  roles: readonly string[];
};

export type UpdateRow = { email: string; departmentId: string; managerNo?: string };

export type UpdateFacts = {
  /** Someone other than this employee already has this e-mail (case-insensitive). */
  emailTaken: boolean;
  departmentExists: boolean;
  /** The employee `managerNo` names (ignored without one, and when it is the current manager). */
  manager: NamedManager;
};

/** Changing a privileged person's record (their e-mail, their status: departing an administrator)
 * would be a way round the rule that only an administrator grants or revokes privileged roles. */
export function privilegedRecordRefusal(actor: Pick<Subject, "permissions">, roles: readonly string[]): DomainError | null {
  if (actor.permissions.has("roles.assign:privileged")) return null;
  return roles.some((r) => PRIVILEGED_ROLES.includes(r as RoleCode)) ? new DomainError("FORBIDDEN", "directory.errors.privilegedRecord") : null;
}

/** Whether this change may be written, and the manager's id it leaves. An unchanged manager stays
 * even if they have left since; a new one must be active and not the employee. */
export function checkEmployeeUpdate(actor: Subject, current: CurrentEmployee, row: UpdateRow, facts: UpdateFacts): DomainError | { managerId: string | null } {
  const privileged = privilegedRecordRefusal(actor, current.roles);
  if (privileged) return privileged;
  if (facts.emailTaken) return fieldError("CONFLICT", "emailTaken", "email");
  if (!facts.departmentExists) return fieldError("VALIDATION", "departmentNotFound", "departmentId");
  if (sameNumber(row.managerNo, current.employeeNo)) return fieldError("VALIDATION", "selfManager", "managerNo");
  const managerId = sameNumber(row.managerNo, current.managerNo) ? current.managerId : resolveManager(row.managerNo, facts.manager);
  if (managerId instanceof DomainError) return managerId;
  if (managerId === current.id) return fieldError("VALIDATION", "selfManager", "managerNo");
  return { managerId };
}

/** Whether the manager named must be looked up at all (the unchanged one is kept as it is). */
export const managerToLookUp = (current: Pick<CurrentEmployee, "employeeNo" | "managerNo">, managerNo: string | undefined) =>
  managerNo && !sameNumber(managerNo, current.employeeNo) && !sameNumber(managerNo, current.managerNo) ? managerNo : undefined;

// ---------------------------------------------------------------------------------------------
// After the write

/** A unique-index race lost to a concurrent insert (Prisma P2002, or Postgres 23505 from raw SQL)
 * becomes the same field message the pre-check gives; null for any other error or index. */
const UNIQUE_INDEXES: Record<string, { field: string; key: string }> = {
  employees_employee_no_key: { field: "employeeNo", key: "employeeNoTaken" },
  employees_email_key: { field: "email", key: "emailTaken" },
  departments_code_key: { field: "code", key: "codeTaken" },
};

export function uniqueViolation(error: unknown): DomainError | null {
  const e = error as { code?: unknown; message?: unknown; meta?: unknown } | null;
  const text = `${e?.code ?? ""} ${typeof e?.message === "string" ? e.message : ""} ${JSON.stringify(e?.meta ?? {})}`;
  if (!/P2002|23505|unique/i.test(text)) return null;
  for (const [index, { field, key }] of Object.entries(UNIQUE_INDEXES)) {
    if (text.includes(index)) return fieldError("CONFLICT", key, field);
  }
  return null;
}

type TrainingFacts = { departmentId: string; status: string; hireDate: Date };

/** Whether a change may put the employee in (or out of) a course's or policy's audience: a move,
 * a return to ACTIVE, a new hire date (SPEC §9). A new hire always does. */
export const concernsTraining = (before: TrainingFacts, after: TrainingFacts) =>
  after.departmentId !== before.departmentId || after.status !== before.status || after.hireDate.getTime() !== before.hireDate.getTime();
