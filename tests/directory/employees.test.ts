import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verify } from "@node-rs/argon2";
import { createEmployee, updateEmployee } from "@/lib/directory/commands";
import { employeeCreateSchema, employeeUpdateSchema } from "@/lib/directory/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { untilLockWait } from "../helpers/until-lock-wait";
import { run, seedOrganisation, type Organisation } from "./helpers";

let db: TestDb;
let org: Organisation;
let hr: Actor;
let manager: Actor;

const counts = async () => ({ employees: await db.prisma.employee.count(), audits: await db.prisma.auditEvent.count() });
const createInput = (over: Record<string, unknown> = {}) => ({
  employeeNo: "N-100",
  name: "新同事",
  email: "New.Hire@Example.test",
  departmentId: org.dept.east.id,
  managerNo: "",
  hireDate: "2026-03-02",
  roles: "EMPLOYEE",
  password: "",
  ...over,
});
const create = (input: Record<string, unknown>, actor = hr) => run(db.prisma, actor, employeeCreateSchema, input, createEmployee);
const update = (input: Record<string, unknown>, actor = hr) => run(db.prisma, actor, employeeUpdateSchema, input, updateEmployee);

async function editInput(id: string, over: Record<string, unknown> = {}) {
  const e = await db.prisma.employee.findUniqueOrThrow({ where: { id }, include: { manager: true } });
  return {
    id,
    version: String(e.version),
    name: e.name,
    email: e.email,
    departmentId: e.departmentId,
    managerNo: e.manager?.employeeNo ?? "",
    status: e.status,
    hireDate: e.hireDate.toISOString().slice(0, 10),
    leaveDate: e.leaveDate ? e.leaveDate.toISOString().slice(0, 10) : "",
    ...over,
  };
}

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  hr = await actorFor(db.prisma, org.people.hr.id);
  manager = await actorFor(db.prisma, org.people.manager.id);
});
afterAll(async () => db?.close());

