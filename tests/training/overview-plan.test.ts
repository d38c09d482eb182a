import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attentionPageSql, type PeopleFilter } from "@/lib/training/overview-sql";
import { makeDepartment } from "@/prisma/factories";
import { createTestDb, type TestDb } from "../helpers/test-db";

// The training overview's default view is one statement with the moment and the page as its
// values. PostgreSQL plans a prepared statement for the values given on its first five runs and
// then, when a plan for any values is estimated to cost no more than those, keeps that plan for the
// connection's later runs. Planning it for the values given cost 1.9–2.2 ms on every view at scale
// 1 (docs/performance.md, thirteenth session), so the statement reads the moment and the page
// through sub-selects, which no estimate sees into: every plan costs the same, and the sixth run
// keeps one. The estimates only differ with enough rows, so this runs on 20,000 people.

// A PostgreSQL server's behaviour: the embedded PGlite shares one session among its connections, and
// the portal names no statement there (lib/server/embedded-db.ts).
const onPostgres = Boolean(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);
const NOW = new Date("2026-11-25T02:00:00.000Z");
let db: TestDb;

describe.skipIf(!onPostgres)("the overview's default view", () => {
  beforeAll(async () => {
    db = await createTestDb();
    const department = await makeDepartment(db.prisma, { name: "总部", code: "PLAN" });
    const owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    try {
      await owner.query(
        `INSERT INTO "employees" ("id", "employee_no", "name", "email", "department_id", "status", "hire_date", "updated_at")
         SELECT 'plan' || g, 'P' || g, '员工' || g, 'plan' || g || '@example.com', $1,
                (CASE WHEN g % 40 = 0 THEN 'DEPARTED' ELSE 'ACTIVE' END)::"EmployeeStatus", DATE '2024-01-01', now()
           FROM generate_series(1, 20000) g`,
        [department.id],
      );
      // Up to three course and two policy due dates each, sorted, within ten days either side of NOW.
      await owner.query(
        `INSERT INTO "training_person_summaries" ("employee_id", "course_dues", "courses_done", "policy_dues", "policies_done")
         SELECT 'plan' || g,
                ARRAY(SELECT $1::timestamptz + ((g * 7919 + i * 104729) % 1728000) * interval '1 second' - interval '10 days' FROM generate_series(1, g % 4) i ORDER BY 1),
                g % 3,
                ARRAY(SELECT $1::timestamptz + ((g * 6151 + i * 15485863) % 1728000) * interval '1 second' - interval '10 days' FROM generate_series(1, (g / 4) % 3) i ORDER BY 1),
                g % 2
           FROM generate_series(1, 20000) g`,
        [NOW],
      );
      await owner.query(`ANALYZE "employees"; ANALYZE "training_person_summaries"`);
    } finally {
      await owner.end();
    }
  }, 120_000);
  afterAll(async () => db?.close());

  it("is planned once per connection: its plan depends on neither the moment nor the page, so PostgreSQL keeps one", async () => {
    const client = new pg.Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      for (const state of [undefined, "overdue", "open"] as const) {
        const name = `attention_${state ?? "all"}`;
        const f: PeopleFilter = { state };
        let rows = 0;
        for (let i = 0; i < 12; i++) {
          const q = attentionPageSql({ kind: "all" }, f, new Date(NOW.getTime() + (i - 6) * 86_400_000), { limit: [7, 25][i % 2], offset: (i % 3) * 25 })!;
          let k = 0;
          rows += (await client.query({ name, text: q.sql.replace(/\?/g, () => `$${++k}`), values: q.values })).rowCount ?? 0;
        }
        expect(rows).toBeGreaterThan(0);
        const plans = await client.query<{ generic_plans: string; custom_plans: string }>(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1`, [name]);
        // The first five runs are planned for their values (PostgreSQL's rule); the seven after them reuse one plan.
        expect({ state, generic: Number(plans.rows[0].generic_plans), custom: Number(plans.rows[0].custom_plans) }).toEqual({ state, generic: 7, custom: 5 });
      }
    } finally {
      await client.end();
    }
  });
});
