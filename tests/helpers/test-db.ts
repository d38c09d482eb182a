import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { closeBulkReadPool } from "@/lib/server/bulk-read";
import { ensureAppRole, grantAppRole, urlAsRole } from "@/lib/server/db-roles";
import { startEmbeddedDb } from "@/lib/server/embedded-db";
import { migrate, readMigrations } from "@/lib/server/migrate";
import { createPrismaClient, type DbClient } from "@/lib/server/prisma-client";

// A freshly migrated database for one test file. With DATABASE_URL set (CI: the machine's
// PostgreSQL), it is cloned from a template database migrated once per set of migrations; without
// it, an in-memory PGlite is started and migrated.
//
// On PostgreSQL the code under test runs as the application's role, not as the owner: `prisma`
// (and the app's shared client) connect as TEST_APP_ROLE, which has exactly the grants
// lib/server/db-roles.ts gives the production role, so a missing grant fails here. `url` stays the
// owner's (superuser) connection, for tests that inspect the catalog or tamper as an administrator.
// PGlite has one user: there `appUrl` is `url`.

/** Its own name, so the tests never change the password of a `wegovern_app` someone runs. */
export const TEST_APP_ROLE = "wegovern_app_test";
const TEST_APP_PASSWORD = "wegovern-app-test";

export type TestDb = { url: string; appUrl: string; prisma: DbClient; close: () => Promise<void> };

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function templateFor(adminUrl: string): Promise<string> {
  const migrations = await readMigrations();
  const digest = createHash("sha256").update(migrations.map((m) => `${m.name}:${m.checksum}`).join("|")).digest("hex").slice(0, 12);
  // "roles1": templates made before the application role's grants existed are not reused.
  const template = `wg_tpl_${digest}_roles1`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // Several Vitest workers start at once: one builds the template, the others wait for it.
    await admin.query("SELECT pg_advisory_lock(4200777)");
    await ensureAppRole(admin, TEST_APP_PASSWORD, TEST_APP_ROLE);
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (exists.rowCount === 0) {
      const building = `${template}_build_${randomBytes(3).toString("hex")}`;
      await admin.query(`CREATE DATABASE "${building}"`);
      await migrate(withDatabase(adminUrl, building), { migrations });
      const owner = new pg.Client({ connectionString: withDatabase(adminUrl, building) });
      await owner.connect();
      try {
        await grantAppRole(owner, TEST_APP_ROLE);
      } finally {
        await owner.end();
      }
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    }
    return template;
  } finally {
    await admin.query("SELECT pg_advisory_unlock(4200777)").catch(() => {});
    await admin.end();
  }
}

export async function createTestDb(): Promise<TestDb> {
  // The audit chain's key lives outside the database (lib/server/audit-hash.ts): one per test file.
  process.env.AUDIT_HMAC_KEY ??= randomBytes(32).toString("base64");
  const adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let url: string;
  let appUrl: string;
  let dispose: () => Promise<void>;
  if (adminUrl) {
    const template = await templateFor(adminUrl);
    const name = `wg_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    await admin.end();
    url = withDatabase(adminUrl, name);
    // The grants again on each copy: database-level ones are not copied from a template, and a
    // template built before lib/server/db-roles.ts changed would carry the old ones.
    const owner = new pg.Client({ connectionString: url });
    await owner.connect();
    try {
      await grantAppRole(owner, TEST_APP_ROLE);
    } finally {
      await owner.end();
    }
    appUrl = urlAsRole(url, TEST_APP_ROLE, TEST_APP_PASSWORD);
    dispose = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    const embedded = await startEmbeddedDb({ maxConnections: 12 });
    await migrate(embedded.url);
    url = embedded.url;
    appUrl = url;
    dispose = embedded.stop;
  }
  const prisma = createPrismaClient(appUrl, 5);
  // Code under test that reaches for the app's shared client (lib/server/db) gets this database.
  process.env.DATABASE_URL_UNDER_TEST = appUrl;
  (globalThis as { wegovernDb?: DbClient }).wegovernDb = prisma;
  return {
    url,
    appUrl,
    prisma,
    async close() {
      await prisma.$disconnect();
      await closeBulkReadPool();
      delete (globalThis as { wegovernDb?: DbClient }).wegovernDb;
      await dispose();
    },
  };
}
