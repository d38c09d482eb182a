import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDepartment,
  createEmployee,
  moveDepartment,
  renameDepartment,
  setDepartmentManager,
  setEmployeeRoles,
  updateEmployee,
} from "@/lib/directory/commands";
import {
  departmentCreateSchema,
  departmentManagerSchema,
  departmentMoveSchema,
  departmentRenameSchema,
  employeeCreateSchema,
  employeeRolesSchema,
  employeeUpdateSchema,
} from "@/lib/directory/schemas";
import { verifyAuditChain } from "@/lib/server/audit-verify";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { run, seedOrganisation, type Organisation } from "./helpers";

// Every directory change writes exactly one audit event, in its own transaction, with the actor,
// the record, and what it was before and after; the chain stays verifiable.

let db: TestDb;
let org: Organisation;
let admin: Actor;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  admin = await actorFor(db.prisma, org.people.admin.id);
});
afterAll(async () => db?.close());

const version = async (id: string) => String((await db.prisma.department.findUniqueOrThrow({ where: { id } })).version);

describe("auditing the directory", () => {
  it("records one event per change, with before and after and never a password hash", async () => {
    let employeeId = "";
    let departmentId = "";
    const steps: { action: string; go: () => Promise<{ ok: boolean }> }[] = [
      {
        action: "employee.create",
        go: async () => {
          const o = await run(db.prisma, admin, employeeCreateSchema, { employeeNo: "AU-1", name: "审计对象", email: "au1@example.test", departmentId: org.dept.hq.id, hireDate: "2026-01-05", roles: "EMPLOYEE", password: "twelve chars ok!" }, createEmployee);
          if (o.ok) employeeId = o.data.id;
          return o;
        },
      },
      {
        action: "employee.update",
        go: () => run(db.prisma, admin, employeeUpdateSchema, { id: employeeId, version: "1", name: "审计对象二", email: "au1@example.test", departmentId: org.dept.hr.id, status: "ACTIVE", hireDate: "2026-01-05" }, updateEmployee),
      },
      { action: "employee.roles", go: () => run(db.prisma, admin, employeeRolesSchema, { id: employeeId, roles: ["EMPLOYEE", "AUDITOR"] }, setEmployeeRoles) },
      {
        action: "department.create",
        go: async () => {
          const o = await run(db.prisma, admin, departmentCreateSchema, { name: "审计部", code: "AUDIT", parentId: org.dept.hq.id }, createDepartment);
          if (o.ok) departmentId = o.data.id;
          return o;
        },
      },
      { action: "department.rename", go: async () => run(db.prisma, admin, departmentRenameSchema, { id: departmentId, version: await version(departmentId), name: "内部审计部" }, renameDepartment) },
      { action: "department.move", go: async () => run(db.prisma, admin, departmentMoveSchema, { id: departmentId, version: await version(departmentId), parentId: org.dept.hr.id }, moveDepartment) },
      { action: "department.setManager", go: async () => run(db.prisma, admin, departmentManagerSchema, { id: departmentId, version: await version(departmentId), managerNo: "AU-1" }, setDepartmentManager) },
    ];

    for (const step of steps) {
      const before = await db.prisma.auditEvent.count();
      expect(await step.go(), step.action).toMatchObject({ ok: true });
      expect(await db.prisma.auditEvent.count(), step.action).toBe(before + 1);
      const event = await db.prisma.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
      expect(event).toMatchObject({ action: step.action, actorId: admin.id, actorLabel: admin.email, ip: "127.0.0.1" });
      expect(event.entityId).toBe(step.action.startsWith("employee") ? employeeId : departmentId);
      expect(event.after, step.action).not.toBeNull();
      if (!step.action.endsWith(".create")) expect(event.before, step.action).not.toBeNull();
      expect(JSON.stringify([event.before, event.after])).not.toMatch(/passwordHash|argon2|twelve chars/);
    }
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: await db.prisma.auditEvent.count() });
  });

  it("records nothing for a refused change", async () => {
    const before = await db.prisma.auditEvent.count();
    await run(db.prisma, admin, departmentRenameSchema, { id: org.dept.hq.id, version: "99", name: "过期" }, renameDepartment);
    await run(db.prisma, admin, employeeRolesSchema, { id: admin.id, roles: ["EMPLOYEE"] }, setEmployeeRoles);
    await run(db.prisma, admin, employeeCreateSchema, { employeeNo: "AU-1", name: "重复", email: "dup@example.test", departmentId: org.dept.hq.id, hireDate: "2026-01-05", roles: "EMPLOYEE" }, createEmployee);
    expect(await db.prisma.auditEvent.count()).toBe(before);
  });
});
