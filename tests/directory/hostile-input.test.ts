import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDepartment, createEmployee, updateEmployee } from "@/lib/directory/commands";
import { listEmployees } from "@/lib/directory/queries";
import {
  departmentCreateSchema,
  departmentManagerSchema,
  departmentMoveSchema,
  departmentRenameSchema,
  employeeCreateSchema,
  employeeListSchema,
  employeeRolesSchema,
  employeeUpdateSchema,
} from "@/lib/directory/schemas";
import { fieldErrorsFrom } from "@/lib/forms";
import { createTranslator, messagesFor } from "@/lib/i18n/translate";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { run, seedOrganisation, type Organisation } from "./helpers";

// Missing, oversized, malformed and hostile input is answered with a message beside the field and
// changes nothing; none of it reaches the database as an error (a 500). Decision on markup: `<` and
// `>` are refused in names (no person or department needs them, and exports and messages are
// read by more than React); SQL fragments are ordinary text to a parameterised query and are
// stored verbatim where the characters are legitimate (an apostrophe in O'Brien).

let db: TestDb;
let org: Organisation;
let hr: Actor;

const MB = "名".repeat(1_000_000);
const SQL = "'; DROP TABLE employees; --";
const SCRIPT = "<script>alert(1)</script>";

const state = async () => ({
  employees: await db.prisma.employee.count(),
  departments: await db.prisma.department.count(),
  audits: await db.prisma.auditEvent.count(),
});
const valid = () => ({ employeeNo: "H-900", name: "新同事", email: "h900@example.test", departmentId: org.dept.hq.id, hireDate: "2026-01-05", roles: "EMPLOYEE" });
const fieldErrors = (schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, input: unknown) => {
  const result = schema.safeParse(input) as { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
  if (result.success) return null;
  const out: Record<string, string[]> = {};
  for (const i of result.error!.issues) (out[i.path.map(String).join(".")] ??= []).push(i.message);
  return out;
};

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  hr = await actorFor(db.prisma, org.people.hr.id);
});
afterAll(async () => db?.close());

