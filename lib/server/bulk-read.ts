import "server-only";
import pg from "pg";

// A small pg pool for bulk reads (CSV exports of a million rows, the dashboard's company-wide
// counts): node-postgres reads such pages two to three times faster than a raw query through
// Prisma, which maps every value through its own types. Reads only; every change still goes through Prisma and its unit of work.
// Sized by BULK_POOL_MAX (default 2); the embedded server reserves room for it (scripts/local-env.ts).

const globalForBulk = globalThis as unknown as { wegovernBulk?: { url: string; pool: pg.Pool } };

/** The database the app reads: tests point it at their own (tests/helpers/test-db.ts). Also the
 * key of the in-process caches that must not mix databases (lib/dashboard/compute.ts). */
export function currentDatabaseUrl(): string | undefined {
  return process.env.DATABASE_URL_UNDER_TEST ?? process.env.DATABASE_URL;
}

/** Session settings of every bulk-read connection, sent in the connection's start-up message
 * (libpq's `options`, `-c name=value`): set before its first query, without a query of their own
 * (the benchmarks use them for PostgreSQL alone). */
export const BULK_SESSION_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0";

export function bulkReadPool(): pg.Pool {
  const url = currentDatabaseUrl();
  if (!url) throw new Error("DATABASE_URL is not set");
  const current = globalForBulk.wegovernBulk;
  if (current?.url === url) return current.pool;
  void current?.pool.end();
  // Bulk reads are few, large and already spread over the pool's connections: PostgreSQL's
  // parallel workers and JIT compilation only add start-up time and CPU on top (on 2 cores the
  // dashboard's counts took 600 ms with them, 390 ms without): BULK_SESSION_OPTIONS.
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.BULK_POOL_MAX ?? 2), application_name: "wegovern-bulk-read", options: BULK_SESSION_OPTIONS });
  // An idle connection that the server ends (a restart, a dropped test database) is an error event
  // on the pool; the pool discards that connection and the next read opens a new one.
  pool.on("error", () => undefined);
  globalForBulk.wegovernBulk = { url, pool };
  return pool;
}

/** Closes the pool (tests, before their database is dropped). */
export async function closeBulkReadPool(): Promise<void> {
  const current = globalForBulk.wegovernBulk;
  globalForBulk.wegovernBulk = undefined;
  await current?.pool.end();
}
