import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listGroups } from "@/lib/groups/queries";
import { groupListSchema } from "@/lib/groups/schemas";
import type { Actor } from "@/lib/server/actor";
import { migrate, readMigrations } from "@/lib/server/migrate";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { actorFor } from "../helpers/actors";
import { createTestDb, type TestDb } from "../helpers/test-db";

// The registry's total for a view of every group is the kept sum of work_group_tally (migration
// 20261215_s37_work_group_tally), not a count. Here the sum is held against count(*) after every
// kind of write that changes the number of groups — one group, many in one statement, deletes,
// a rollback, TRUNCATE, more than 64 statements (the rows folded into one) — and, on PostgreSQL,
// with writers on several connections at once, folding while others have rows not yet committed.
// The registry's own answer is checked too: an administrator's unfiltered view shows the sum, and
// a filtered one still counts.

const onPostgres = Boolean(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);

let db: TestDb;
let admin: Actor;
let departmentId: string;
let ownerId: string;
let serial = 0;

/** INSERT of `n` groups in one statement; returns its SQL and parameters. */
function insertGroups(n: number): [string, unknown[]] {
  const from = serial;
  serial += n;
  return [
    `INSERT INTO work_groups (id, name, name_parts, policy_version, purpose, platform, kind, department_id, owner_id, requester_id, classification, expected_size, status, updated_at)
     SELECT 'tally' || lpad((($1::int) + g)::text, 8, '0'), '计数群' || (($1::int) + g), '{}'::jsonb, 1, '计数', 'WECOM', 'INTERNAL', $2, $3, $3, 'INTERNAL', 10, 'ACTIVE', now()
       FROM generate_series(1, $4::int) g`,
    [from, departmentId, ownerId, n],
  ];
}

async function tally(client: { query: (sql: string) => Promise<{ rows: Array<Record<string, unknown>> }> }) {
  const { rows } = await client.query(`SELECT (SELECT coalesce(sum(delta), 0)::int FROM work_group_tally) AS sum, (SELECT count(*)::int FROM work_groups) AS count, (SELECT count(*)::int FROM work_group_tally) AS rows`);
  return rows[0] as { sum: number; count: number; rows: number };
}

const query = (sql: string, params: unknown[] = []) => db.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(sql, ...params);
const exec = (sql: string, params: unknown[] = []) => db.prisma.$executeRawUnsafe(sql, ...params);
/** A statement the application's role may not run (TRUNCATE), as the schema's owner. */
async function asOwner(sql: string) {
  if (db.appUrl === db.url) return void (await exec(sql));
  const owner = new pg.Client({ connectionString: db.url });
  await owner.connect();
  try {
    await owner.query(sql);
  } finally {
    await owner.end();
  }
}
const viaPrisma = { query: async (sql: string) => ({ rows: await query(sql) }) };

