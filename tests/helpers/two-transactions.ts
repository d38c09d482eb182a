import pg from "pg";

export type Statement = readonly [string, readonly unknown[]];

/**
 * Two transactions on their own connections to `url` (PostgreSQL only): the first runs `first`
 * and stays open; the second begins and runs `second`. Once the second waits on a lock (or its
 * statement has finished without waiting), the first commits, then the second. Returns whether
 * the second waited, so a race test can say that it really queued behind the first: a test that
 * only compared the end state would pass when the statements never met.
 */
export async function twoTransactions(url: string, first: Statement, second: Statement): Promise<{ waited: boolean }> {
  const a = new pg.Client({ connectionString: url });
  const b = new pg.Client({ connectionString: url });
  const watcher = new pg.Client({ connectionString: url });
  await Promise.all([a.connect(), b.connect(), watcher.connect()]);
  try {
    await a.query("BEGIN");
    await a.query(first[0], [...first[1]]);
    const bPid = (await b.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    await b.query("BEGIN");
    let settled = false;
    const pending = b.query(second[0], [...second[1]]).finally(() => {
      settled = true;
    });
    pending.catch(() => undefined);
    let waited = false;
    while (!settled) {
      const { rows } = await watcher.query<{ waiting: boolean }>("SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1", [bPid]);
      if (rows[0]?.waiting) {
        waited = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await a.query("COMMIT");
    await pending;
    await b.query("COMMIT");
    return { waited };
  } finally {
    await Promise.all([a.end(), b.end(), watcher.end()]);
  }
}
