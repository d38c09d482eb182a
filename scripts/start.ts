import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import pg from "pg";
import { ensureFirstSnapshot } from "../lib/dashboard/startup";
import { migrate } from "../lib/server/migrate";
import { createPrismaClient } from "../lib/server/prisma-client";
import { DEMO_PASSWORD, DEMO_SIGN_INS, seedDemo } from "../prisma/seed";
import { webProcesses } from "./serve.mjs";
import { ensureAuditKey, ensureAuthSecret, ensureDatabase, ensurePiiKey, pinAuditLegacy, poolMax, applicationUrl } from "./local-env";

// `npm start`: database (embedded when DATABASE_URL is unset), migrations, demo data on the first
// run, a production build when there is none, then Next.js through scripts/serve.mjs.
// Option --fresh: a new empty database for this run only (the end-to-end tests): an in-memory
// embedded one, or with DATABASE_URL set, a new database created on that server.

const log = (line: string) => console.log(`[wegovern] ${line}`);
const fresh = process.argv.includes("--fresh");

/** A fresh database's name carries its creation time (base 36 milliseconds); one made more than three hours
 * ago, or whose name does not parse, belongs to no run still going. */
function isStale(datname: string, now = Date.now()): boolean {
  const created = Number.parseInt(datname.slice("wg_e2e_".length), 36);
  return !Number.isFinite(created) || now - created > 3 * 60 * 60 * 1000;
}

async function createFreshDatabase(serverUrl: string): Promise<string> {
  const name = `wg_e2e_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  // Earlier runs' databases are dropped when nothing is connected to them any more, and only once
  // they are three hours old (no run lasts that long): another run on the same server (a second checkout's tests) may be between
  // two connections to its own database right now.
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'wg\\_e2e\\_%'`);
  for (const { datname } of rows) {
    if (!isStale(datname)) continue;
    await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {});
  }
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  log(`Fresh database ${name} on ${url.host}`);
  return url.toString();
}

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  ensureAuthSecret(log);
  ensurePiiKey(log);
  ensureAuditKey(log);
  // WEB_PROCESSES (default 1): that many Next.js processes behind Node's cluster (scripts/serve.mjs).
  const processes = webProcesses();
  if (processes === null) throw new Error(`WEB_PROCESSES: not a whole number from 1 to 64: ${process.env.WEB_PROCESSES}`);
  if (fresh && process.env.DATABASE_URL) process.env.DATABASE_URL = await createFreshDatabase(process.env.DATABASE_URL);
  const embedded = await ensureDatabase(log, { inMemory: fresh, processes });
  const url = process.env.DATABASE_URL!;
  // Migrations and seeding as the schema's owner when one is given (DATABASE_OWNER_URL); the
  // application itself as DATABASE_URL's role (docs/decisions/0008-database-roles.md).
  // Without DATABASE_OWNER_URL, a superuser's DATABASE_URL is the owner's and the application gets
  // its own role (applicationUrl); the embedded database has a single user.
  const ownerUrl = (!fresh && process.env.DATABASE_OWNER_URL) || url;
  const appUrl = embedded ? url : await applicationUrl(url, log);

  const applied = await migrate(ownerUrl, { log });
  log(applied.length ? `Migrated: ${applied.length} migration(s) applied.` : "Database schema is up to date.");
  await pinAuditLegacy(ownerUrl, log);

  {
    const prisma = createPrismaClient(ownerUrl, 2);
    try {
      if (process.env.WEGOVERN_SEED !== "0" && (await seedDemo(prisma, log))) {
        log(`Demo sign-ins (password for all: ${DEMO_PASSWORD}):`);
        for (const p of DEMO_SIGN_INS) log(`  ${p.email.padEnd(30)} ${p.roles.join(", ")}${p.note ? `  (${p.note})` : ""}`);
      }
      // The dashboard's first snapshot, when none was ever taken (a fresh install has a trend at once).
      const first = await ensureFirstSnapshot(prisma).catch((e: unknown) => {
        log(`The first dashboard snapshot failed (the nightly job will take it): ${e instanceof Error ? e.message : String(e)}`);
        return null;
      });
      if (first) log(`First dashboard snapshot: week of ${first.weekStart}, ${first.rows} rows.`);
    } finally {
      await prisma.$disconnect();
    }
  }

  if (!existsSync(".next/BUILD_ID")) {
    log("No production build yet: building (a few minutes the first time)…");
    const built = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: process.env });
    if (built.status !== 0) throw new Error("The build failed; see the output above.");
  }

  const port = process.env.PORT ?? "3000";
  log(`Serving http://localhost:${port}${processes > 1 ? ` with ${processes} processes (WEB_PROCESSES)` : ""}`);
  // Next.js behind the gate in scripts/serve.mjs (the client's address, malformed requests).
  const server = spawn(process.execPath, ["scripts/serve.mjs"], {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: appUrl, NODE_ENV: "production", PORT: port, HOST: process.env.HOST ?? "0.0.0.0", DB_POOL_MAX: String(poolMax()) },
  });
  const stop = (signal: NodeJS.Signals) => server.kill(signal);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", async (code) => {
    await embedded?.stop();
    process.exit(code ?? 0);
  });
}

main().catch((error) => {
  console.error(`[wegovern] ${(error as Error).message}`);
  process.exit(1);
});
