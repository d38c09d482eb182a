import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/server/prisma-client";
import { createTestDb, type TestDb } from "./helpers/test-db";

// Every connection of the app's pool runs without PostgreSQL's JIT, set in its start-up message
// (APP_SESSION_OPTIONS, lib/server/prisma-client.ts), so no read needs a transaction of its own
// (BEGIN, SET LOCAL jit = off, COMMIT) to turn it off. An idle connection is kept for minutes
// (POOL_IDLE_MS), not node-postgres's 10 s, so a request after a pause finds a warm backend.

const onPostgres = Boolean(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.close());

describe("the app's database sessions", () => {
  // PostgreSQL only: the embedded PGlite (tests without DATABASE_URL) does not apply the start-up
  // options (SHOW jit says on there); it serves the quick start, not the deployments JIT concerns.
  it.skipIf(!onPostgres)("have JIT off on every pooled connection, inside and outside a transaction", async () => {
    const shown = await Promise.all(Array.from({ length: 4 }, () => db.prisma.$queryRaw<{ jit: string }[]>`SHOW jit`));
    expect(shown.map(([row]) => row.jit)).toEqual(["off", "off", "off", "off"]);
    const inTx = await db.prisma.$transaction(async (tx) => tx.$queryRaw<{ jit: string }[]>`SHOW jit`);
    expect(inTx[0].jit).toBe("off");
  });

  // PostgreSQL only: the embedded PGlite serves every connection from one backend.
  it.skipIf(!onPostgres)("keep an idle connection past node-postgres's 10-second default: the same backend answers after 11 s", async () => {
    const client = createPrismaClient(db.appUrl, 1);
    try {
      const [before] = await client.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      const [after] = await client.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      expect(after.pid).toBe(before.pid);
    } finally {
      await client.$disconnect();
    }
  }, 60_000);
});