describe("creating an employee", () => {
  it("creates the employee with lower-cased e-mail, roles, manager and a hashed password, and audits it once", async () => {
    const before = await counts();
    const outcome = await create(createInput({ managerNo: "m-001", roles: ["EMPLOYEE", "MANAGER"], password: "a long enough password" }));
    expect(outcome).toMatchObject({ ok: true });
    if (!outcome.ok) return;
    const e = await db.prisma.employee.findUniqueOrThrow({ where: { id: outcome.data.id }, omit: { passwordHash: false }, include: { roles: true } });
    expect(e).toMatchObject({ employeeNo: "N-100", email: "new.hire@example.test", managerId: org.people.manager.id, status: "ACTIVE", version: 1 });
    expect(e.roles.map((r) => r.role).sort()).toEqual(["EMPLOYEE", "MANAGER"]);
    expect(await verify(e.passwordHash!, "a long enough password")).toBe(true);

    expect(await counts()).toEqual({ employees: before.employees + 1, audits: before.audits + 1 });
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: e.id } });
    expect(event).toMatchObject({ action: "employee.create", entityType: "Employee", actorId: hr.id, before: null });
    expect(event.after).toMatchObject({ employeeNo: "N-100", email: "new.hire@example.test", roles: ["EMPLOYEE", "MANAGER"], initialPassword: true, hireDate: "2026-03-02" });
    expect(JSON.stringify(event.after)).not.toMatch(/argon2|passwordHash|a long enough password/);
  });

  it("refuses a duplicate employee number (any case) beside its field and writes nothing", async () => {
    const before = await counts();
    expect(await create(createInput({ employeeNo: "e-001", email: "other1@example.test" }))).toEqual({
      ok: false, code: "CONFLICT", messageKey: "directory.errors.employeeNoTaken", field: "employeeNo",
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses a duplicate e-mail (any case) beside its field and writes nothing", async () => {
    const before = await counts();
    expect(await create(createInput({ employeeNo: "N-200", email: "ZHANG.WEI@example.test" }))).toEqual({
      ok: false, code: "CONFLICT", messageKey: "directory.errors.emailTaken", field: "email",
    });
    expect(await counts()).toEqual(before);
  });

  it("gives the same field message when a concurrent creation takes the e-mail after the check (unique-index race)", async () => {
    const before = await counts();
    // A inserts and holds its transaction open; B checks (A's row is not yet visible on Postgres),
    // inserts, waits on the unique index and fails when A commits. On PGlite, which runs one
    // transaction at a time, B simply starts after A and the check itself answers.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let signalInserted!: () => void;
    const inserted = new Promise<void>((r) => (signalInserted = r));
    const first = run(db.prisma, hr, employeeCreateSchema, createInput({ employeeNo: "R-001", email: "race@example.test" }), async (ctx) => {
      const created = await createEmployee(ctx);
      signalInserted();
      await gate;
      return created;
    });
    await inserted;
    const second = create(createInput({ employeeNo: "R-002", email: "RACE@example.test" }));
    await untilLockWait(db.url);
    release();
    expect(await first).toMatchObject({ ok: true });
    expect(await second).toEqual({ ok: false, code: "CONFLICT", field: "email", messageKey: "directory.errors.emailTaken" });
    expect(await counts()).toEqual({ employees: before.employees + 1, audits: before.audits + 1 });
  });

  it("refuses an unknown department, an unknown or departed manager, and a short password", async () => {
    const before = await counts();
    expect(await create(createInput({ employeeNo: "N-300", email: "n300@example.test", departmentId: "0".repeat(32) }))).toMatchObject({ field: "departmentId", messageKey: "directory.errors.departmentNotFound" });
    expect(await create(createInput({ employeeNo: "N-300", email: "n300@example.test", managerNo: "NOBODY" }))).toMatchObject({ field: "managerNo", messageKey: "directory.errors.managerNotFound" });
    expect(await create(createInput({ employeeNo: "N-300", email: "n300@example.test", managerNo: "S-002" }))).toMatchObject({ field: "managerNo", messageKey: "directory.errors.managerNotActive" });
    expect(await create(createInput({ employeeNo: "N-300", email: "n300@example.test", password: "short" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { password: ["errors.v.password"] } });
    expect(await create(createInput({ employeeNo: "N-300", email: "n300@example.test", roles: [] }))).toMatchObject({ code: "VALIDATION", fieldErrors: { roles: ["directory.v.rolesRequired"] } });
    expect(await counts()).toEqual(before);
  });

  it("is refused to a manager (no directory.manage) even when called directly", async () => {
    const before = await counts();
    expect(await create(createInput({ employeeNo: "N-400", email: "n400@example.test" }), manager)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await counts()).toEqual(before);
  });
});

describe("editing an employee", () => {
  let target: string;
  beforeEach(async () => {
    target = org.people.eastStaff.id;
  });

  it("saves the fields, bumps the version and audits before and after", async () => {
    const auditsBefore = await db.prisma.auditEvent.count();
    const outcome = await update(await editInput(target, { name: "张伟（新）", email: "ZW@example.test", departmentId: org.dept.sh1.id, managerNo: "M-001", status: "OFFBOARDING" }));
    expect(outcome).toMatchObject({ ok: true });
    const e = await db.prisma.employee.findUniqueOrThrow({ where: { id: target } });
    expect(e).toMatchObject({ name: "张伟（新）", email: "zw@example.test", departmentId: org.dept.sh1.id, managerId: org.people.manager.id, status: "OFFBOARDING", version: 2 });
    expect(await db.prisma.auditEvent.count()).toBe(auditsBefore + 1);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: target, action: "employee.update" }, orderBy: { id: "desc" } });
    expect(event.before).toMatchObject({ name: "张伟", email: "zhang.wei@example.test", status: "ACTIVE", version: 1 });
    expect(event.after).toMatchObject({ name: "张伟（新）", email: "zw@example.test", status: "OFFBOARDING", version: 2 });
  });

  it("refuses a stale version with STALE and changes nothing", async () => {
    const input = await editInput(target, { name: "Someone else's edit" });
    await update(input); // the first save wins
    const snapshot = await db.prisma.employee.findUniqueOrThrow({ where: { id: target } });
    const auditsBefore = await db.prisma.auditEvent.count();
    const outcome = await update({ ...input, name: "My late edit" });
    expect(outcome).toEqual({ ok: false, code: "STALE", messageKey: "errors.stale", field: undefined });
    expect(await db.prisma.employee.findUniqueOrThrow({ where: { id: target } })).toEqual(snapshot);
    expect(await db.prisma.auditEvent.count()).toBe(auditsBefore);
  });

  it("lets exactly one of two concurrent edits of the same version win", async () => {
    const input = await editInput(target);
    const outcomes = await Promise.all([update({ ...input, name: "Edit A" }), update({ ...input, name: "Edit B" })]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({ code: "STALE" });
  });

  it("refuses making someone their own manager", async () => {
    const input = await editInput(target, { managerNo: "E-001" });
    expect(await update(input)).toMatchObject({ ok: false, field: "managerNo", messageKey: "directory.errors.selfManager" });
  });

  it("needs a leave date for a departure, not before the hire date", async () => {
    expect(await update(await editInput(target, { status: "DEPARTED", leaveDate: "" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { leaveDate: ["directory.v.leaveDateRequired"] } });
    expect(await update(await editInput(target, { hireDate: "2024-03-01", leaveDate: "2024-02-29" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { leaveDate: ["errors.v.leaveBeforeHire"] } });
    expect(await update(await editInput(target, { leaveDate: "2024-02-30" }))).toMatchObject({ code: "VALIDATION", fieldErrors: { leaveDate: ["errors.v.date"] } });
    expect(await update(await editInput(target, { status: "DEPARTED", leaveDate: "2026-06-30" }))).toMatchObject({ ok: true });
  });

  it("refuses an e-mail another employee holds", async () => {
    expect(await update(await editInput(org.people.sh1Staff.id, { email: "HR@example.test" }))).toMatchObject({ code: "CONFLICT", field: "email", messageKey: "directory.errors.emailTaken" });
  });

  it("answers NOT_FOUND for a forged id and FORBIDDEN to a manager", async () => {
    expect(await update(await editInput(org.people.plain.id, { id: "f".repeat(32) }))).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await update(await editInput(org.people.sh1Staff.id, { name: "x" }), manager)).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("keeps a line manager who has since left when the manager is not changed", async () => {
    const subordinate = org.people.southStaff.id;
    await db.prisma.employee.update({ where: { id: subordinate }, data: { managerId: org.people.departed.id } });
    expect(await update(await editInput(subordinate, { name: "黄志强 II" }))).toMatchObject({ ok: true });
    expect(await db.prisma.employee.findUniqueOrThrow({ where: { id: subordinate } })).toMatchObject({ managerId: org.people.departed.id, name: "黄志强 II" });
  });
});

describe("the record of a privileged person", () => {
  it("cannot be edited by HR (changing an administrator's e-mail or status would bypass the role rule)", async () => {
    const before = await counts();
    const outcome = await update(await editInput(org.people.admin.id, { status: "DEPARTED", leaveDate: "2026-11-30" }));
    expect(outcome).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await counts()).toEqual(before);
    expect((await db.prisma.employee.findUniqueOrThrow({ where: { id: org.people.admin.id } })).status).toBe("ACTIVE");
  });

  it("can be edited by an administrator", async () => {
    const otherAdmin = await db.prisma.$transaction((tx) =>
      import("@/prisma/factories").then(({ makeEmployee }) => makeEmployee(tx, { departmentId: org.dept.east.id, roles: ["ADMIN"] })),
    );
    const admin = await actorFor(db.prisma, otherAdmin.id);
    const outcome = await update(await editInput(org.people.auditor.id, { name: "赵明远（审计）" }), admin);
    expect(outcome).toMatchObject({ ok: true });
  });
});
