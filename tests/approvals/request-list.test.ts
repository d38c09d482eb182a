import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { permissionsOf } from "@/lib/auth/permissions";
import { listRequests, requestExportPages, requestListSchema } from "@/lib/approvals/request-list";
import { generateLargeDataset } from "@/lib/large-dataset/generate";
import { planFor } from "@/lib/large-dataset/plan";
import { generateKey, parseKey } from "@/lib/pii";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";

// The list of approval requests the dashboard's approval figures open: ADMIN/AUDITOR see all,
// a manager their subtree only; the filters count what the dashboard counts.

const now = new Date("2026-11-25T06:00:00Z");
let db: TestDb;
let client: pg.Client;
let admin: Actor;
let manager: Actor;

beforeAll(async () => {
  db = await createTestDb();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const plan = { ...planFor(0.001), employees: 300, groups: 1_200, contacts: 1_000, auditEvents: 100, serviceCases: 300, consents: 1_000 };
  await generateLargeDataset(client, plan, { now, ring: { current: parseKey(generateKey()), previous: null }, passwordHash: "x", log: () => {} });
  admin = await actorFor(db.prisma, "lgdemo1");
  manager = await actorFor(db.prisma, "lgdemo5");
}, 120_000);
afterAll(async () => {
  await client?.end();
  await db?.close();
});

const count = async (sql: string, params: unknown[] = []) => Number((await client.query<{ n: string }>(sql, params)).rows[0].n);
const params = (raw: Record<string, string> = {}) => requestListSchema.parse(raw);

describe("the approval requests list", () => {
  it("shows ADMIN every request, filtered by status and overdue exactly as counted in SQL", async () => {
    const all = await listRequests(admin, db.prisma, params(), now);
    expect(all.total).toBe(await count("SELECT count(*) AS n FROM approval_requests"));
    const overdue = await listRequests(admin, db.prisma, params({ status: "PENDING", overdue: "1" }), now);
    const expected = await count("SELECT count(DISTINCT r.id) AS n FROM approval_requests r JOIN approval_request_steps s ON s.request_id = r.id WHERE r.status = 'PENDING' AND s.status = 'PENDING' AND s.due_at < $1", [now]);
    expect(expected).toBeGreaterThan(0);
    expect(overdue.total).toBe(expected);
    for (const r of overdue.rows) expect(r.dueAt!.getTime()).toBeLessThan(now.getTime());
    // Oldest first when asked, as the "oldest pending" figure links.
    const oldest = await listRequests(admin, db.prisma, params({ status: "PENDING", dir: "asc" }), now);
    const times = oldest.rows.map((r) => r.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("shows a manager only the requests of their subtree, whatever department they ask for", async () => {
    const mine = await listRequests(manager, db.prisma, params(), now);
    const expected = await count(
      "SELECT count(*) AS n FROM approval_requests r JOIN departments d ON d.id = r.facts->>'managerOfDepartmentId' WHERE d.path LIKE $1",
      [`${manager.departmentPath}%`],
    );
    expect(mine.total).toBe(expected);
    expect(mine.total).toBeLessThan((await listRequests(admin, db.prisma, params(), now)).total);
    const outside = (await client.query<{ id: string }>("SELECT id FROM departments WHERE path NOT LIKE $1 AND depth > 0 LIMIT 1", [`${manager.departmentPath}%`])).rows[0].id;
    expect((await listRequests(manager, db.prisma, params({ department: outside }), now)).total).toBe(0);
    const employee = { ...manager, roles: ["EMPLOYEE" as const], permissions: permissionsOf(["EMPLOYEE"]) };
    await expect(listRequests(employee, db.prisma, params(), now)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("exports the same rows a page at a time", async () => {
    let rows = 0;
    const ids = new Set<string>();
    for await (const page of requestExportPages(manager, db.prisma, { status: "PENDING" }, now)) {
      rows += page.length;
      for (const r of page) ids.add(r.id);
    }
    expect(rows).toBe((await listRequests(manager, db.prisma, params({ status: "PENDING" }), now)).total);
    expect(ids.size).toBe(rows);
  });
});
