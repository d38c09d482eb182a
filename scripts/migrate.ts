import { migrate } from "../lib/server/migrate";
import { ensureDatabase } from "./local-env";

// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database), as
// DATABASE_OWNER_URL when it is set (the schema's owner; docs/decisions/0008-database-roles.md).
const embedded = await ensureDatabase(console.log);
try {
  const applied = await migrate(process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL!, { log: console.log });
  console.log(applied.length ? `${applied.length} migration(s) applied.` : "Nothing to apply: the schema is up to date.");
} finally {
  await embedded?.stop();
}
