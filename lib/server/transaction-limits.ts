import { serverEnv, type ServerEnv } from "./env";

// Kept free of "server-only" (like prisma-client.ts, which uses it) so scripts and tests share it.

export type TransactionLimits = { timeout: number; maxWait: number };

/**
 * How long an interactive transaction may run before Prisma rolls it back (`timeout`), and how long
 * it may wait for a connection from the pool first (`maxWait`, half of that). Prisma's own defaults
 * (5 s and 2 s) expire on a busy machine in the middle of ordinary work: the transaction is closed
 * under the code and the next query fails with an unrelated-looking error. One setting,
 * DB_TRANSACTION_TIMEOUT_MS (default 20 s), serves the app's unit of work and every other
 * interactive transaction made through createPrismaClient; the tests and the seeding scripts raise
 * it (vitest.config.ts, playwright.config.ts).
 */
export function transactionLimitsFrom(env: Pick<ServerEnv, "DB_TRANSACTION_TIMEOUT_MS">): TransactionLimits {
  const timeout = env.DB_TRANSACTION_TIMEOUT_MS;
  return { timeout, maxWait: Math.round(timeout / 2) };
}

export function transactionLimits(): TransactionLimits {
  return transactionLimitsFrom(serverEnv());
}
