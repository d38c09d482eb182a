import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDb, type EmbeddedDb } from "@/lib/server/embedded-db";
import { createPrismaClient } from "@/lib/server/prisma-client";
import { until } from "./helpers/until";

// The embedded default must give every connection its own answers. With pglite-socket 0.2.17's
// per-message queue, 95 of 300 such queries failed and 23 silently returned another query's rows
// (pglite issue 1046); our wire server keeps each connection's exchange together.

let db: EmbeddedDb;
let pool: pg.Pool;

beforeAll(async () => {
  db = await startEmbeddedDb({ maxConnections: 12 });
  pool = new pg.Pool({ connectionString: db.url, max: 6 });
  await pool.query("CREATE TABLE t (id int primary key, a text, b text, c text)");
  await pool.query("INSERT INTO t SELECT g, 'a'||g, 'b'||g, 'c'||g FROM generate_series(1,100) g");
});

afterAll(async () => {
  await pool?.end();
  await db?.stop();
});

describe("the embedded database under concurrent connections", () => {
  it("answers every parameterised query with its own rows, beside a transaction and a 200 KB parameter", async () => {
    let ok = 0;
    const failures: string[] = [];
    for (let round = 0; round < 40; round++) {
      await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          try {
            if (i === 0) {
              const client = await pool.connect();
              try {
                await client.query("BEGIN");
                const r = await client.query("SELECT a FROM t WHERE id = $1", [1]);
                await client.query("UPDATE t SET a = $1 WHERE id = $2", [r.rows[0].a, 1]);
                await client.query("COMMIT");
                ok++;
              } finally {
                client.release();
              }
            } else if (i % 2) {
              const r = await pool.query("SELECT id, a FROM t WHERE id = $1 AND a = $2 AND b = $3 AND length($4) > 0", [i + 1, `a${i + 1}`, `b${i + 1}`, "x".repeat(200_000)]);
              if (r.rows.length === 1 && r.rows[0].id === i + 1) ok++;
              else failures.push(`wrong rows for ${i + 1}: ${JSON.stringify(r.rows)}`);
            } else {
              const r = await pool.query("SELECT id, c FROM t WHERE id = $1 AND c = $2", [i + 1, `c${i + 1}`]);
              if (r.rows.length === 1 && r.rows[0].id === i + 1) ok++;
              else failures.push(`wrong rows for ${i + 1}: ${JSON.stringify(r.rows)}`);
            }
          } catch (error) {
            failures.push((error as Error).message);
          }
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(ok).toBe(240);
  });

  it("gives a transaction its own session until it ends: a concurrent reader never sees its uncommitted row", async () => {
    const writer = await pool.connect();
    try {
      await writer.query("BEGIN");
      await writer.query("INSERT INTO t VALUES (1000, 'x', 'y', 'z')");
      const reader = pool.query("SELECT count(*)::int AS n FROM t WHERE id = 1000");
      await new Promise((resolve) => setTimeout(resolve, 50));
      await writer.query("ROLLBACK");
      expect((await reader).rows[0].n).toBe(0);
    } finally {
      writer.release();
    }
  });

  it("rolls back a transaction left open by a connection that goes away", async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("BEGIN");
    await client.query("INSERT INTO t VALUES (2000, 'x', 'y', 'z')");
    await client.end();
    const r = await pool.query("SELECT count(*)::int AS n FROM t WHERE id = 2000");
    expect(r.rows[0].n).toBe(0);
  });

  // PostgreSQL keeps prepared statements per session; every connection here shares PGlite's one.
  // node-postgres prepares a name once per connection, and the app names its statements
  // (lib/server/statement-names.ts), so each connection's names must be its own.
  it("keeps each connection's prepared statements its own: the same name, different statements, side by side", async () => {
    const clients = Array.from({ length: 4 }, () => new pg.Client({ connectionString: db.url }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const failures: string[] = [];
      for (let round = 0; round < 10; round++) {
        await Promise.all(
          clients.map(async (c, i) => {
            try {
              const text = `SELECT id, ${["a", "b", "c", "a || b"][i]} AS v FROM t WHERE id = $1`;
              const r = await c.query({ name: "same", text, values: [round + 1] });
              const want = [`a${round + 1}`, `b${round + 1}`, `c${round + 1}`, `a${round + 1}b${round + 1}`][i];
              if (r.rows[0]?.v !== want) failures.push(`client ${i} round ${round}: ${JSON.stringify(r.rows)}`);
            } catch (error) {
              failures.push(`client ${i} round ${round}: ${(error as Error).message}`);
            }
          }),
        );
      }
      expect(failures).toEqual([]);
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements");
      expect(rows[0].n).toBe(4);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    // Gone with their connections (deallocated when each one left).
    await until(async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements")).rows[0].n === 0);
  });

  it("runs the app's named statements through Prisma on several connections at once", async () => {
    const prisma = createPrismaClient(db.url, 4);
    try {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => prisma.$queryRaw<{ id: number; a: string }[]>`SELECT id, a FROM t WHERE id = ${(i % 6) + 1}`),
      );
      expect(results.map((r) => r[0].a)).toEqual(Array.from({ length: 24 }, (_, i) => `a${(i % 6) + 1}`));
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'SELECT id, a FROM t WHERE id = $1%'");
      expect(rows[0].n).toBeGreaterThanOrEqual(1);
    } finally {
      await prisma.$disconnect();
    }
  });
});