beforeAll(async () => {
  db = await createTestDb();
  const dept = await makeDepartment(db.prisma, { name: "计数部", code: "TALLY" });
  const person = await makeEmployee(db.prisma, { departmentId: dept.id, name: "计数管理员", employeeNo: "T-001", email: "t-001@example.test", roles: ["ADMIN", "EMPLOYEE"] });
  departmentId = dept.id;
  ownerId = person.id;
  admin = await actorFor(db.prisma, person.id);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe("the kept number of groups", () => {
  it("follows inserts of one group and of many in one statement, deletes, and a rollback", async () => {
    expect(await tally(viaPrisma)).toMatchObject({ sum: 0, count: 0 });
    await exec(...insertGroups(1));
    await exec(...insertGroups(250));
    expect(await tally(viaPrisma)).toMatchObject({ sum: 251, count: 251 });

    await exec(`DELETE FROM work_groups WHERE id IN (SELECT id FROM work_groups ORDER BY id LIMIT 40)`);
    await exec(`DELETE FROM work_groups WHERE id = 'no such group'`);
    expect(await tally(viaPrisma)).toMatchObject({ sum: 211, count: 211 });

    await expect(
      db.prisma.$transaction(async (tx) => {
        const [sql, params] = insertGroups(5);
        await tx.$executeRawUnsafe(sql, ...params);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await tally(viaPrisma)).toMatchObject({ sum: 211, count: 211 });
  });

  it("folds its rows into one once more than 64 statements have written, and stays exact", async () => {
    for (let i = 0; i < 70; i++) await exec(...(i % 10 === 9 ? ([`DELETE FROM work_groups WHERE id = (SELECT max(id) FROM work_groups)`, []] as [string, unknown[]]) : insertGroups(2)));
    const after = await tally(viaPrisma);
    expect(after.sum).toBe(after.count);
    expect(after.count).toBe(211 + 63 * 2 - 7);
    // Without folding there would be 71 rows or more (the starting ones and one per statement).
    expect(after.rows).toBeLessThanOrEqual(65);
  });

  it("is the registry's total for an administrator's unfiltered view; a filtered view counts", async () => {
    const { count } = await tally(viaPrisma);
    const all = await listGroups(admin, db.prisma, groupListSchema.parse({}));
    expect(all.total).toBe(count);
    // A row the triggers did not write moves the unfiltered total only: the view reads the sum.
    await exec(`INSERT INTO work_group_tally (delta) VALUES (1000)`);
    try {
      expect((await listGroups(admin, db.prisma, groupListSchema.parse({}))).total).toBe(count + 1000);
      expect((await listGroups(admin, db.prisma, groupListSchema.parse({ status: "ACTIVE" }))).total).toBe(count);
      expect((await listGroups(admin, db.prisma, groupListSchema.parse({ q: "计数群" }))).total).toBe(count);
    } finally {
      await exec(`INSERT INTO work_group_tally (delta) VALUES (-1000)`);
    }
  });

  it("is nothing after TRUNCATE, and counts again from there", async () => {
    await asOwner(`TRUNCATE work_groups CASCADE`);
    expect(await tally(viaPrisma)).toMatchObject({ sum: 0, count: 0, rows: 0 });
    await exec(...insertGroups(3));
    expect(await tally(viaPrisma)).toMatchObject({ sum: 3, count: 3 });
  });
});

describe.skipIf(!onPostgres)("the kept number of groups, with writers at once", () => {
  it("stays exact while others insert and delete on their own connections, folding while rows are uncommitted", async () => {
    const clients = Array.from({ length: 4 }, () => new pg.Client({ connectionString: db.appUrl }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      // One connection holds a transaction with its own row of the tally open the whole time;
      // the others write 120 statements between them, so folds happen around it.
      const [held, ...writers] = clients;
      await held.query("BEGIN");
      await held.query(...insertGroups(7));
      await Promise.all(
        writers.map(async (c, w) => {
          for (let i = 0; i < 40; i++) {
            await c.query("BEGIN");
            await c.query(...insertGroups(1 + ((i + w) % 3)));
            if (i % 4 === 3) await c.query(`DELETE FROM work_groups WHERE id = (SELECT min(id) FROM work_groups WHERE id LIKE 'tally%')`);
            await c.query(i % 13 === 12 ? "ROLLBACK" : "COMMIT");
          }
        }),
      );
      const before = await tally(writers[0]);
      expect(before.sum).toBe(before.count);
      // With no one else writing, the next statement finds every row committed so far: past 64 it
      // folds them into one, so at most 64 remain. Without folding the writers' 141 committed
      // statements would have left more than that. How many rows a writer sees *during* the run
      // has no such bound: while one transaction holds the fold's lock, the others' statements
      // keep adding rows (measured under load: 69).
      await writers[0].query(...insertGroups(1));
      const folded = await tally(writers[0]);
      expect(folded.sum).toBe(folded.count);
      expect(folded.rows).toBeLessThanOrEqual(64);
      // `held`'s row was not visible to any fold, so it was neither removed nor counted: it comes
      // in whole when it commits.
      await held.query("COMMIT");
      const after = await tally(writers[0]);
      expect(after.sum).toBe(after.count);
      expect(after.count).toBe(folded.count + 7);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  }, 120_000);
});

describe.skipIf(!onPostgres)("the migration that starts the tally", () => {
  const MIGRATION = "20261215_s37_work_group_tally";
  const adminUrl = (process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL)!;
  const name = `wg_test_tally_${randomBytes(4).toString("hex")}`;
  const at = (database: string) => Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it("counts the groups a server of the previous version is inserting while it runs", async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = at(name);
    const all = await readMigrations();
    await migrate(url, { migrations: all.filter((m) => m.name < MIGRATION), appRole: null, backfill: false });
    const writer = new pg.Client({ connectionString: url });
    const watcher = new pg.Client({ connectionString: url });
    await Promise.all([writer.connect(), watcher.connect()]);
    const group = (id: string) =>
      writer.query(`INSERT INTO work_groups (id, name, name_parts, policy_version, purpose, platform, kind, department_id, classification, expected_size, status, updated_at)
                    VALUES ($1, $1, '{}'::jsonb, 1, '计数', 'WECOM', 'INTERNAL', 'd1', 'INTERNAL', 10, 'ACTIVE', now())`, [id]);
    try {
      await writer.query(`INSERT INTO departments (id, name, code, path, depth, updated_at) VALUES ('d1', '计数部', 'D1', '/d1/', 0, now())`);
      await group("before");
      // The previous version's server inserts three groups in a transaction it has not committed.
      await writer.query("BEGIN");
      for (const id of ["during1", "during2", "during3"]) await group(id);
      const running = migrate(url, { appRole: null, backfill: false });
      // The migration waits for that transaction (its lock), rather than counting around it.
      let waited = false;
      for (let i = 0; i < 600 && !waited; i++) {
        const { rows } = await watcher.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [name]);
        waited = rows[0].n > 0;
        if (!waited) await new Promise((r) => setTimeout(r, 50));
      }
      expect(waited).toBe(true);
      await writer.query("COMMIT");
      expect(await running).toEqual([MIGRATION, ...all.filter((m) => m.name > MIGRATION).map((m) => m.name)]);
      await group("after");
      expect(await tally(watcher)).toMatchObject({ sum: 5, count: 5 });
    } finally {
      await Promise.all([writer.end(), watcher.end()]);
    }
  }, 120_000);
});
