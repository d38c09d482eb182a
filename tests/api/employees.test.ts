import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkUpsertEmployeesOp, createEmployeeOp, getEmployeeOp, leaveEmployeeOp, listDepartmentsOp, listEmployeesOp, updateEmployeeOp } from "@/lib/api/endpoints/employees";
import { verifyAuditChain } from "@/lib/server/audit-verify";
import { createCourse } from "@/lib/training/commands";
import { courseSchema } from "@/lib/training/schemas";
import { expectOk, run } from "../helpers/run-command";
import { courseInput } from "../training/helpers";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { call, seedApiOrganisation, tokenFor, type ApiOrganisation } from "./helpers";

// Employees and departments through /api/v1: scopes, the department scope, idempotency, ETag
// conflicts, bulk upsert all-or-nothing, a leaver opening its offboarding case, audit events.

let db: TestDb;
let org: ApiOrganisation;
let hrWrite: string;
let hrRead: string;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedApiOrganisation(db.prisma);
  hrWrite = await tokenFor(db.prisma, org.admin, org.hr.id, ["employees:read", "employees:write"]);
  hrRead = await tokenFor(db.prisma, org.admin, org.hr.id, ["employees:read"]);
});
afterAll(async () => db?.close());

const newEmployee = (n: string, departmentId: string) => ({ employeeNo: `API-${n}`, name: `接口员工${n}`, email: `api-${n}@example.test`, departmentId, hireDate: "2026-01-05" });

