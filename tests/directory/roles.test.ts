import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmployee, setEmployeeRoles } from "@/lib/directory/commands";
import { lockedRoles } from "@/lib/directory/role-rules";
import { employeeCreateSchema, employeeRolesSchema } from "@/lib/directory/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { run, seedOrganisation, type Organisation } from "./helpers";

let db: TestDb;
let org: Organisation;
let admin: Actor;
let hr: Actor;
let manager: Actor;

const rolesOf = async (id: string) => (await db.prisma.employeeRole.findMany({ where: { employeeId: id }, orderBy: { role: "asc" } })).map((r) => r.role);
const setRoles = (actor: Actor, id: string, roles: string[]) => run(db.prisma, actor, employeeRolesSchema, { id, roles }, setEmployeeRoles);
const audits = () => db.prisma.auditEvent.count();

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  admin = await actorFor(db.prisma, org.people.admin.id);
  hr = await actorFor(db.prisma, org.people.hr.id);
  manager = await actorFor(db.prisma, org.people.manager.id);
});
afterAll(async () => db?.close());

describe("assigning roles", () => {
  it("lets HR grant and revoke ordinary roles, auditing the change once", async () => {
    const id = org.people.eastStaff.id;
    const before = await audits();
    expect(await setRoles(hr, id, ["EMPLOYEE", "PRIVACY_OFFICER"])).toMatchObject({ ok: true });
    expect(await rolesOf(id)).toEqual(["PRIVACY_OFFICER", "EMPLOYEE"]);
    expect(await audits()).toBe(before + 1);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { entityId: id, action: "employee.roles" } });
    expect(event.before).toEqual({ roles: ["EMPLOYEE"] });
    expect(event.after).toEqual({ roles: ["EMPLOYEE", "PRIVACY_OFFICER"], granted: ["PRIVACY_OFFICER"], revoked: [] });
  });

  it("refuses HR granting ADMIN or AUDITOR, and changes nothing", async () => {
    const id = org.people.sh1Staff.id;
    const before = await audits();
    for (const role of ["ADMIN", "AUDITOR"]) {
      expect(await setRoles(hr, id, ["EMPLOYEE", role])).toEqual({ ok: false, code: "FORBIDDEN", field: "roles", messageKey: "directory.errors.privilegedRole" });
    }
    expect(await rolesOf(id)).toEqual(["EMPLOYEE"]);
    expect(await audits()).toBe(before);
  });

  it("refuses HR revoking ADMIN, but lets HR change other roles of an administrator when ADMIN is kept", async () => {
    const id = org.people.admin.id;
    expect(await setRoles(hr, id, ["EMPLOYEE"])).toMatchObject({ ok: false, code: "FORBIDDEN", field: "roles" });
    expect(await rolesOf(id)).toEqual(["ADMIN", "EMPLOYEE"]);
    expect(await setRoles(hr, id, ["ADMIN", "EMPLOYEE", "HR"])).toMatchObject({ ok: true });
    expect(await rolesOf(id)).toEqual(["ADMIN", "HR", "EMPLOYEE"]);
  });

  it("refuses HR creating an employee who holds ADMIN", async () => {
    const input = { employeeNo: "N-1", name: "X", email: "x@example.test", departmentId: org.dept.hq.id, hireDate: "2026-01-05", roles: ["ADMIN"] };
    expect(await run(db.prisma, hr, employeeCreateSchema, input, createEmployee)).toMatchObject({ ok: false, code: "FORBIDDEN", field: "roles" });
    expect(await db.prisma.employee.count({ where: { employeeNo: "N-1" } })).toBe(0);
  });

  it("lets an administrator grant and revoke ADMIN and AUDITOR", async () => {
    const id = org.people.sh1Staff.id;
    expect(await setRoles(admin, id, ["EMPLOYEE", "AUDITOR", "ADMIN"])).toMatchObject({ ok: true });
    expect(await rolesOf(id)).toEqual(["ADMIN", "AUDITOR", "EMPLOYEE"]);
    expect(await setRoles(admin, id, ["EMPLOYEE"])).toMatchObject({ ok: true });
    expect(await rolesOf(id)).toEqual(["EMPLOYEE"]);
  });

  it("refuses anyone changing their own roles, an administrator included", async () => {
    const before = await audits();
    expect(await setRoles(admin, admin.id, ["ADMIN", "EMPLOYEE", "AUDITOR"])).toMatchObject({ ok: false, code: "FORBIDDEN", messageKey: "directory.errors.ownRoles" });
    expect(await setRoles(hr, hr.id, ["EMPLOYEE"])).toMatchObject({ ok: false, code: "FORBIDDEN", messageKey: "directory.errors.ownRoles" });
    expect(await rolesOf(hr.id)).toEqual(["HR", "EMPLOYEE"]);
    expect(await audits()).toBe(before);
  });

  it("refuses a manager (no roles.assign), a forged id and unknown role names", async () => {
    expect(await setRoles(manager, org.people.eastStaff.id, ["EMPLOYEE", "MANAGER"])).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await setRoles(hr, "f".repeat(32), ["EMPLOYEE"])).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await setRoles(hr, org.people.eastStaff.id, ["EMPLOYEE", "ROOT"])).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { "roles.1": ["errors.v.invalidChoice"] } });
    expect(await setRoles(hr, org.people.eastStaff.id, [])).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { roles: ["directory.v.rolesRequired"] } });
  });

  it("tells the form which roles to disable", () => {
    expect(lockedRoles(hr, org.people.eastStaff.id)).toEqual(["ADMIN", "AUDITOR"]);
    expect(lockedRoles(admin, org.people.eastStaff.id)).toEqual([]);
    expect(lockedRoles(admin, admin.id)).toHaveLength(6);
    expect(lockedRoles(manager, org.people.eastStaff.id)).toHaveLength(6);
  });
});
