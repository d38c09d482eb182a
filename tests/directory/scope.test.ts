import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { departmentOptions, departmentTree, employeeExportPages, findEmployee, getEmployee, listEmployees } from "@/lib/directory/queries";
import { employeeListSchema } from "@/lib/directory/schemas";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedOrganisation, type Organisation } from "./helpers";

let db: TestDb;
let org: Organisation;
let manager: Actor;
let admin: Actor;
let employee: Actor;

const params = (raw: Record<string, string> = {}) => employeeListSchema.parse({ pageSize: "100", ...raw });

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  manager = await actorFor(db.prisma, org.people.manager.id);
  admin = await actorFor(db.prisma, org.people.admin.id);
  employee = await actorFor(db.prisma, org.people.plain.id);
});
afterAll(async () => db?.close());

describe("a manager's reads are scoped to their department subtree", () => {
  it("lists only employees of their department and the departments below it", async () => {
    const { rows, total } = await listEmployees(manager, params());
    expect(rows.map((r) => r.employeeNo).sort()).toEqual(["E-001", "E-002", "M-001"]);
    expect(total).toBe(3);
  });

  it("keeps the scope whatever the filters say", async () => {
    // A department filter pointing outside the subtree finds nobody rather than widening the scope.
    expect((await listEmployees(manager, params({ department: org.dept.south.id }))).total).toBe(0);
    expect((await listEmployees(manager, params({ department: org.dept.hq.id }))).total).toBe(0);
    // A search for someone outside finds nobody.
    expect((await listEmployees(manager, params({ q: "黄志强" }))).total).toBe(0);
    expect((await listEmployees(manager, params({ q: "huang@example.test" }))).total).toBe(0);
    // Inside the subtree, a filter narrows as usual.
    const sh1 = await listEmployees(manager, params({ department: org.dept.sh1.id }));
    expect(sh1.rows.map((r) => r.employeeNo)).toEqual(["E-002"]);
  });

  it("answers NOT_FOUND for an employee outside the subtree, the same as for one that does not exist", async () => {
    await expect(getEmployee(manager, org.people.southStaff.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getEmployee(manager, org.people.admin.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getEmployee(manager, "0".repeat(32))).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await findEmployee(manager, org.people.southStaff.id)).toBeNull();
    expect((await getEmployee(manager, org.people.sh1Staff.id)).name).toBe("李小雨");
  });

  it("exports only the subtree", async () => {
    const exported: string[] = [];
    for await (const page of employeeExportPages(manager, params())) exported.push(...page.map((r) => r.employeeNo));
    expect(exported.sort()).toEqual(["E-001", "E-002", "M-001"]);
  });

  it("offers only the subtree's departments as filters", async () => {
    const options = await departmentOptions(manager);
    expect(options.map((d) => d.code)).toEqual(["SALES-EAST", "SALES-EAST-SH1"]);
  });

  it("drops an employee moved out of the subtree at once (the scope is a path prefix in the query)", async () => {
    await db.prisma.employee.update({ where: { id: org.people.eastStaff.id }, data: { departmentId: org.dept.south.id } });
    const { rows } = await listEmployees(manager, params());
    expect(rows.map((r) => r.employeeNo).sort()).toEqual(["E-002", "M-001"]);
    await db.prisma.employee.update({ where: { id: org.people.eastStaff.id }, data: { departmentId: org.dept.east.id } });
  });
});

describe("everyone else", () => {
  it("an administrator (directory.read:all) sees everyone and every department", async () => {
    const { total } = await listEmployees(admin, params());
    expect(total).toBe(await db.prisma.employee.count());
    expect((await departmentTree(admin)).map((d) => d.code)).toEqual(["HQ"]);
    expect((await getEmployee(admin, org.people.southStaff.id)).employeeNo).toBe("S-001");
  });

  it("an employee without a directory permission is refused by the query itself", async () => {
    await expect(listEmployees(employee, params())).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getEmployee(employee, org.people.plain.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(departmentTree(employee)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
