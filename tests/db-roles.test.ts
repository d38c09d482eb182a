import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeAuditEvent } from "@/lib/server/audit-write";
import { makeDepartment, makeEmployee } from "@/prisma/factories";
import { createTestDb, TEST_APP_ROLE, type TestDb } from "./helpers/test-db";

// The application's database role (docs/decisions/0008-database-roles.md): the code under test runs
// as it (tests/helpers/test-db.ts), with the grants lib/server/db-roles.ts gives. It can do its work,
// and it cannot change an append-only table, truncate anything, or switch a trigger off. PGlite
// has one user and no roles to speak of: PostgreSQL only.

const onPostgres = Boolean(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);
let db: TestDb;
let app: pg.Client;

beforeAll(async () => {
  db = await createTestDb();
  if (!onPostgres) return;
  app = new pg.Client({ connectionString: db.appUrl });
  await app.connect();
});
afterAll(async () => {
  await app?.end();
  await db?.close();
});

describe.skipIf(!onPostgres)("the application's database role", () => {
  it("is the role the app's Prisma client connects as: no superuser, owning nothing", async () => {
    const [me] = await db.prisma.$queryRaw<{ user: string; super: boolean; owned: bigint }[]>`
      SELECT current_user AS user, r.rolsuper AS super,
             (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) AS owned
        FROM pg_roles r WHERE r.rolname = current_user`;
    expect(me).toEqual({ user: TEST_APP_ROLE, super: false, owned: BigInt(0) });
  });

  it("does the application's work: reads and writes records, appends audit events", async () => {
    const dept = await db.prisma.$transaction((tx) => makeDepartment(tx, { name: "总公司", code: "HQ" }));
    const person = await db.prisma.$transaction((tx) => makeEmployee(tx, { departmentId: dept.id }));
    await db.prisma.employee.update({ where: { id: person.id }, data: { name: "改名" } });
    await db.prisma.$transaction((tx) => writeAuditEvent(tx, { id: null, label: "system", ip: null }, { action: "test.event", entityType: "Test", entityId: "1" }));
    expect(await db.prisma.auditEvent.count()).toBe(1);
  });

  it("may read and write every table but the migrations' own", async () => {
    const { rows } = await app.query<{ table: string; select: boolean; insert: boolean; truncate: boolean }>(
      `SELECT c.relname AS table, has_table_privilege(c.oid, 'SELECT') AS select, has_table_privilege(c.oid, 'INSERT') AS insert,
              has_table_privilege(c.oid, 'TRUNCATE') AS truncate
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    expect(rows.length).toBeGreaterThan(30);
    for (const r of rows) {
      const expected = r.table === "_prisma_migrations" ? { select: false, insert: false } : { select: true, insert: true };
      expect({ table: r.table, select: r.select, insert: r.insert, truncate: r.truncate }).toEqual({ table: r.table, ...expected, truncate: false });
    }
  });

  it.each(["audit_events", "consent_events", "training_attempts", "policy_versions", "content_publications"])(
    "is refused UPDATE, DELETE and TRUNCATE on the append-only %s by privilege, before any trigger",
    async (table) => {
      // Another column than "id" (UPDATE of "id" alone is granted for row locks; the trigger refuses it).
      const { rows } = await app.query<{ column: string }>(
        `SELECT column_name AS column FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'id' ORDER BY ordinal_position LIMIT 1`,
        [table],
      );
      const column = rows[0].column;
      await expect(app.query(`UPDATE "${table}" SET "${column}" = "${column}" WHERE false`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`DELETE FROM "${table}" WHERE false`)).rejects.toThrow(/permission denied/);
      await expect(app.query(`TRUNCATE "${table}"`)).rejects.toThrow(/permission denied/);
      // A row lock is allowed (it serialises writers); an UPDATE of "id" meets the trigger.
      await app.query(`BEGIN`);
      try {
        await app.query(`SELECT 1 FROM "${table}" WHERE false FOR UPDATE`);
      } finally {
        await app.query(`ROLLBACK`);
      }
    },
  );

  it("an UPDATE of the one column it may lock is still refused by the trigger", async () => {
    await expect(app.query(`UPDATE audit_events SET id = id`)).rejects.toThrow(/append-only: UPDATE refused/);
  });

  it("cannot switch the append-only triggers off, drop them, or bypass them", async () => {
    await expect(app.query(`ALTER TABLE audit_events DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`DROP TRIGGER audit_events_no_update_delete ON audit_events`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`CREATE TRIGGER t BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()`)).rejects.toThrow(/permission denied|must be owner/);
    await expect(app.query(`ALTER TABLE employees DISABLE TRIGGER employees_end_sessions`)).rejects.toThrow(/must be owner/);
    const { rows } = await app.query(`SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal ORDER BY tgname`);
    expect(rows.every((r) => r.tgenabled === "O")).toBe(true);
  });
});
