import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCOPES } from "@/lib/api-tokens/scopes";
import type { ApiOperation } from "@/lib/api/define";
import { listAuditEventsOp } from "@/lib/api/endpoints/audit";
import { createEmployeeOp, listDepartmentsOp, listEmployeesOp } from "@/lib/api/endpoints/employees";
import { checkConsentOp, createRequestOp, createSubjectOp, listRequestsOp } from "@/lib/api/endpoints/privacy";
import { getDashboardOp, listAccountsOp, listAssignmentsOp, listGroupsOp, listOffboardingOp } from "@/lib/api/endpoints/registers";
import { createCaseOp, listCasesOp } from "@/lib/api/endpoints/service";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { uniquePhone, usePiiKey } from "../privacy/helpers";
import { call, seedApiOrganisation, tokenFor, type ApiOrganisation } from "./helpers";

// One real-database pass over every endpoint family (docs/api.md): with a token whose owner may
// do it, the call succeeds; the same owner's token without the endpoint's scope is 403
// insufficient_scope (audited as api.refused, nothing else written); an invalid parameter or body
// is a 400/422 problem+json naming the field. The families' own rules (department scope, ETags,
// transitions, idempotency) are in employees.test.ts and endpoints.test.ts.

let db: TestDb;
let org: ApiOrganisation;

beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedApiOrganisation(db.prisma);
});
afterAll(async () => db?.close());

type Owner = "admin" | "hr" | "eastManager" | "privacy" | "auditor" | "alice";
const ownerId = (o: Owner) => (o === "hr" ? org.hr.id : org.people[o].id);
const otherScope = (op: ApiOperation) => API_SCOPES.find((s) => s !== op.scope && s.split(":")[0] !== op.scope.split(":")[0])!;

const READS: { family: string; op: ApiOperation; owner: Owner; query?: Record<string, string>; bad: Record<string, string>; pointer: string }[] = [
  { family: "employees", op: listEmployeesOp, owner: "hr", bad: { status: "GONE" }, pointer: "/status" },
  { family: "departments", op: listDepartmentsOp, owner: "admin", bad: { limit: "0" }, pointer: "/limit" },
  { family: "work groups", op: listGroupsOp, owner: "admin", bad: { limit: "100000" }, pointer: "/limit" },
  { family: "accounts", op: listAccountsOp, owner: "admin", bad: { limit: "many" }, pointer: "/limit" },
  { family: "offboarding cases", op: listOffboardingOp, owner: "hr", bad: { status: "DONE" }, pointer: "/status" },
  { family: "service cases", op: listCasesOp, owner: "eastManager", bad: { status: "NOPE" }, pointer: "/status" },
  { family: "consents", op: checkConsentOp, owner: "alice", query: { phone: "13800138000", purpose: "SERVICE" }, bad: { phone: "13800138000", purpose: "SERVICE", color: "red" }, pointer: "" },
  { family: "data-subject requests", op: listRequestsOp, owner: "privacy", bad: { type: "GOSSIP" }, pointer: "/type" },
  { family: "training assignments", op: listAssignmentsOp, owner: "hr", bad: { state: "sleeping" }, pointer: "/state" },
  { family: "dashboard", op: getDashboardOp, owner: "eastManager", bad: { department: "x", extra: "1" }, pointer: "" },
  { family: "audit events", op: listAuditEventsOp, owner: "auditor", bad: { since: "yesterday" }, pointer: "/since" },
];

