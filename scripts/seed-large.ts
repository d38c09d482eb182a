import path from "node:path";
import pg from "pg";
import { hashPassword } from "../lib/auth/password";
import { generateLargeDataset } from "../lib/large-dataset/generate";
import { MAX_SCALE, planFor } from "../lib/large-dataset/plan";
import { keyringFromEnv } from "../lib/pii";
import { startEmbeddedDb } from "../lib/server/embedded-db";
import { migrate } from "../lib/server/migrate";
import { DEMO_PASSWORD } from "../prisma/seed";
import { DATA_DIR, ensureAuditKey, ensurePiiKey } from "./local-env";

// `npm run seed:large -- --scale N [--database NAME] [--replace]` (issue 9): a realistic company in a
// database of its own, for the dashboard and the benchmarks. With DATABASE_URL set, the database
// NAME (default wegovern_large) on that server; without it, an embedded PGlite in
// .data/pglite-large (fine for small scales; use PostgreSQL for scale 1). Prints progress and the
// DATABASE_URL to start the portal or the benchmark against.

const log = (line: string) => console.log(`[seed:large] ${line}`);
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const scale = Number(arg("scale") ?? 1);
const database = arg("database") ?? "wegovern_large";
const replace = process.argv.includes("--replace");

if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) {
  console.error(`--scale must be a number greater than 0 and at most ${MAX_SCALE} (got ${arg("scale")}).`);
  process.exit(2);
}
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) {
  console.error("--database must be a plain lower-case PostgreSQL name (letters, digits, underscore).");
  process.exit(2);
}

ensurePiiKey(log);
ensureAuditKey(log);
const started = performance.now();
let url: string;
let stop: (() => Promise<void>) | null = null;
if (process.env.DATABASE_URL) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount === 1;
  if (exists && replace) await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
  if (!exists || replace) await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${database}`;
  url = u.toString();
} else {
  const embedded = await startEmbeddedDb({ dataDir: path.join(DATA_DIR, "pglite-large"), maxConnections: 4 });
  url = embedded.url;
  stop = embedded.stop;
  log("No DATABASE_URL: generating into the embedded PGlite in .data/pglite-large (slow beyond scale 0.1; set DATABASE_URL for scale 1).");
}

const plan = planFor(scale);
log(`Scale ${scale}: ${Object.entries(plan).filter(([k]) => k !== "scale").map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`).join(", ")}`);
await migrate(url, { log });
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const summary = await generateLargeDataset(client, plan, { now: new Date(), ring: keyringFromEnv(), passwordHash: await hashPassword(DEMO_PASSWORD), log });
  const total = Object.values(summary).reduce((a, b) => a + b, 0);
  log(`Done: ${total.toLocaleString("en-US")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  log(`Sign in as admin@wegovern.demo or manager@wegovern.demo (password ${DEMO_PASSWORD}).`);
  if (!stop) log(`Start the portal on it: DATABASE_URL=${url} npm start`);
} catch (error) {
  console.error(`[seed:large] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await client.end();
  await stop?.();
}