describe("employees", () => {
  it("lists with a cursor, one audit event per read naming the token", async () => {
    const first = await call(listEmployeesOp, { token: hrRead, query: { limit: "3" } });
    expect(first.status).toBe(200);
    expect(first.json.data).toHaveLength(3);
    expect(first.json.next_cursor).toEqual(expect.any(String));
    expect(first.headers.get("ratelimit-limit")).toBe("600");
    const second = await call(listEmployeesOp, { token: hrRead, query: { limit: "3", cursor: first.json.next_cursor } });
    expect(second.status).toBe(200);
    const ids = [...first.json.data, ...second.json.data].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(6);
    const ev = await db.prisma.auditEvent.findFirst({ where: { action: "api.read" }, orderBy: { id: "desc" } });
    expect(ev?.actorId).toBe(org.hr.id);
    expect(ev?.actorLabel).toContain("token wgp_");
    expect(ev?.after).toMatchObject({ operation: "listEmployees", rows: 3 });
  });

  it("refuses a tampered cursor, or one from other filters, with 400 invalid_cursor", async () => {
    const first = await call(listEmployeesOp, { token: hrRead, query: { limit: "2" } });
    const cursor: string = first.json.next_cursor;
    const tampered = `${cursor.slice(0, -3)}${cursor.endsWith("A") ? "B" : "A"}${cursor.slice(-2)}`;
    const queries: Record<string, string>[] = [{ cursor: tampered }, { cursor, status: "ACTIVE" }, { cursor: "garbage" }];
    for (const query of queries) {
      const res = await call(listEmployeesOp, { token: hrRead, query });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.json).toMatchObject({ code: "invalid_cursor", status: 400 });
    }
  });

  it("answers 401 without a token and 403 insufficient_scope without the scope; nothing written", async () => {
    expect((await call(listEmployeesOp, {})).json).toMatchObject({ status: 401, code: "unauthenticated" });
    const res = await call(createEmployeeOp, { token: hrRead, body: newEmployee("x", org.dept.hq.id) });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe("insufficient_scope");
    expect(await db.prisma.employee.count({ where: { employeeNo: "API-x" } })).toBe(0);
    // The refusal of a known token is audited, with the token as actor.
    const ev = await db.prisma.auditEvent.findFirst({ where: { action: "api.refused" }, orderBy: { id: "desc" } });
    expect(ev?.actorLabel).toContain("token wgp_");
    expect(ev?.after).toMatchObject({ operation: "createEmployee", status: 403, code: "insufficient_scope" });
  });

  it("creates once per Idempotency-Key; the same key with another body is 422", async () => {
    const headers = { "Idempotency-Key": "create-1" };
    const a = await call(createEmployeeOp, { token: hrWrite, body: newEmployee("1", org.dept.hq.id), headers });
    expect(a.status).toBe(201);
    const b = await call(createEmployeeOp, { token: hrWrite, body: newEmployee("1", org.dept.hq.id), headers });
    expect(b.status).toBe(201);
    expect(b.json).toEqual(a.json);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(await db.prisma.employee.count({ where: { employeeNo: "API-1" } })).toBe(1);
    const c = await call(createEmployeeOp, { token: hrWrite, body: newEmployee("2", org.dept.hq.id), headers });
    expect(c.status).toBe(422);
    expect(c.json.code).toBe("idempotency_key_reused");
    expect(await db.prisma.auditEvent.count({ where: { action: "employee.create", entityId: a.json.id } })).toBe(1);
  });

  it("concurrent retries with one key create once", async () => {
    const headers = { "Idempotency-Key": "concurrent-1" };
    const results = await Promise.all([1, 2, 3].map(() => call(createEmployeeOp, { token: hrWrite, body: newEmployee("c", org.dept.hq.id), headers })));
    for (const r of results) expect([201, 409]).toContain(r.status);
    expect(results.some((r) => r.status === 201)).toBe(true);
    expect(await db.prisma.employee.count({ where: { employeeNo: "API-c" } })).toBe(1);
  });

  it("refuses bad bodies with problem+json and field errors: unknown field, wrong type, enum, JSON, content type, size, depth", async () => {
    const cases: [object, number, string][] = [
      [{ body: { ...newEmployee("u", org.dept.hq.id), extra: 1 } }, 422, "validation_failed"],
      [{ body: { ...newEmployee("u", org.dept.hq.id), name: 5 } }, 422, "validation_failed"],
      [{ body: { ...newEmployee("u", org.dept.hq.id), roles: ["KING"] } }, 422, "validation_failed"],
      [{ rawBody: "{not json", headers: { "Content-Type": "application/json" } }, 400, "malformed_json"],
      [{ rawBody: JSON.stringify(newEmployee("u", org.dept.hq.id)), headers: { "Content-Type": "text/plain" } }, 415, "unsupported_media_type"],
      [{ rawBody: JSON.stringify({ a: "x".repeat(1_100_000) }), headers: { "Content-Type": "application/json" } }, 413, "payload_too_large"],
      [{ rawBody: `${"[".repeat(100)}${"]".repeat(100)}`, headers: { "Content-Type": "application/json" } }, 400, "too_deep"],
    ];
    for (const [options, status, code] of cases) {
      const res = await call(createEmployeeOp, { token: hrWrite, ...options });
      expect(res.status, code).toBe(status);
      expect(res.json).toMatchObject({ code, status, type: expect.stringContaining(code), title: expect.any(String) });
    }
    const unknown = await call(createEmployeeOp, { token: hrWrite, body: { ...newEmployee("u", org.dept.hq.id), extra: 1 } });
    expect(unknown.json.errors[0]).toMatchObject({ pointer: "", code: "unrecognized_keys" });
    expect(await db.prisma.employee.count({ where: { employeeNo: "API-u" } })).toBe(0);
  });

  it("updates with If-Match; a stale ETag is 412, none is 428", async () => {
    const created = await call(createEmployeeOp, { token: hrWrite, body: newEmployee("e", org.dept.hq.id) });
    const got = await call(getEmployeeOp, { token: hrRead, params: { id: created.json.id } });
    const etag = got.headers.get("etag")!;
    expect(etag).toBe(`W/"${got.json.version}"`);
    expect((await call(updateEmployeeOp, { token: hrWrite, params: { id: created.json.id }, body: { name: "改名" } })).status).toBe(428);
    const ok = await call(updateEmployeeOp, { token: hrWrite, params: { id: created.json.id }, body: { name: "改名" }, headers: { "If-Match": etag } });
    expect(ok.status).toBe(200);
    expect(ok.json.name).toBe("改名");
    const stale = await call(updateEmployeeOp, { token: hrWrite, params: { id: created.json.id }, body: { name: "又改" }, headers: { "If-Match": etag } });
    expect(stale.status).toBe(412);
    expect(stale.json.code).toBe("precondition_failed");
  });

  it("a department-scoped token sees its subtree only and cannot write outside it", async () => {
    const scoped = await tokenFor(db.prisma, org.admin, org.hr.id, ["employees:read", "employees:write"], { departmentId: org.dept.sales.id });
    const list = await call(listEmployeesOp, { token: scoped, query: { limit: "100" } });
    expect(list.status).toBe(200);
    const salesIds = [org.dept.sales.id, org.dept.east.id, org.dept.sh1.id, org.dept.south.id];
    expect(list.json.data.length).toBeGreaterThan(0);
    for (const e of list.json.data) expect(salesIds).toContain(e.department.id);
    expect((await call(getEmployeeOp, { token: scoped, params: { id: org.people.admin.id } })).status).toBe(404);
    const outside = await call(createEmployeeOp, { token: scoped, body: newEmployee("o", org.dept.it.id) });
    expect(outside.status).toBe(403);
    expect(outside.json.code).toBe("outside_department");
    expect((await call(listDepartmentsOp, { token: scoped })).json.data.map((d: { id: string }) => d.id).sort()).toEqual([...salesIds].sort());
  });

  it("a leaver opens the offboarding case", async () => {
    const created = await call(createEmployeeOp, { token: hrWrite, body: newEmployee("l", org.dept.hq.id) });
    const res = await call(leaveEmployeeOp, { token: hrWrite, params: { id: created.json.id }, body: {} });
    expect(res.status).toBe(201);
    expect(res.json.employee.status).toBe("OFFBOARDING");
    expect(await db.prisma.offboardingCase.count({ where: { employeeId: created.json.id, status: "OPEN" } })).toBe(1);
  });

  it("bulk upsert: all or nothing with per-row errors, then creates, updates and opens leavers", async () => {
    const rows = [
      { employeeNo: "B-1", name: "批量一", email: "b-1@example.test", departmentCode: "SALES", hireDate: "2026-02-01", managerNo: "B-2" },
      { employeeNo: "B-2", name: "批量二", email: "b-2@example.test", departmentCode: "HQ", hireDate: "2026-02-01" },
      { employeeNo: "E-001", name: "李小雨", email: "e-001@example.test", departmentCode: "SALES-EAST", hireDate: "2026-01-01", leaveDate: "2099-01-31" },
    ];
    const bad = await call(bulkUpsertEmployeesOp, { token: hrWrite, body: { employees: [...rows, { ...rows[1], employeeNo: "B-3", departmentCode: "NOPE" }] } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual([expect.objectContaining({ pointer: "/employees/3/email" }), expect.objectContaining({ pointer: "/employees/3/departmentCode" })].slice(0, bad.json.errors.length));
    expect(await db.prisma.employee.count({ where: { employeeNo: { in: ["B-1", "B-2"] } } })).toBe(0);
    const ok = await call(bulkUpsertEmployeesOp, { token: hrWrite, body: { employees: rows } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ created: 2, updated: 1, leavers: 1 });
    const b1 = await db.prisma.employee.findFirstOrThrow({ where: { employeeNo: "B-1" }, select: { manager: { select: { employeeNo: true } } } });
    expect(b1.manager?.employeeNo).toBe("B-2");
    expect(await db.prisma.offboardingCase.count({ where: { employeeId: org.people.alice.id, status: "OPEN" } })).toBe(1);
  });

  it("bulk upsert (set-based): every rule refused per row with its number, nothing written; one event a row, chained", async () => {
    const base = { hireDate: "2026-03-02", departmentCode: "SALES" };
    const refused = await call(bulkUpsertEmployeesOp, {
      token: hrWrite,
      body: {
        employees: [
          { ...base, employeeNo: "S-1", name: "集合一", email: "s-1@example.test" },
          { ...base, employeeNo: "S-2", name: "集合二", email: "e-002@example.test" }, // taken by 张伟
          { ...base, employeeNo: "S-3", name: "集合三", email: "s-3@example.test", managerNo: "NOBODY" },
          { ...base, employeeNo: "S-4", name: "集合四", email: "s-4@example.test", managerNo: "E-004" }, // departed
          { ...base, employeeNo: "S-5", name: "集合五", email: "s-5@example.test", managerNo: "S-5" },
          { ...base, employeeNo: "A-001", name: "周建国改", email: "a-001@example.test", departmentCode: "IT" }, // an ADMIN's record, HR may not change it
          { ...base, employeeNo: "S-8", name: "集合八", email: "s-8@example.test", roles: ["ADMIN"] },
        ],
      },
    });
    expect(refused.status).toBe(422);
    const byPointer = Object.fromEntries(refused.json.errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code]));
    expect(byPointer).toEqual({
      "/employees/1/email": "conflict",
      "/employees/2/managerNo": "validation",
      "/employees/3/managerNo": "validation",
      "/employees/4/managerNo": "validation",
      "/employees/5": "forbidden",
      "/employees/6/roles": "forbidden",
    });
    expect(await db.prisma.employee.count({ where: { employeeNo: { startsWith: "S-" } } })).toBe(0);

    const before = await db.prisma.auditEvent.count();
    const carolVersion = (await db.prisma.employee.findUniqueOrThrow({ where: { id: org.people.carol.id } })).version;
    const rows = [
      // A manager named further down, and one named further up: both are new rows of the batch.
      { ...base, employeeNo: "S-1", name: "集合一", email: "s-1@example.test", managerNo: "S-3" },
      { ...base, employeeNo: "S-2", name: "集合二", email: "s-2@example.test", roles: ["EMPLOYEE", "MANAGER"] },
      { ...base, employeeNo: "S-3", name: "集合三", email: "s-3@example.test", managerNo: "S-2" },
      { employeeNo: "E-003", name: "刘芳", email: "e-003@example.test", departmentCode: "SALES-EAST", hireDate: "2026-01-01", managerNo: "M-001" },
    ];
    const ok = await call(bulkUpsertEmployeesOp, { token: hrWrite, body: { employees: rows }, headers: { "Idempotency-Key": "bulk-set-1" } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ created: 3, updated: 1, unchanged: 0, leavers: 0 });
    const s1 = await db.prisma.employee.findFirstOrThrow({ where: { employeeNo: "S-1" }, select: { id: true, manager: { select: { employeeNo: true } }, roles: true } });
    expect(s1.manager?.employeeNo).toBe("S-3");
    expect(s1.roles.map((r) => r.role)).toEqual(["EMPLOYEE"]);
    const s2 = await db.prisma.employee.findFirstOrThrow({ where: { employeeNo: "S-2" }, select: { roles: { orderBy: { role: "asc" } } } });
    expect(s2.roles.map((r) => r.role).sort()).toEqual(["EMPLOYEE", "MANAGER"]);
    const carol = await db.prisma.employee.findUniqueOrThrow({ where: { id: org.people.carol.id }, select: { version: true, department: { select: { code: true } }, managerId: true } });
    expect(carol).toEqual({ version: carolVersion + 1, department: { code: "SALES-EAST" }, managerId: org.people.eastManager.id });
    const events = await db.prisma.auditEvent.findMany({ where: { id: { gt: BigInt(0) } }, orderBy: { id: "asc" }, skip: before, select: { action: true, entityId: true, before: true, after: true } });
    expect(events.filter((e) => e.action === "employee.create")).toHaveLength(3);
    const update = events.find((e) => e.action === "employee.update");
    expect(update).toMatchObject({ entityId: org.people.carol.id, before: { departmentId: org.dept.south.id }, after: { departmentId: org.dept.east.id, version: carolVersion + 1 } });
    expect(events.at(-1)?.action).toBe("employee.bulkUpsert");
    expect(await verifyAuditChain(db.url)).toMatchObject({ ok: true });

    // A retry with the key replays; the same rows again change nothing and are still audited.
    const replay = await call(bulkUpsertEmployeesOp, { token: hrWrite, body: { employees: rows }, headers: { "Idempotency-Key": "bulk-set-1" } });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const again = await call(bulkUpsertEmployeesOp, { token: hrWrite, body: { employees: rows } });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    expect(await db.prisma.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { action: true, after: true } })).toMatchObject({ action: "employee.bulkUpsert", after: { unchanged: 4 } });
  });

  it("bulk upsert runs the training hook once for the batch: new hires and moves get their courses, each audited", async () => {
    const course = expectOk(await run(db.prisma, org.admin, courseSchema, courseInput({ audienceKind: "EVERYONE" }), (ctx) => createCourse(ctx)));
    const rows = [1, 2, 3].map((n) => ({ employeeNo: `T-${n}`, name: `培训${n}`, email: `t-${n}@example.test`, departmentCode: "IT", hireDate: "2026-04-01" }));
    const ok = await call(bulkUpsertEmployeesOp, { token: hrWrite, body: { employees: rows } });
    expect(ok.status).toBe(200);
    const ids = ok.json.rows.map((r: { id: string }) => r.id);
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: course.id, employeeId: { in: ids } } })).toBe(3);
    const synced = await db.prisma.auditEvent.findMany({ where: { action: "training.sync", entityId: { in: ids } }, select: { after: true } });
    expect(synced).toHaveLength(3);
    for (const e of synced) expect(e.after).toMatchObject({ assigned: 1 });
    // A name change moves nobody: no sync; a move does, but the course is already assigned: no new event.
    const renamed = await call(bulkUpsertEmployeesOp, { token: hrWrite, body: { employees: rows.map((r, i) => ({ ...r, name: `${r.name}改`, departmentCode: i === 0 ? "SALES" : "IT" })) } });
    expect(renamed.json).toMatchObject({ updated: 3 });
    expect(await db.prisma.auditEvent.count({ where: { action: "training.sync", entityId: { in: ids } } })).toBe(3);
  });
});
