import { compareNames } from "@/lib/i18n/format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { employeeExportPages, listEmployees } from "@/lib/directory/queries";
import { employeeListSchema } from "@/lib/directory/schemas";
import type { Actor } from "@/lib/server/actor";
import { makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedOrganisation, type Organisation } from "./helpers";

let db: TestDb;
let org: Organisation;
let hr: Actor;

const list = (raw: Record<string, string> = {}) => listEmployees(hr, employeeListSchema.parse(raw));
const numbers = async (raw: Record<string, string> = {}) => (await list({ pageSize: "100", ...raw })).rows.map((r) => r.employeeNo);

beforeAll(async () => {
  db = await createTestDb();
  org = await seedOrganisation(db.prisma);
  hr = await actorFor(db.prisma, org.people.hr.id);
  await db.prisma.$transaction(async (tx) => {
    for (let i = 1; i <= 30; i++) {
      await makeEmployee(tx, {
        departmentId: org.dept.south.id,
        name: `Bulk ${String(i).padStart(2, "0")}`,
        email: `bulk${i}@example.test`,
        employeeNo: `B-${String(i).padStart(3, "0")}`,
        hireDate: new Date(Date.UTC(2020, 0, i)),
      });
    }
    await makeEmployee(tx, { departmentId: org.dept.hq.id, name: "Percent 100%", email: "a_b@example.test", employeeNo: "W-001" });
    await makeEmployee(tx, { departmentId: org.dept.hq.id, name: "Percent 1000", email: "axb@example.test", employeeNo: "W-002" });
  });
});
afterAll(async () => db?.close());

describe("the employee list", () => {
  it("searches name, employee number and e-mail, ignoring case", async () => {
    expect(await numbers({ q: "李小雨" })).toEqual(["E-002"]);
    expect(await numbers({ q: "m-00" })).toEqual(["M-001"]);
    expect(await numbers({ q: "ZHANG.WEI@" })).toEqual(["E-001"]);
    expect(await numbers({ q: "BULK 1" })).toHaveLength(10); // Bulk 10 … Bulk 19
  });

  it("treats % and _ in a search as the characters themselves", async () => {
    expect(await numbers({ q: "100%" })).toEqual(["W-001"]);
    expect(await numbers({ q: "a_b@" })).toEqual(["W-001"]);
    expect(await numbers({ q: "%" })).toEqual(["W-001"]);
  });

  it("survives control characters and oversized text in the search (no 500)", async () => {
    expect(await numbers({ q: "李小\u0000雨" })).toEqual(["E-002"]);
    const all = await list({ q: "x".repeat(1_000_000) });
    expect(all.total).toBe(await db.prisma.employee.count());
  });

  it("filters by department including its sub-departments", async () => {
    expect((await numbers({ department: org.dept.east.id })).sort()).toEqual(["E-001", "E-002", "M-001"]);
    expect(await numbers({ department: org.dept.sh1.id })).toEqual(["E-002"]);
    expect(await numbers({ department: "0".repeat(32) })).toEqual([]);
  });

  it("filters by role and by status, and combines filters", async () => {
    expect(await numbers({ role: "MANAGER" })).toEqual(["M-001"]);
    expect(await numbers({ status: "DEPARTED" })).toEqual(["S-002"]);
    expect(await numbers({ department: org.dept.south.id, status: "ACTIVE", q: "bulk 3" })).toEqual(["B-030"]);
    expect((await numbers({ department: org.dept.sales.id, role: "EMPLOYEE", q: "e-00" })).sort()).toEqual(["E-001", "E-002"]);
  });

  it("sorts by each column in both directions", async () => {
    expect((await numbers({ q: "bulk", sort: "employeeNo", dir: "desc" })).slice(0, 2)).toEqual(["B-030", "B-029"]);
    expect((await numbers({ q: "bulk", sort: "hireDate", dir: "asc" })).slice(0, 2)).toEqual(["B-001", "B-002"]);
    expect((await numbers({ q: "bulk", sort: "name", dir: "desc" }))[0]).toBe("B-030");
    expect((await numbers({ q: "@example.test", sort: "email" }))[0]).toBe("W-001"); // a_b@ < admin@
    const byDept = (await list({ pageSize: "100", sort: "department", dir: "asc" })).rows.map((r) => r.department.name);
    // By pinyin (the name columns' zh_pinyin collation), as the app's Intl.Collator('zh-CN') sorts.
    expect(byDept).toEqual([...byDept].sort(compareNames));
    const byStatus = (await list({ pageSize: "100", sort: "status", dir: "desc" })).rows.map((r) => r.status);
    expect(byStatus[0]).toBe("DEPARTED");
  });

  it("pages with a stable order and a total, clamping a page past the end", async () => {
    const first = await list({ q: "bulk", sort: "employeeNo", pageSize: "10", page: "1" });
    const third = await list({ q: "bulk", sort: "employeeNo", pageSize: "10", page: "3" });
    expect(first.total).toBe(30);
    expect(first.rows.map((r) => r.employeeNo)).toEqual(Array.from({ length: 10 }, (_, i) => `B-${String(i + 1).padStart(3, "0")}`));
    expect(third.rows[9].employeeNo).toBe("B-030");
    const beyond = await list({ q: "bulk", sort: "employeeNo", pageSize: "10", page: "99" });
    expect(beyond.page).toBe(3);
    expect(beyond.rows.map((r) => r.employeeNo)).toEqual(third.rows.map((r) => r.employeeNo));
  });

  it("falls back to defaults for nonsense parameters instead of failing", async () => {
    const parsed = employeeListSchema.parse({ page: "-3", pageSize: "7", sort: "passwordHash", dir: "sideways", role: "ROOT", status: "x", department: "<script>" });
    expect(parsed).toMatchObject({ page: 1, pageSize: 25, sort: "name", dir: "asc", role: undefined, status: undefined, department: undefined });
    await expect(listEmployees(hr, parsed)).resolves.toMatchObject({ page: 1 });
  });

  it("exports every matching row through keyset pages", async () => {
    const pages: string[][] = [];
    for await (const page of employeeExportPages(hr, employeeListSchema.parse({ q: "bulk" }), db.prisma, 7)) pages.push(page.map((r) => r.employeeNo));
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
    expect(new Set(pages.flat()).size).toBe(30);
  });
});
