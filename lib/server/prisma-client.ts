import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { transactionLimits } from "./transaction-limits";

// Kept free of "server-only" so scripts (migrate, seed, verify) and tests can build a client too.
export function createPrismaClient(connectionString: string, max = 5) {
  const adapter = new PrismaPg({ connectionString, max });
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
