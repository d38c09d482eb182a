import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { permissionsOf } from "@/lib/auth/permissions";
import { upsertEmployeesBatch, type BatchRow } from "@/lib/directory/bulk";
import { createEmployee, updateEmployee } from "@/lib/directory/commands";
import { employeeCreateSchema, employeeUpdateSchema } from "@/lib/directory/schemas";
import type { Actor } from "@/lib/server/actor";
import { writeAuditEvents } from "@/lib/server/audit-write";
import { makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { run, seedOrganisation, type Organisation, type Outcome } from "./helpers";

// One definition of the employee rules (lib/directory/rules.ts): the single commands
// (createEmployee/updateEmployee, read their facts with small queries) and the set-based batch of
// the API's bulk upsert and the HR import (upsertEmployeesBatch, reads them for every row at once)
// must give the same answer for the same row: the same refusal (code, message key, field), or
// the same zod field messages, or both accept it.

let db: TestDb;
let org: Organisation;
let hr: Actor;
/** Someone who manages the directory within their own department (East) only: the batch's
 * "number taken outside my scope" and "manager outside my scope" paths. */
let scoped: Actor;

type Verdict = { ok: true } | { ok: false; code: string; messageKey?: string; field?: string } | { ok: false; code: "VALIDATION"; fieldErrors: Record<string, string[]> };

function fromOutcome(o: Outcome<unknown>): Verdict {
  if (o.ok) return { ok: true };
  if (o.fieldErrors) return { ok: false, code: "VALIDATION", fieldErrors: o.fieldErrors };
  return { ok: false, code: o.code, messageKey: o.messageKey, field: o.field };
}

function fieldErrorsOf(error: z.ZodError) {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.map(String).join(".") || "_form"] ??= []).push(issue.message);
  return out;
}

const ROLLBACK = new Error("rollback: the parity test writes nothing through the batch");

/** The batch's answer for one row, rolled back whatever it is (so the single command then runs
 * against the same database). */
