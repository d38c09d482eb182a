import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
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

/** Starts the embedded database when DATABASE_URL is unset and points DATABASE_URL at it. */
export async function ensureDatabase(log: (line: string) => void, options: { inMemory?: boolean } = {}): Promise<EmbeddedDb | null> {
  if (process.env.DATABASE_URL) return null;
  const dataDir = options.inMemory ? undefined : path.join(DATA_DIR, "pglite");
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // The multiplexer serves every pool in the app (Prisma's, the bulk-read pool's two) plus the
  // migration runner and one spare;
  // one setting (DB_POOL_MAX) sizes both sides (STACK.md: too small a server fails with P1017).
  const embedded = await startEmbeddedDb({
    dataDir,
    port: Number(process.env.PGLITE_PORT ?? 0),
    maxConnections: poolMax() * 2 + 4,
  });
  process.env.DATABASE_URL = embedded.url;
  log(`Embedded PostgreSQL (PGlite) ${dataDir ? `with data in ${dataDir}` : "in memory"}, serving ${embedded.url}`);
  return embedded;
}
