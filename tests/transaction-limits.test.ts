import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/server/prisma-client";
import { transactionLimits, transactionLimitsFrom } from "@/lib/server/transaction-limits";
import { createTestDb, type TestDb } from "./helpers/test-db";

// Prisma closes an interactive transaction after 5 s unless told otherwise. On a busy machine a
// test's setup or a seeding transaction ran past that and failed with a foreign-key error that was
// really the timeout: every client made by createPrismaClient (the app's, the scripts', the tests')
// gives its transactions the limits of DB_TRANSACTION_TIMEOUT_MS (two minutes in vitest.config.ts).

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.close());

describe("transaction limits", () => {
  it("wait for a connection at most half as long as they may run", () => {
    expect(transactionLimitsFrom({ DB_TRANSACTION_TIMEOUT_MS: 20_000 })).toEqual({ timeout: 20_000, maxWait: 10_000 });
    expect(transactionLimitsFrom({ DB_TRANSACTION_TIMEOUT_MS: 1_001 })).toEqual({ timeout: 1_001, maxWait: 501 });
  });

  it("come from DB_TRANSACTION_TIMEOUT_MS, which the tests raise for a busy machine", () => {
    expect(transactionLimits()).toEqual({ timeout: Number(process.env.DB_TRANSACTION_TIMEOUT_MS), maxWait: Number(process.env.DB_TRANSACTION_TIMEOUT_MS) / 2 });
    expect(transactionLimits().timeout).toBeGreaterThanOrEqual(60_000);
  });

  it("let a transaction that names no limits run past Prisma's 5-second default and commit", async () => {
    const prisma = createPrismaClient(db.url, 2);
    try {
      const committed = await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_sleep(6)`;
        return tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`;
      });
      expect(committed).toEqual([{ one: 1 }]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
