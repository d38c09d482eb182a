import { Prisma } from "@/lib/generated/prisma/client";
import { escapeLike } from "@/lib/search";
import type { Tx } from "@/lib/server/prisma-client";
import type { ItemFilter } from "./schemas";

// One SQL condition for "the items of this case matching the filter", shared by the item list, its
// counts and the bulk commands: "select all N matching" acts on exactly what the page counted.
// Returns a sub-select of handover item ids (aliases h2 and c2 are private to it).

export type ResolvedFilter = ItemFilter & { itemId?: string };

export function matchingItemIds(caseId: string, filter: ResolvedFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`h2."case_id" = ${caseId}`];
  if (filter.itemId) conditions.push(Prisma.sql`h2."id" = ${filter.itemId}`);
  if (filter.kind) conditions.push(Prisma.sql`h2."kind" = ${filter.kind}::"HandoverItemKind"`);
  if (filter.status) conditions.push(Prisma.sql`h2."status" = ${filter.status}::"HandoverItemStatus"`);
  if (filter.unassignedOnly) conditions.push(Prisma.sql`h2."successor_id" IS NULL`);
  if (filter.accountId) conditions.push(Prisma.sql`(h2."account_id" = ${filter.accountId} OR c2."account_id" = ${filter.accountId})`);
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    conditions.push(Prisma.sql`(h2."label" ILIKE ${like} OR c2."name" ILIKE ${like} OR c2."company" ILIKE ${like})`);
  }
  return Prisma.sql`SELECT h2."id" FROM "handover_items" h2 LEFT JOIN "customer_contacts" c2 ON c2."id" = h2."contact_id" WHERE ${Prisma.join(conditions, " AND ")}`;
}

/**
 * The matching items' ids, read once and handed back as a list (`SELECT unnest(<ids>)`) for the
 * statements that change them. Written as `h."id" IN (matchingItemIds(…))` inside an UPDATE, the
 * filter's subquery could be planned as a semi-join rescanned for every row when the tables have no
 * planner statistics yet (a fresh install's first large case: 17 s for 5,000 contacts, measured);
 * a list of known length is planned from its length, statistics or not.
 */
export async function resolveItemIds(tx: Tx, caseId: string, filter: ResolvedFilter): Promise<{ ids: Prisma.Sql; count: number }> {
  const rows = await tx.$queryRaw<{ id: string }[]>`${matchingItemIds(caseId, filter)}`;
  const list = rows.map((r) => r.id);
  return { ids: Prisma.sql`SELECT unnest(${list}::text[])`, count: list.length };
}
