import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWorkingDay, localDateOf } from "@/lib/calendar";
import { loadCalendar } from "@/lib/calendar/store";
import { generateLargeDataset } from "@/lib/large-dataset/generate";
import { planDepartments, planFor, type DatasetPlan } from "@/lib/large-dataset/plan";
import { decrypt, generateKey, parseKey, type PiiKeyring } from "@/lib/pii";
import { verifyAuditChain } from "@/lib/server/audit-verify";
import { createTestDb, type TestDb } from "../helpers/test-db";

describe("planning the large dataset", () => {
  it("gives issue 9's sizes at scale 1 and refuses nonsense scales", () => {
    expect(planFor(1)).toMatchObject({ departments: 300, employees: 20_000, groups: 100_000, accounts: 2_000, contacts: 1_000_000, auditEvents: 2_000_000 });
    expect(planFor(0.5).groups).toBe(50_000);
    for (const bad of [0, -1, Number.NaN, 6]) expect(() => planFor(bad)).toThrow(RangeError);
  });

  it("puts everyone in a 4-level tree with skewed department sizes", () => {
    const depts = planDepartments(300, 20_000);
    expect(depts).toHaveLength(300);
    expect(depts.reduce((a, d) => a + d.size, 0)).toBe(20_000);
    expect(new Set(depts.map((d) => d.depth))).toEqual(new Set([0, 1, 2, 3]));
    expect(Math.min(...depts.map((d) => d.size))).toBeGreaterThanOrEqual(2);
    for (const d of depts.slice(1)) expect(depts[d.parentIndex!].depth).toBe(d.depth - 1);
    const teams = depts.filter((d) => d.depth === 3).map((d) => d.size).sort((a, b) => a - b);
    const median = teams[Math.floor(teams.length / 2)];
    expect(teams[teams.length - 1]).toBeGreaterThan(5 * median);
  });
});

describe("generating a small company", () => {
  let db: TestDb;
  let client: pg.Client;
  let plan: DatasetPlan;
  const ring: PiiKeyring = { current: parseKey(generateKey()), previous: null };
  const now = new Date("2026-11-25T06:00:00Z");
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDb();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    plan = { ...planFor(0.001), groups: 400, contacts: 3_000, auditEvents: 2_500 };
    await generateLargeDataset(client, plan, { now, ring, passwordHash: "x", log: (l) => lines.push(l) });
  }, 120_000);
  afterAll(async () => {
    await client?.end();
    await db?.close();
  });

  const count = async (sql: string) => Number((await client.query<{ n: string }>(`SELECT (${sql})::text AS n`)).rows[0].n);

  it("writes the planned number of rows and reports progress", async () => {
    expect(await count("SELECT count(*) FROM departments")).toBe(plan.departments);
    expect(await count("SELECT count(*) FROM employees WHERE id LIKE 'lgemp%'")).toBe(plan.employees);
    expect(await count("SELECT count(*) FROM work_groups")).toBe(plan.groups);
    expect(await count("SELECT count(*) FROM accounts")).toBe(plan.accounts);
    expect(await count("SELECT count(*) FROM customer_contacts")).toBe(plan.contacts);
    expect(await count("SELECT count(*) FROM audit_events")).toBe(plan.auditEvents);
    expect(lines.some((l) => l.startsWith("audit events:"))).toBe(true);
  });

  it("keeps the tree, the people and the groups consistent", async () => {
    expect(await count("SELECT count(*) FROM employees e LEFT JOIN departments d ON d.id = e.department_id WHERE d.id IS NULL")).toBe(0);
    expect(await count("SELECT count(*) FROM departments c JOIN departments p ON p.id = c.parent_id WHERE c.path <> p.path || c.id || '/' OR c.depth <> p.depth + 1")).toBe(0);
    expect(await count("SELECT count(*) FROM work_groups g JOIN employees e ON e.id = g.owner_id WHERE g.department_id <> e.department_id")).toBe(0);
    expect(await count("SELECT count(*) FROM departments d JOIN employees m ON m.id = d.manager_id WHERE m.status <> 'ACTIVE'")).toBe(0);
    expect(await count("SELECT count(*) FROM employees WHERE status = 'DEPARTED' AND leave_date IS NULL")).toBe(0);
    // Most groups are live, a few percent are overdue for review.
    const active = await count("SELECT count(*) FROM work_groups WHERE status = 'ACTIVE'");
    expect(active / plan.groups).toBeGreaterThan(0.75);
    const overdue = await count(`SELECT count(*) FROM work_groups WHERE status = 'ACTIVE' AND review_due_at < '${now.toISOString()}'`);
    expect(overdue).toBeGreaterThan(0);
    expect(overdue / active).toBeLessThan(0.15);
  });

  it("makes every pending approval answerable, due on a working day as the calendar says", async () => {
    const calendar = await loadCalendar(db.prisma);
    const { rows } = await client.query<{ approver_id: string | null; role: string | null; due_at: Date; activated_at: Date }>(
      "SELECT approver_id, role::text, due_at, activated_at FROM approval_request_steps WHERE status = 'PENDING'",
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBe(await count("SELECT count(*) FROM work_groups WHERE status IN ('PENDING_APPROVAL', 'DISSOLUTION_PENDING')"));
    for (const r of rows) {
      expect(r.approver_id ?? r.role).toBeTruthy();
      expect(r.due_at.getTime()).toBeGreaterThan(r.activated_at.getTime());
      expect(isWorkingDay(calendar.definition, localDateOf(calendar.definition, r.due_at))).toBe(true);
    }
  });

  it("encrypts account identifiers with the given key and keeps the audit chain intact", async () => {
    const { rows } = await client.query<{ platform_id_cipher: string; platform_id_mask: string }>("SELECT platform_id_cipher, platform_id_mask FROM accounts LIMIT 5");
    for (const r of rows) {
      const clear = decrypt(r.platform_id_cipher, ring);
      expect(clear).toMatch(/^wx_lg_\d{6}$/);
      expect(r.platform_id_mask).not.toBe(clear);
    }
    expect(await verifyAuditChain(db.url)).toEqual({ ok: true, count: plan.auditEvents });
  });

  it("refuses a database that already has people", async () => {
    await expect(generateLargeDataset(client, plan, { now, ring, passwordHash: "x", log: () => {} })).rejects.toThrow(/already has employees/);
  });
});
