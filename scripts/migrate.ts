import { migrate } from "../lib/server/migrate";
import { ensureDatabase } from "./local-env";

// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
const embedded = await ensureDatabase(console.log);
try {
  const applied = await migrate(process.env.DATABASE_URL!, { log: console.log });
  console.log(applied.length ? `${applied.length} migration(s) applied.` : "Nothing to apply: the schema is up to date.");
} finally {
  await embedded?.stop();
}
