import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { transactionLimits } from "./transaction-limits";

/** Session settings of every connection of the app's pool, sent in the connection's start-up
 * message (libpq's `options`): set before its first query, without a round trip of their own.
 * PostgreSQL's JIT compiles a plan whose estimated cost passes jit_above_cost; the portal's
 * statements are short, their row estimates over a subtree of departments rough, and a
 * compilation costs more than the statement (over a second in scripts/bench/training.ts). It was
 * turned off per statement (`BEGIN; SET LOCAL jit = off; …; COMMIT`, three round trips more);
 * docs/performance.md, "The home page's round trips". The bulk reads' pool sets the same
 * (lib/server/bulk-read.ts). */
export const APP_SESSION_OPTIONS = "-c jit=off";

// Kept free of "server-only" so scripts (migrate, seed, verify) and tests can build a client too.
export function createPrismaClient(connectionString: string, max = 5) {
  const adapter = new PrismaPg({ connectionString, max, options: APP_SESSION_OPTIONS });
  return new PrismaClient({
    adapter,
    // Secrets never leave the database unless a query asks for them by name.
    omit: { employee: { passwordHash: true } },
    // Every interactive transaction that names no limits of its own gets ones fit for a busy machine.
    transactionOptions: transactionLimits(),
  });
}

export type DbClient = ReturnType<typeof createPrismaClient>;
/** The client inside an interactive transaction. */
export type Tx = Omit<DbClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
