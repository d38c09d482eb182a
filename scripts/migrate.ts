import { existsSync } from "node:fs";
import path from "node:path";
import { migrate } from "../lib/server/migrate";
import { DATA_DIR, ensureAuditKey, ensureDatabase, ensurePiiKey } from "./local-env";

// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database), as
// DATABASE_OWNER_URL when it is set (the schema's owner; docs/decisions/0008-database-roles.md),
// then encrypts any plain personal information older versions left (lib/pii/backfill.ts), which
// needs the application's PII_ENCRYPTION_KEY (the local one `npm start` generated is used when the
// variable is unset; a key is never generated here, since one the server does not share would make
// the values unreadable) and the audit key (each batch is audited).
if (!process.env.PII_ENCRYPTION_KEY && existsSync(path.join(DATA_DIR, "pii-key"))) ensurePiiKey(console.log);
ensureAuditKey(console.log);
const embedded = await ensureDatabase(console.log);
try {
  const applied = await migrate(process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL!, { log: console.log });
  console.log(applied.length ? `${applied.length} migration(s) applied.` : "Nothing to apply: the schema is up to date.");
} finally {
  await embedded?.stop();
}
