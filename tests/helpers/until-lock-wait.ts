import pg from "pg";

/**
 * Resolves once another session of the test database at `url` waits on a lock, so a race test
 * releases its first transaction only when the second is really queued behind it (a fixed pause
 * assumed the second got there within so many milliseconds, which a busy machine breaks: the test
 * then passes without exercising the race). On PostgreSQL it watches pg_locks; the embedded PGlite
 * runs one transaction at a time in its wire server, so the second waits there, not on a lock, and
 * this only lets it queue. Gives up (throws) after `limitMs`.
 */
export async function untilLockWait(url: string, limitMs = 120_000): Promise<void> {
  if (!(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND a.datname = current_database() AND a.pid <> pg_backend_pid()`,
      );
      if (rows[0].n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no session of the test database waited on a lock within ${limitMs} ms`);
  } finally {
    await client.end();
  }
}
