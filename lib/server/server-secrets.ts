import { randomBytes } from "node:crypto";
import type { DbClient } from "./prisma-client";

// Secrets the server makes for itself: created once in the database, race-safely (two processes
// starting together both insert; the first wins and both read the winner), then the same for every
// process and after every restart. Never per process: a value that changed with the process would
// break whatever it signed (an /api/v1 cursor handed out by another instance, or before a restart).

/** The secret `name` (32 random bytes, base64url), made on first use. */
export async function serverSecret(client: DbClient, name: string): Promise<string> {
  const fresh = randomBytes(32).toString("base64url");
  const inserted = await client.$queryRaw<{ value: string }[]>`
    INSERT INTO "server_secrets" ("name", "value") VALUES (${name}, ${fresh})
    ON CONFLICT ("name") DO NOTHING
    RETURNING "value"`;
  if (inserted[0]) return inserted[0].value;
  // Another process's insert won (it has committed: ON CONFLICT waited for it); this statement sees it.
  const rows = await client.$queryRaw<{ value: string }[]>`SELECT "value" FROM "server_secrets" WHERE "name" = ${name}`;
  if (!rows[0]) throw new Error(`server secret ${name} could not be read after it was created`);
  return rows[0].value;
}
