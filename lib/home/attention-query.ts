import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/server/prisma-client";
import type { AttentionItem } from "./attention";

// A capability's home-page source as a statement and what its row says, so that the home page
// runs every source in one statement (one round trip instead of one per source: each cost the
// page about a third of a millisecond of the server's CPU in Prisma, pg and the socket's write;
// docs/performance.md, fourth session). The capability keeps its conditions in its own file, and
// its own `…AttentionFrom` runs the same statement alone (its tests compare it with the lists).

export type AttentionQuery<Row = Record<string, unknown>> = {
  /** A statement that returns exactly one row (counts, or an aggregate of rows as JSON). */
  sql: Prisma.Sql;
  /** The items the row stands for. */
  items: (row: Row) => AttentionItem[];
};

/** One source's statement, alone. */
export async function runAttentionQuery<Row>(client: Tx, query: AttentionQuery<Row> | null): Promise<AttentionItem[]> {
  if (!query) return [];
  const [row] = await client.$queryRaw<Row[]>(query.sql);
  return query.items(row);
}

/**
 * Several sources' statements in one: each source's row as a JSON object in a column of its own
 * (row_to_json gives its integers, texts, booleans and JSON values as the driver gives them alone),
 * plus `extra` columns. Returns each source's items, in order, and the extra columns' values.
 */
export async function runAttentionQueries<Extra extends Record<string, unknown>>(
  client: Tx,
  queries: readonly (AttentionQuery<never> | null)[],
  extra: Prisma.Sql | null = null,
): Promise<{ items: AttentionItem[][]; extra: Extra }> {
  const present = queries.map((q, i) => [q, i] as const).filter((e): e is readonly [AttentionQuery<never>, number] => e[0] !== null);
  const columns = present.map(([q, i]) => Prisma.sql`(SELECT row_to_json(r) FROM (${q.sql}) r) AS ${Prisma.raw(`"q${i}"`)}`);
  if (extra) columns.push(extra);
  if (columns.length === 0) return { items: queries.map(() => []), extra: {} as Extra };
  const [row] = await client.$queryRaw<Record<string, unknown>[]>`SELECT ${Prisma.join(columns)}`;
  return { items: queries.map((q, i) => (q ? q.items(row[`q${i}`] as never) : [])), extra: row as Extra };
}
