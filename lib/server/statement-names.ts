/**
 * Names for the statements the portal runs again and again, so that each PostgreSQL connection
 * keeps them prepared: node-postgres sends a named statement's Parse only the first time on a
 * connection, and PostgreSQL keeps its analysis and, once it has seen that a plan for any
 * parameters costs no more than the plans it made for the parameters given, that plan. Prisma's
 * pg adapter takes the name from `statementNameGenerator`. (Prisma's own engine, before driver
 * adapters, kept up to 100 prepared statements per connection; the adapter prepares none unless
 * asked.)
 *
 * Why: an unnamed statement is parsed, analysed and planned on every run, and for the portal's
 * statements that is most of PostgreSQL's work. Over one run of the pages bench (scale 0.1),
 * parse and bind took 5.1 s of PostgreSQL's time against 3.4 s of execution; the session's read
 * of the person, on every request, 0.80 ms of which 0.10 ms was its execution. PostgreSQL's CPU
 * per view, unnamed → named: the home page 15.7 / 17.4 → 7.4 / 8.2 ms, `/settings` 1.1 / 1.4 →
 * 0.4, the lists 0.4–1.5 ms less (docs/performance.md, "Statements prepared once per connection").
 *
 * A statement whose parameters move PostgreSQL's estimates (a limit, a moment compared with a
 * column) is still planned on every run, since the plans for the values given come out cheaper
 * than one for any values. Where the plan should not depend on them, they can enter through
 * sub-selects, `(SELECT $1)`, which no estimate sees into: the training overview's default view
 * (attentionPageSql, tests/training/overview-plan.test.ts; 1.9–2.2 ms of planning a view spared).
 * Not where a value shapes the plan: a list's page size hidden so chooses to read the whole table
 * (the audit trail 0.9 s instead of 1–6 ms; docs/performance.md, thirteenth session).
 *
 * What is named, and what it costs PostgreSQL: a statement text is named the second time this
 * process sees it (a one-off, like a script's, stays unnamed), and at most `limit` texts are ever
 * named per process, so a connection keeps at most `limit` prepared statements however long it
 * lives; texts past the limit run unnamed, as every text did before. A name is never reused or
 * forgotten (a forgotten name would stay prepared on the connections that used it).
 *
 * Not with a server that does not keep a connection's prepared statements: the embedded PGlite
 * (one session shared by every connection; lib/server/embedded-db.ts turns naming off) or a
 * connection pooler in transaction mode (DB_PREPARED_STATEMENTS=off; the README's settings).
 */
export type StatementNamer = (query: { sql: string }) => string | undefined;

/** The home page's statement, the largest, holds about 650 KB of a backend's memory prepared;
 * most statements hold a few tens of KB. */
export const STATEMENT_NAME_LIMIT = 200;

export function statementNamer(options: { limit?: number } = {}): StatementNamer {
  const limit = options.limit ?? STATEMENT_NAME_LIMIT;
  const names = new Map<string, string>();
  // Texts seen once and not yet named; started afresh when it grows large (a text in it then
  // needs two more runs to be named).
  let seenOnce = new Set<string>();
  return ({ sql }) => {
    const name = names.get(sql);
    if (name !== undefined) return name;
    if (names.size >= limit) return undefined;
    if (!seenOnce.has(sql)) {
      if (seenOnce.size >= limit * 10) seenOnce = new Set();
      seenOnce.add(sql);
      return undefined;
    }
    seenOnce.delete(sql);
    const fresh = `wg${names.size + 1}`;
    names.set(sql, fresh);
    return fresh;
  };
}

/** Whether the app's connections keep prepared statements: DB_PREPARED_STATEMENTS, on unless it
 * says off (off, 0, false, no). */
export function preparedStatementsEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const value = (env.DB_PREPARED_STATEMENTS ?? "").trim().toLowerCase();
  return !["off", "0", "false", "no"].includes(value);
}
