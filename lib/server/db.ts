import "server-only";
import { createPrismaClient, type DbClient } from "./prisma-client";

export type { DbClient, Tx } from "./prisma-client";

// One client per server process, created on first use so `next build` never connects.
// Kept on globalThis so dev-mode module reloads do not open a new pool each time.
const globalForDb = globalThis as unknown as { wegovernDb?: DbClient };

export function db(): DbClient {
  if (!globalForDb.wegovernDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    globalForDb.wegovernDb = createPrismaClient(url, Number(process.env.DB_POOL_MAX ?? 5));
  }
  return globalForDb.wegovernDb;
}
