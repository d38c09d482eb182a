import type pg from "pg";

// The database roles (docs/decisions/0008-database-roles.md). Migrations run as the owner of the
// schema (the role in the migration URL); the application runs as a role that owns nothing, so it
// can neither drop nor disable a trigger (ALTER TABLE needs ownership), nor set
// session_replication_role (superuser only), nor change or remove a row of an append-only table.
// Kept free of "server-only" so the migration runner and the tests can use it.

export const APP_ROLE = "wegovern_app";
/** pg-boss's schema (lib/jobs/config.ts JOBS_SCHEMA; not imported: this file stays dependency-free). */
const JOBS_SCHEMA = "pgboss";

/**
 * The grants of the application's role, applied by the owner after every migration run (so a new
 * table is covered the moment it is created): read and write every table of the schema, use its
 * sequences, and create (and own) the job queue's schema: pg-boss makes its own tables. On an
 * append-only table (a BEFORE UPDATE/DELETE trigger whose function is named `*_refuse_change`, the
 * migrations' convention) only SELECT, INSERT and UPDATE of "id" (for row locks; the trigger
 * refuses the UPDATE itself). TRUNCATE nowhere.
 */
export async function grantAppRole(client: pg.Client, role = APP_ROLE): Promise<{ appendOnly: string[] }> {
  const exists = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role]);
  if (exists.rowCount === 0) return { appendOnly: [] };
  const r = `"${role.replace(/"/g, '""')}"`;
  const { rows } = await client.query<{ table: string }>(
    `SELECT DISTINCT c.relname AS table
       FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE n.nspname = 'public' AND NOT t.tgisinternal
        AND (t.tgtype & 2) <> 0          -- a BEFORE trigger…
        AND (t.tgtype & (8 | 16)) <> 0   -- …on DELETE or UPDATE…
        AND p.proname LIKE '%refuse\\_change' -- …whose function refuses every change (the convention of the migrations)
      ORDER BY 1`,
  );
  const appendOnly = rows.map((x) => x.table);
  const database = (await client.query<{ db: string }>(`SELECT current_database() AS db`)).rows[0].db;
  await client.query(`GRANT CONNECT, CREATE ON DATABASE "${database.replace(/"/g, '""')}" TO ${r}`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
  await client.query(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${r}`);
  await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
  // The migrations' own bookkeeping is the owner's alone.
  await client.query(`REVOKE ALL ON TABLE "_prisma_migrations" FROM ${r}`);
  for (const table of appendOnly) {
    const t = `"${table.replace(/"/g, '""')}"`;
    await client.query(`REVOKE UPDATE, DELETE ON TABLE ${t} FROM ${r}`);
    // SELECT … FOR UPDATE (a row lock that serialises, e.g., two withdrawals of one consent) needs
    // UPDATE on one column; "id" only, and the trigger still refuses any UPDATE.
    const hasId = await client.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'id'`, [table]);
    if (hasId.rowCount) await client.query(`GRANT UPDATE ("id") ON TABLE ${t} TO ${r}`);
  }
  // The job queue's schema belongs to the application's role, which pg-boss runs as: it creates
  // a table per queue and migrates its own schema. One made earlier by another role is handed over.
  const jobs = await client.query<{ owner: string }>(`SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = $1`, [JOBS_SCHEMA]);
  if (jobs.rowCount && jobs.rows[0].owner !== role) {
    const q = `"${JOBS_SCHEMA}"`;
    await client.query(`ALTER SCHEMA ${q} OWNER TO ${r}`);
    const objects = await client.query<{ kind: string; name: string }>(
      `SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' WHEN c.relkind = 'v' THEN 'VIEW' ELSE 'TABLE' END AS kind, c.relname AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') AND c.relkind = 'S')`,
      [JOBS_SCHEMA],
    );
    for (const o of objects.rows) await client.query(`ALTER ${o.kind} ${q}."${o.name.replace(/"/g, '""')}" OWNER TO ${r}`);
    const fns = await client.query<{ sig: string }>(`SELECT p.oid::regprocedure::text AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1`, [JOBS_SCHEMA]);
    for (const f of fns.rows) await client.query(`ALTER ROUTINE ${f.sig} OWNER TO ${r}`);
  }
  return { appendOnly };
}

/** Creates the application's login role when the connected user may (a superuser, or a role with
 * CREATEROLE), with this password; an existing role gets the password again only with
 * `resetPassword`. Never a superuser. */
export async function ensureAppRole(client: pg.Client, password: string | null, role = APP_ROLE, options: { resetPassword?: boolean } = {}): Promise<boolean> {
  const me = await client.query<{ super: boolean; createrole: boolean }>(`SELECT rolsuper AS super, rolcreaterole AS createrole FROM pg_roles WHERE rolname = current_user`);
  const exists = (await client.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])).rowCount !== 0;
  if (!me.rows[0]?.super && !me.rows[0]?.createrole) return exists;
  const r = `"${role.replace(/"/g, '""')}"`;
  const pw = password === null ? "" : ` PASSWORD '${password.replace(/'/g, "''")}'`;
  if (!exists) {
    try {
      await client.query(`CREATE ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${pw}`);
    } catch (error) {
      // Two processes creating it at once: the other one won.
      if ((error as { code?: string }).code !== "42710" && (error as { code?: string }).code !== "23505") throw error;
    }
  } else if (pw && options.resetPassword) {
    await client.query(`ALTER ROLE ${r} WITH LOGIN${pw}`);
  }
  return true;
}

/** The same connection string as another user. */
export function urlAsRole(url: string, role: string, password: string | null): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role);
  u.password = password ? encodeURIComponent(password) : "";
  return u.toString();
}