describe.each(READS)("$family (read)", ({ op, owner, query, bad, pointer }) => {
  it(`${op.operationId}: succeeds with ${op.scope}; refused without it; a bad parameter is 400`, async () => {
    const token = await tokenFor(db.prisma, org.admin, ownerId(owner), [op.scope]);
    const ok = await call(op, { token, query });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);

    const wrong = await tokenFor(db.prisma, org.admin, ownerId(owner), [otherScope(op)]);
    const refusedBefore = await db.prisma.auditEvent.count({ where: { action: "api.refused" } });
    const refused = await call(op, { token: wrong, query });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.json.code).toBe("insufficient_scope");
    expect(refused.headers.get("www-authenticate")).toContain(op.scope);
    expect(await db.prisma.auditEvent.count({ where: { action: "api.refused" } })).toBe(refusedBefore + 1);

    const invalid = await call(op, { token, query: bad });
    expect(invalid.status).toBe(400);
    expect(invalid.json.code).toBe("invalid_query");
    if (pointer) expect(invalid.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    else expect(invalid.json.errors.length).toBeGreaterThan(0);
  });
});

const WRITES: { family: string; op: ApiOperation; owner: Owner; good: () => unknown; bad: unknown; pointer: string; count: () => Promise<number> }[] = [
  {
    family: "employees",
    op: createEmployeeOp,
    owner: "hr",
    good: () => ({ employeeNo: "F-1", name: "家族测试", email: "f-1@example.test", departmentId: org.dept.sales.id, hireDate: "2026-01-05" }),
    bad: { employeeNo: "F 2", name: "家族测试", email: "not-an-email", departmentId: "x", hireDate: "2026-13-01" },
    pointer: "/email",
    count: () => db.prisma.employee.count(),
  },
  {
    family: "service cases",
    op: createCaseOp,
    owner: "eastManager",
    good: () => ({ title: "家族测试工单", customerName: "钱先生", channel: "PHONE", caseType: "INQUIRY", priority: "LOW" }),
    bad: { title: "家族测试工单", customerName: "钱先生", channel: "PHONE", caseType: "INQUIRY", priority: "URGENTEST" },
    pointer: "/priority",
    count: () => db.prisma.serviceCase.count(),
  },
  {
    family: "consents",
    op: createSubjectOp,
    owner: "privacy",
    good: () => ({ name: "家族测试客户", phone: uniquePhone() }),
    bad: { name: "家族测试客户", phone: "12345" },
    pointer: "/phone",
    count: () => db.prisma.dataSubject.count(),
  },
  {
    family: "data-subject requests",
    op: createRequestOp,
    owner: "privacy",
    good: () => ({ subjectId: "__subject__", type: "COPY", channel: "PAPER" }),
    bad: { subjectId: "__subject__", type: "GOSSIP" },
    pointer: "/type",
    count: () => db.prisma.privacyRequest.count(),
  },
];

describe.each(WRITES)("$family (write)", ({ op, owner, good, bad, pointer, count }) => {
  it(`${op.operationId}: creates with ${op.scope}; refused without it or with a bad body, nothing written`, async () => {
    const fill = async (body: unknown) => {
      if (JSON.stringify(body).includes("__subject__")) {
        const writer = await tokenFor(db.prisma, org.admin, org.people.privacy.id, ["consents:write"]);
        const s = (await call(createSubjectOp, { token: writer, body: { name: "请求主体", phone: uniquePhone() } })).json.id as string;
        return JSON.parse(JSON.stringify(body).replace("__subject__", s));
      }
      return body;
    };
    const token = await tokenFor(db.prisma, org.admin, ownerId(owner), [op.scope]);
    const wrong = await tokenFor(db.prisma, org.admin, ownerId(owner), [otherScope(op)]);
    const goodBody = await fill(good());
    const badBody = await fill(bad);
    const before = await count();

    const refused = await call(op, { token: wrong, body: goodBody });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe("insufficient_scope");
    const invalid = await call(op, { token, body: badBody });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("content-type")).toBe("application/problem+json");
    expect(invalid.json.code).toBe("validation_failed");
    expect(invalid.json.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect(await count()).toBe(before);

    const created = await call(op, { token, body: goodBody });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.headers.get("location")).toContain(created.json.id);
    expect(await count()).toBe(before + 1);
    expect(await db.prisma.auditEvent.count({ where: { entityId: created.json.id, actorId: ownerId(owner) } })).toBeGreaterThan(0);
  });
});
