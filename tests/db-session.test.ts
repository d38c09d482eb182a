import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/server/prisma-client";
import { preparedStatementsEnabled, statementNamer } from "@/lib/server/statement-names";
import { createTestDb, type TestDb } from "./helpers/test-db";

// Every connection of the app's pool runs without PostgreSQL's JIT, set in its start-up message
// (APP_SESSION_OPTIONS, lib/server/prisma-client.ts), so no read needs a transaction of its own
// (BEGIN, SET LOCAL jit = off, COMMIT) to turn it off. An idle connection is kept for minutes
// (POOL_IDLE_MS), not node-postgres's 10 s, so a request after a pause finds a warm backend. A
// statement run more than once is prepared, parsed once per connection (lib/server/statement-names.ts).

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

describe("statement names (lib/server/statement-names.ts)", () => {
  it("names a text the second time it is seen, keeps its name, and names no more than the limit", () => {
    const name = statementNamer({ limit: 2 });
    expect(name({ sql: "SELECT 1" })).toBeUndefined();
    expect(name({ sql: "SELECT 1" })).toBe("wg1");
    expect(name({ sql: "SELECT 1" })).toBe("wg1");
    expect(name({ sql: "SELECT 2" })).toBeUndefined();
    expect(name({ sql: "SELECT 2" })).toBe("wg2");
    expect(name({ sql: "SELECT 3" })).toBeUndefined();
    expect(name({ sql: "SELECT 3" })).toBeUndefined();
    expect([name({ sql: "SELECT 1" }), name({ sql: "SELECT 2" })]).toEqual(["wg1", "wg2"]);
  });

  it("forgets texts seen once when there are many, and names them after two more runs", () => {
    const name = statementNamer({ limit: 1 });
    expect(name({ sql: "SELECT 0" })).toBeUndefined();
    for (let i = 1; i < 10; i++) name({ sql: `SELECT ${i}` });
    // Ten texts seen once: the set started again, so "SELECT 0" counts as new.
    name({ sql: "SELECT 10" });
    expect(name({ sql: "SELECT 0" })).toBeUndefined();
    expect(name({ sql: "SELECT 0" })).toBe("wg1");
  });

  it("is on unless DB_PREPARED_STATEMENTS says off", () => {
    expect(preparedStatementsEnabled({})).toBe(true);
    expect(preparedStatementsEnabled({ DB_PREPARED_STATEMENTS: "on" })).toBe(true);
    for (const off of ["off", "OFF", " 0", "false", "no"]) expect(preparedStatementsEnabled({ DB_PREPARED_STATEMENTS: off })).toBe(false);
  });
});

describe("prepared statements on the app's connections", () => {
  type Prepared = { statement: string };
  const preparedOn = (client: ReturnType<typeof createPrismaClient>) => client.$queryRaw<Prepared[]>`SELECT statement FROM pg_prepared_statements`;

  // PostgreSQL only, where each connection is a session of its own (tests/embedded-db.test.ts
  // covers the embedded server's connections).
  it.skipIf(!onPostgres)("prepares a statement the second time it runs, once on the connection, and answers as unnamed", async () => {
    const named = createPrismaClient(db.appUrl, 1);
    const unnamed = createPrismaClient(db.appUrl, 1, { preparedStatements: false });
    try {
      const run = (client: typeof named, n: number) => client.$queryRaw<{ v: number; s: string }[]>`SELECT ${n}::int * 2 AS v, repeat('x', ${n}::int) AS s`;
      const answers = [];
      for (const n of [1, 2, 3, 4]) answers.push(await run(named, n));
      const expected = [];
      for (const n of [1, 2, 3, 4]) expected.push(await run(unnamed, n));
      expect(answers).toEqual(expected);
      expect(answers.map((r) => r[0].v)).toEqual([2, 4, 6, 8]);
      // A query Prisma writes, too.
      for (let i = 0; i < 3; i++) expect(await named.employee.findMany({ where: { id: "nobody" }, select: { id: true } })).toEqual([]);

      const prepared = (await preparedOn(named)).map((p) => p.statement);
      expect(prepared.filter((text) => text.includes("repeat('x'"))).toHaveLength(1);
      expect(prepared.filter((text) => text.includes('"public"."employees"'))).toHaveLength(1);
      expect(await preparedOn(unnamed)).toEqual([]);
    } finally {
      await named.$disconnect();
      await unnamed.$disconnect();
    }
  });

  it.skipIf(!onPostgres)("goes on serving a prepared statement after it failed and after a rolled-back transaction", async () => {
    const client = createPrismaClient(db.appUrl, 1);
    try {
      const divide = (tx: Pick<typeof client, "$queryRaw">, n: number) => tx.$queryRaw<{ v: number }[]>`SELECT 12 / ${n}::int AS v`;
      expect((await divide(client, 1))[0].v).toBe(12);
      expect((await divide(client, 2))[0].v).toBe(6);
      await expect(divide(client, 0)).rejects.toThrow(/division by zero/);
      expect((await divide(client, 3))[0].v).toBe(4);
      await expect(
        client.$transaction(async (tx) => {
          expect((await divide(tx, 4))[0].v).toBe(3);
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      expect((await divide(client, 6))[0].v).toBe(2);
      expect((await preparedOn(client)).filter((p) => p.statement.includes("SELECT 12 /"))).toHaveLength(1);
    } finally {
      await client.$disconnect();
    }
  });
});
