import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "@/lib/server/migrate";
import { createTestDb, type TestDb } from "./helpers/test-db";

let db: TestDb;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDb();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.close();
});

describe("the migration runner", () => {
  it("records every migration the way Prisma does (checksum = SHA-256 of the file)", async () => {
    const files = await readMigrations();
    const { rows } = await client.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, f] of files.entries()) {
      expect(rows[i].checksum).toBe(createHash("sha256").update(f.sql).digest("hex"));
      expect(rows[i].finished_at).toBeInstanceOf(Date);
      expect(rows[i].applied_steps_count).toBe(1);
    }
  });

  it("applies nothing a second time", async () => {
    expect(await migrate(db.url)).toEqual([]);
  });

  it("refuses a migration whose file changed after it was applied", async () => {
    const files = await readMigrations();
    const altered = files.map((f, i) => (i === 0 ? { ...f, checksum: "0".repeat(64) } : f));
    await expect(migrate(db.url, { migrations: altered })).rejects.toThrow(/changed after it was applied/);
  });

  it("rolls a failing migration back whole and records nothing for it", async () => {
    const files = await readMigrations();
    const broken = { name: "29990101000000_broken", sql: `CREATE TABLE "half_done" (id int); SELECT * FROM "no_such_table";`, checksum: "x".repeat(64) };
    await expect(migrate(db.url, { migrations: [...files, broken] })).rejects.toThrow(/29990101000000_broken failed/);
    const table = await client.query(`SELECT to_regclass('public.half_done') AS t`);
    expect(table.rows[0].t).toBeNull();
    const recorded = await client.query(`SELECT 1 FROM _prisma_migrations WHERE migration_name = $1`, [broken.name]);
    expect(recorded.rowCount).toBe(0);
  });

  it("lets only one of two concurrent runners apply a new migration", async () => {
    const files = await readMigrations();
    const extra = { name: "29990102000000_extra", sql: `CREATE TABLE "extra_once" (id int)`, checksum: "e".repeat(64) };
    const results = await Promise.all([migrate(db.url, { migrations: [...files, extra] }), migrate(db.url, { migrations: [...files, extra] })]);
    expect(results.flat()).toEqual([extra.name]);
  });
});
