import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { APP_ROLE, ensureAppRole, urlAsRole } from "../lib/server/db-roles";
import { startEmbeddedDb, type EmbeddedDb } from "../lib/server/embedded-db";

// What `npm start` and the other local commands need before the app runs: a data folder, an
// Auth.js secret, and a database (the embedded one when DATABASE_URL is not set).

export const DATA_DIR = path.resolve(process.env.WEGOVERN_DATA_DIR ?? ".data");

export function ensureAuthSecret(log: (line: string) => void): void {
  if (process.env.AUTH_SECRET) return;
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, "auth-secret");
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
    log(`Generated a session-signing secret in ${file} (set AUTH_SECRET to use your own).`);
  }
  process.env.AUTH_SECRET = readFileSync(file, "utf8").trim();
}

export function poolMax(): number {
  return Number(process.env.DB_POOL_MAX ?? 5);
}

/** The key that encrypts personal information at rest (lib/pii). Generated into the data folder on
 * the first local run, and said so; production sets PII_ENCRYPTION_KEY itself. */
export function ensurePiiKey(log: (line: string) => void): void {
  if (process.env.PII_ENCRYPTION_KEY) return;
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, "pii-key");
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
    log(`Generated the personal-information encryption key in ${file} (set PII_ENCRYPTION_KEY to use your own; keep a copy: without it encrypted identifiers cannot be read).`);
  }
  process.env.PII_ENCRYPTION_KEY = readFileSync(file, "utf8").trim();
}

/** The key of the audit trail's HMAC chain (lib/server/audit-hash.ts), kept outside the database.
 * Generated into the data folder on the first local run, and said so; production sets
 * AUDIT_HMAC_KEY itself (docs/decisions/0004-audit-trail.md). Also reads the data folder's pin of
 * the last unkeyed event (see pinAuditLegacy) unless AUDIT_HMAC_LEGACY_UNTIL is set. */
export function ensureAuditKey(log: (line: string) => void): void {
  const pin = path.join(DATA_DIR, "audit-legacy-until");
  if (!process.env.AUDIT_HMAC_LEGACY_UNTIL && existsSync(pin)) process.env.AUDIT_HMAC_LEGACY_UNTIL = readFileSync(pin, "utf8").trim();
  if (process.env.AUDIT_HMAC_KEY) return;
  mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, "audit-key");
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
    log(`Generated the audit trail's HMAC key in ${file} (set AUDIT_HMAC_KEY to use your own; keep a copy away from the database: without it the trail cannot be verified).`);
  }
  process.env.AUDIT_HMAC_KEY = readFileSync(file, "utf8").trim();
}

/** Once per data folder, after migrating: the id of the last event with an unkeyed hash (written
 * before the key existed; 0 on a new database) is pinned in the data folder, outside the database,
 * so `npm run audit:verify` refuses any unkeyed event after it. */
export async function pinAuditLegacy(url: string, log: (line: string) => void): Promise<void> {
  if (process.env.AUDIT_HMAC_LEGACY_UNTIL) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ last: string | null }>(`SELECT max(id)::text AS last FROM audit_events WHERE hash !~ '^hmac1[.]'`);
    const last = rows[0]?.last ?? "0";
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(path.join(DATA_DIR, "audit-legacy-until"), last);
    process.env.AUDIT_HMAC_LEGACY_UNTIL = last;
    if (last !== "0") log(`Audit events up to #${last} predate the HMAC key; pinned in ${path.join(DATA_DIR, "audit-legacy-until")}.`);
  } finally {
    await client.end();
  }
}

/** The connection the application itself runs with (docs/decisions/0008-database-roles.md). When
 * `url` names a superuser (or a role that may create roles), the owner's connection stays for
 * migrations and seeding, and the application runs as its own role, wegovern_app: created here if
 * missing, with a password generated into the data folder (or WEGOVERN_APP_DB_PASSWORD), and given
 * its grants by the migration runner. Otherwise `url` is used as it is, with a warning if it still
 * names a superuser. */
export async function applicationUrl(url: string, log: (line: string) => void): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ user: string; super: boolean; createrole: boolean }>(
      `SELECT current_user AS user, rolsuper AS super, rolcreaterole AS createrole FROM pg_roles WHERE rolname = current_user`,
    );
    const me = rows[0];
    if (!me?.super && !me?.createrole) return url;
    if (me.user === APP_ROLE) return url;
    let password = process.env.WEGOVERN_APP_DB_PASSWORD;
    if (!password) {
      mkdirSync(DATA_DIR, { recursive: true });
      const file = path.join(DATA_DIR, "db-app-password");
      if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600 });
      password = readFileSync(file, "utf8").trim();
    }
    if (!(await ensureAppRole(client, password, APP_ROLE, { resetPassword: true }))) {
      log(`Warning: the application connects as ${me.user}, a superuser. In production give it its own role (wegovern_app) and run migrations as the owner with DATABASE_OWNER_URL: docs/decisions/0008-database-roles.md.`);
      return url;
    }
    log(`The application runs as the database role ${APP_ROLE}; ${me.user} migrates and seeds (docs/decisions/0008-database-roles.md).`);
    return urlAsRole(url, APP_ROLE, password);
  } finally {
    await client.end();
  }
}

/** Starts the embedded database when DATABASE_URL is unset and points DATABASE_URL at it. */
export async function ensureDatabase(log: (line: string) => void, options: { inMemory?: boolean; processes?: number } = {}): Promise<EmbeddedDb | null> {
  if (process.env.DATABASE_URL) return null;
  const dataDir = options.inMemory ? undefined : path.join(DATA_DIR, "pglite");
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // The multiplexer serves every pool in the app (Prisma's, the bulk-read pool's two, and the two
  // connections of the consent exports' workers: 5 + 2 + 2 within DB_POOL_MAX × 2) plus the
  // migration runner and one spare;
  // one setting (DB_POOL_MAX) sizes both sides (STACK.md: too small a server fails with P1017);
  // with WEB_PROCESSES, each web process has its own pools.
  const embedded = await startEmbeddedDb({
    dataDir,
    port: Number(process.env.PGLITE_PORT ?? 0),
    maxConnections: poolMax() * 2 * (options.processes ?? 1) + 4,
  });
  process.env.DATABASE_URL = embedded.url;
  log(`Embedded PostgreSQL (PGlite) ${dataDir ? `with data in ${dataDir}` : "in memory"}, serving ${embedded.url}`);
  return embedded;
}