async function batch(actor: Actor, row: BatchRow): Promise<Verdict> {
  let verdict: Verdict | undefined;
  try {
    await db.prisma.$transaction(async (tx) => {
      const done = await upsertEmployeesBatch({ actor, tx, auditMany: (events) => writeAuditEvents(tx, { id: actor.id, label: actor.email, ip: actor.ip }, events) }, [row]);
      if (done.ok) verdict = { ok: true };
      else {
        expect(done.refusals).toHaveLength(1);
        const [refusal] = done.refusals;
        verdict = "issues" in refusal
          ? { ok: false, code: "VALIDATION", fieldErrors: fieldErrorsOf(refusal.issues) }
          : { ok: false, code: refusal.error.code, messageKey: refusal.error.messageKey, field: refusal.error.options.field };
      }
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return verdict!;
}

const counts = async () => ({ employees: await db.prisma.employee.count(), audits: await db.prisma.auditEvent.count() });

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  hr = await actorFor(db.prisma, org.people.hr.id);
  const eastManager = await actorFor(db.prisma, org.people.manager.id);
  const permissions = new Set(permissionsOf(["HR"]));
  permissions.delete("directory.read:all");
  permissions.add("directory.read:department");
  scoped = { ...eastManager, permissions };
  // Someone whose manager has since left: an unchanged manager stays, a newly named one may not.
  await makeEmployee(db.prisma, { departmentId: org.dept.south.id, name: "孙留任", email: "kept@example.test", employeeNo: "K-001", managerId: org.people.departed.id });
});
afterAll(async () => db?.close());

type Case = { name: string; actor?: () => Actor; row: Partial<BatchRow> & { roles?: string[] }; expected: Verdict };

describe("a new employee: createEmployee and the bulk batch give the same answer", () => {
  const valid = (): BatchRow => ({ employeeNo: "PAR-1", name: "一致性", email: "par-1@example.test", departmentId: org.dept.east.id, hireDate: "2026-03-02", roles: ["EMPLOYEE"] });
  const cases: Case[] = [
    { name: "an e-mail someone holds (other case)", row: { email: "ZHANG.WEI@example.test" }, expected: { ok: false, code: "CONFLICT", messageKey: "directory.errors.emailTaken", field: "email" } },
    { name: "an unknown department", row: { departmentId: "0".repeat(32) }, expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.departmentNotFound", field: "departmentId" } },
    { name: "an unknown manager", row: { managerNo: "NOBODY" }, expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.managerNotFound", field: "managerNo" } },
    { name: "a departed manager", row: { managerNo: "s-002" }, expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.managerNotActive", field: "managerNo" } },
    { name: "themselves as manager", row: { managerNo: "par-1" }, expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.selfManager", field: "managerNo" } },
    { name: "a privileged role HR may not grant", row: { roles: ["ADMIN", "EMPLOYEE"] }, expected: { ok: false, code: "FORBIDDEN", messageKey: "directory.errors.privilegedRole", field: "roles" } },
    { name: "the role refusal before the e-mail", row: { roles: ["AUDITOR"], email: "hr@example.test" }, expected: { ok: false, code: "FORBIDDEN", messageKey: "directory.errors.privilegedRole", field: "roles" } },
    { name: "the e-mail before the department", row: { email: "hr@example.test", departmentId: "0".repeat(32) }, expected: { ok: false, code: "CONFLICT", messageKey: "directory.errors.emailTaken", field: "email" } },
    { name: "the department before the manager", row: { departmentId: "0".repeat(32), managerNo: "NOBODY" }, expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.departmentNotFound", field: "departmentId" } },
    { name: "markup in the name (the zod schema)", row: { name: "<b>x</b>" }, expected: { ok: false, code: "VALIDATION", fieldErrors: { name: ["directory.v.nameChars"] } } },
    { name: "no role at all (the zod schema)", row: { roles: [] }, expected: { ok: false, code: "VALIDATION", fieldErrors: { roles: ["directory.v.rolesRequired"] } } },
    {
      name: "a number taken outside the actor's department",
      actor: () => scoped,
      row: { employeeNo: "S-001" },
      expected: { ok: false, code: "CONFLICT", messageKey: "directory.errors.employeeNoTaken", field: "employeeNo" },
    },
    {
      name: "a manager outside the actor's department",
      actor: () => scoped,
      row: { managerNo: "S-001" },
      expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.managerNotFound", field: "managerNo" },
    },
    { name: "a valid row with an active manager (last: it is written)", row: { employeeNo: "PAR-OK", email: "par-ok@example.test", managerNo: "m-001" }, expected: { ok: true } },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const actor = c.actor?.() ?? hr;
      const row = { ...valid(), ...c.row } as BatchRow;
      const before = await counts();
      const viaBatch = await batch(actor, row);
      expect(await counts()).toEqual(before);
      const viaCommand = fromOutcome(await run(db.prisma, actor, employeeCreateSchema, { ...row, managerNo: row.managerNo ?? "", password: "" }, createEmployee));
      expect(viaBatch).toEqual(c.expected);
      expect(viaCommand).toEqual(viaBatch);
      if (!c.expected.ok) expect(await counts()).toEqual(before);
    });
  }
});

describe("a change to an employee: updateEmployee and the bulk batch give the same answer", () => {
  /** The employee as it stands, as the batch's row and as the edit form's input. */
  async function current(employeeNo: string) {
    const e = await db.prisma.employee.findFirstOrThrow({ where: { employeeNo }, include: { manager: true } });
    const row: BatchRow = { employeeNo: e.employeeNo, name: e.name, email: e.email, departmentId: e.departmentId, managerNo: e.manager?.employeeNo, hireDate: e.hireDate.toISOString().slice(0, 10) };
    const form = { id: e.id, version: String(e.version), status: e.status, leaveDate: e.leaveDate ? e.leaveDate.toISOString().slice(0, 10) : "" };
    return { row, form };
  }

  const cases: (Case & { employeeNo: string })[] = [
    { name: "an e-mail another employee holds", employeeNo: "E-002", row: { email: "HR@example.test" }, expected: { ok: false, code: "CONFLICT", messageKey: "directory.errors.emailTaken", field: "email" } },
    { name: "an unknown department", employeeNo: "E-002", row: { departmentId: "0".repeat(32) }, expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.departmentNotFound", field: "departmentId" } },
    { name: "an unknown manager", employeeNo: "E-002", row: { managerNo: "NOBODY" }, expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.managerNotFound", field: "managerNo" } },
    { name: "a newly named departed manager", employeeNo: "E-002", row: { managerNo: "S-002" }, expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.managerNotActive", field: "managerNo" } },
    { name: "themselves as manager", employeeNo: "E-002", row: { managerNo: "e-002" }, expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.selfManager", field: "managerNo" } },
    { name: "an administrator's record, changed by HR", employeeNo: "A-001", row: { name: "周建国改" }, expected: { ok: false, code: "FORBIDDEN", messageKey: "directory.errors.privilegedRecord", field: undefined } },
    { name: "the privileged record before the e-mail", employeeNo: "U-001", row: { email: "hr@example.test" }, expected: { ok: false, code: "FORBIDDEN", messageKey: "directory.errors.privilegedRecord", field: undefined } },
    { name: "the e-mail before the manager", employeeNo: "E-002", row: { email: "hr@example.test", managerNo: "NOBODY" }, expected: { ok: false, code: "CONFLICT", messageKey: "directory.errors.emailTaken", field: "email" } },
    { name: "markup in the name (the zod schema)", employeeNo: "E-002", row: { name: "a\u202Eb" }, expected: { ok: false, code: "VALIDATION", fieldErrors: { name: ["directory.v.nameChars"] } } },
    { name: "a manager outside the actor's department", employeeNo: "E-002", actor: () => scoped, row: { managerNo: "S-001" }, expected: { ok: false, code: "VALIDATION", messageKey: "directory.errors.managerNotFound", field: "managerNo" } },
    { name: "an unchanged manager who has left since (kept)", employeeNo: "K-001", row: { name: "孙留任改" }, expected: { ok: true } },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const actor = c.actor?.() ?? hr;
      const { row: base, form } = await current(c.employeeNo);
      const row = { ...base, ...c.row } as BatchRow;
      const before = await counts();
      const viaBatch = await batch(actor, row);
      expect(await counts()).toEqual(before);
      const fields = { name: row.name, email: row.email, departmentId: row.departmentId, hireDate: row.hireDate, managerNo: row.managerNo ?? "" };
      const viaCommand = fromOutcome(await run(db.prisma, actor, employeeUpdateSchema, { ...form, ...fields }, updateEmployee));
      expect(viaBatch).toEqual(c.expected);
      expect(viaCommand).toEqual(viaBatch);
      if (!c.expected.ok) expect(await counts()).toEqual(before);
    });
  }
});
