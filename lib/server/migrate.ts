import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { backfillPlainColumns } from "@/lib/pii/backfill";
import { grantAppRole } from "./db-roles";

// Applies prisma/migrations/<name>/migration.sql in name order and records each in
// _prisma_migrations exactly as `prisma migrate deploy` would (checksum = SHA-256 hex of the
// file), so a database migrated here stays valid for Prisma's own engine. One transaction per
// migration; an advisory lock keeps two starting servers from migrating at once. After the SQL,
// the data steps SQL cannot do: plain personal information left by older versions is encrypted
// with the application's key (lib/pii/backfill.ts; idempotent, a no-op once done).

const LOCK_KEY = 72707369; // Prisma's own advisory lock id, so we also exclude `migrate deploy`.

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

export async function readMigrations(dir = path.join(process.cwd(), "prisma", "migrations")): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export async function migrate(
  connectionString: string,
  options: {
    log?: (line: string) => void;
    migrations?: Migration[];
    /** null: grant to no role */
    appRole?: string | null;
    /** false: leave plain personal information for a later migrate (the backfill's own tests). */
    backfill?: boolean;
  } = {},
): Promise<string[]> {
  const log = options.log ?? (() => {});
  const migrations = options.migrations ?? (await readMigrations());
  const client = new pg.Client({ connectionString });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    for (const m of migrations) {
      const prior = done.get(m.name);
      if (prior) {
        if (!prior.finished_at) throw new Error(`Migration ${m.name} was started but never finished; resolve it by hand.`);
        if (prior.checksum !== m.checksum) {
          throw new Error(`Migration ${m.name} was changed after it was applied (checksum differs). Write a new migration instead.`);
        }
        continue;
      }
      const id = randomUUID();
      await client.query("BEGIN");
      try {
        // Checked again inside the transaction: PGlite's multiplexer shares one session between
        // connections, so there the advisory lock does not exclude a second runner, but its
        // transactions are serialised.
        const again = await client.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL`, [m.name]);
        if (again.rowCount) {
          await client.query("COMMIT");
          continue;
        }
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
          [id, m.checksum, m.name],
        );
        await client.query(m.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(m.name);
      log(`applied ${m.name}`);
    }
    // The application's own role (when it exists) gets its grants on whatever the migrations made
    // (lib/server/db-roles.ts; docs/decisions/0008-database-roles.md).
    if (options.appRole !== null) await grantAppRole(client, options.appRole);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
  if (options.backfill !== false) {
    for (const done of await backfillPlainColumns(connectionString, { log })) log(`encrypted ${done.encrypted} plain value(s) in ${done.table} (${done.batches} batch(es))`);
  }
  return applied;
}
