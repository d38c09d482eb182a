import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./helpers/test-db";

// Every connection of the app's pool runs without PostgreSQL's JIT, set in its start-up message
// (APP_SESSION_OPTIONS, lib/server/prisma-client.ts), so no read needs a transaction of its own
// (BEGIN, SET LOCAL jit = off, COMMIT) to turn it off.

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.close());

describe("the app's database sessions", () => {
  it("have JIT off on every pooled connection, inside and outside a transaction", async () => {
    const shown = await Promise.all(Array.from({ length: 4 }, () => db.prisma.$queryRaw<{ jit: string }[]>`SHOW jit`));
    expect(shown.map(([row]) => row.jit)).toEqual(["off", "off", "off", "off"]);
    const inTx = await db.prisma.$transaction(async (tx) => tx.$queryRaw<{ jit: string }[]>`SHOW jit`);
    expect(inTx[0].jit).toBe("off");
  });
});