describe("hostile and malformed input", () => {
  it("refuses a 1 MB name with a length message beside the field, and writes nothing", async () => {
    const before = await state();
    expect(await run(db.prisma, hr, employeeCreateSchema, { ...valid(), name: MB }, createEmployee)).toMatchObject({ code: "VALIDATION", fieldErrors: { name: ["errors.v.tooLong"] } });
    expect(await run(db.prisma, hr, departmentCreateSchema, { name: MB, code: "BIG" }, createDepartment)).toMatchObject({ code: "VALIDATION", fieldErrors: { name: ["errors.v.tooLong"] } });
    expect(fieldErrors(departmentRenameSchema, { id: org.dept.hq.id, version: "1", name: MB })).toEqual({ name: ["errors.v.tooLong"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), email: `${"a".repeat(1_000_000)}@example.test` })).toEqual({ email: ["errors.v.tooLong"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), password: "p".repeat(1_000_000) })).toEqual({ password: ["errors.v.tooLong"] });
    expect(await state()).toEqual(before);
  });

  it("refuses markup in names (beside the field), in both languages", async () => {
    const before = await state();
    const outcome = await run(db.prisma, hr, employeeCreateSchema, { ...valid(), name: SCRIPT }, createEmployee);
    expect(outcome).toMatchObject({ code: "VALIDATION", fieldErrors: { name: ["directory.v.nameChars"] } });
    expect(fieldErrors(departmentCreateSchema, { name: "<b>销售</b>", code: "X" })).toEqual({ name: ["directory.v.nameChars"] });
    expect(await state()).toEqual(before);

    const parsed = employeeCreateSchema.safeParse({ ...valid(), name: SCRIPT });
    expect(parsed.success).toBe(false);
    expect(fieldErrorsFrom(parsed.error!, createTranslator(messagesFor("zh-CN"))).name[0]).toMatch(/不能包含/);
    expect(fieldErrorsFrom(parsed.error!, createTranslator(messagesFor("en"))).name[0]).toMatch(/Must not contain/);
    const long = employeeCreateSchema.safeParse({ ...valid(), name: MB });
    expect(fieldErrorsFrom(long.error!, createTranslator(messagesFor("en"))).name).toEqual(["At most 100 characters."]);
  });

  it("refuses NUL and other control characters, tabs, line breaks, direction overrides and broken surrogates in names", () => {
    for (const bad of ["a\u0000b", "a\u0007b", "a\u001bb", "a\u007fb", "a\u0085b"]) {
      expect(fieldErrors(employeeCreateSchema, { ...valid(), name: bad })).toEqual({ name: ["errors.v.controlChars"] });
    }
    expect(fieldErrors(employeeCreateSchema, { ...valid(), name: "a\nb" })).toEqual({ name: ["errors.v.controlChars"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), name: "a\tb" })).toEqual({ name: ["errors.v.controlChars", "directory.v.nameChars"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), name: "abc\u202Egpj.exe" })).toEqual({ name: ["directory.v.nameChars"] });
    expect(fieldErrors(departmentCreateSchema, { name: "销售\u0000部", code: "X" })).toEqual({ name: ["errors.v.controlChars"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), name: "a\uD800b" })).toEqual({ name: ["directory.v.invalidChars"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), name: "a\uDC00" })).toEqual({ name: ["directory.v.invalidChars"] });
    // A whole surrogate pair (an emoji, a rare CJK character) is fine.
    expect(fieldErrors(employeeCreateSchema, { ...valid(), name: "𠀀明 😀" })).toBeNull();
  });

  it("stores an SQL fragment in a name verbatim as text, and the tables stay intact", async () => {
    const outcome = await run(db.prisma, hr, employeeCreateSchema, { ...valid(), name: SQL }, createEmployee);
    expect(outcome).toMatchObject({ ok: true });
    if (!outcome.ok) return;
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: outcome.data.id } })).name).toBe(SQL);
    expect(await db.prisma.employee.count()).toBeGreaterThan(5);
    // …and finds it again through the search, also as plain text.
    const found = await listEmployees(hr, employeeListSchema.parse({ q: "DROP TABLE" }));
    expect(found.rows.map((r) => r.name)).toEqual([SQL]);
    expect((await listEmployees(hr, employeeListSchema.parse({ q: SQL }))).total).toBe(1);
    // An apostrophe is legitimate in a name.
    const edit = { id: outcome.data.id, version: "1", name: "Seán O'Brien-欧阳", email: "h900@example.test", departmentId: org.dept.hq.id, status: "ACTIVE", hireDate: "2026-01-05" };
    expect(await run(db.prisma, hr, employeeUpdateSchema, edit, updateEmployee)).toMatchObject({ ok: true });
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: outcome.data.id } })).name).toBe("Seán O'Brien-欧阳");
  });

  it("refuses SQL and markup where the format does not allow them: numbers, codes, e-mails, ids, dates", () => {
    expect(fieldErrors(employeeCreateSchema, { ...valid(), employeeNo: SQL })).toEqual({ employeeNo: ["errors.v.employeeNo"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), employeeNo: "x".repeat(33) })).toEqual({ employeeNo: ["errors.v.employeeNo"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), email: `${SCRIPT}@example.test` })).toEqual({ email: ["errors.v.email"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), departmentId: SQL })).toEqual({ departmentId: ["errors.v.invalidId"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), hireDate: "2026-02-30" })).toEqual({ hireDate: ["errors.v.date"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), hireDate: SCRIPT })).toEqual({ hireDate: ["errors.v.date"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), managerNo: "M-001'--" })).toEqual({ managerNo: ["errors.v.employeeNo"] });
    expect(fieldErrors(departmentCreateSchema, { name: "部门", code: "X;DROP" })).toEqual({ code: ["directory.v.code"] });
    expect(fieldErrors(departmentMoveSchema, { id: "../../etc/passwd", version: "1", parentId: "" })).toEqual({ id: ["errors.v.invalidId"] });
    for (const version of ["abc", "1e400", "-1", "0", "1.5"]) {
      expect(fieldErrors(departmentManagerSchema, { id: org.dept.hq.id, version, managerNo: "" })).toEqual({ version: [expect.stringMatching(/^errors\.v\./)] });
    }
    expect(fieldErrors(employeeRolesSchema, { id: org.people.plain.id, roles: ["EMPLOYEE", "ADMIN'--"] })).toEqual({ "roles.1": ["errors.v.invalidChoice"] });
    expect(fieldErrors(employeeRolesSchema, { id: org.people.plain.id, roles: Array(100).fill("EMPLOYEE") })).toEqual({ roles: ["directory.v.tooManyRoles"] });
  });

  it("answers missing fields and wrong types with 'required' beside each field", () => {
    expect(fieldErrors(employeeCreateSchema, {})).toEqual({
      employeeNo: ["errors.v.required"],
      name: ["errors.v.required"],
      email: ["errors.v.required"],
      departmentId: ["errors.v.invalidId"],
      hireDate: ["errors.v.date"],
      roles: ["directory.v.rolesRequired"],
    });
    // A Server Action can be called with a plain object, so non-strings arrive too.
    expect(fieldErrors(employeeCreateSchema, { ...valid(), name: ["a", "b"], email: { $ne: null } })).toEqual({ name: ["errors.v.required"], email: ["errors.v.required"] });
    expect(fieldErrors(employeeCreateSchema, { ...valid(), name: "   " })).toEqual({ name: ["errors.v.required"] });
  });

  it("keeps list parameters from failing the page: hostile values fall back to defaults", async () => {
    const parsed = employeeListSchema.parse({ q: `${SQL}\u0000`, sort: "name; DROP TABLE employees", dir: SQL, page: "1e999", pageSize: SCRIPT, department: SQL, role: SCRIPT, status: "\u0000" });
    expect(parsed).toMatchObject({ q: SQL, sort: "name", dir: "asc", page: 1, pageSize: 25, department: undefined, role: undefined, status: undefined });
    await expect(listEmployees(hr, parsed)).resolves.toBeDefined();
    expect(await db.prisma.employee.count()).toBeGreaterThan(5);
  });
});
