import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import type { AuditFilters } from "./schemas";
import { auditDiff, type FieldChange } from "./diff";
import { auditDayRange } from "./time";
import { escapeLike } from "@/lib/search";

// Reads of the audit trail. The table grows to millions of rows, so every list is keyset-paged
// on the primary key (never OFFSET), the count is capped, and the filter selects are read with a
// loose index scan. Filters go into the Prisma where (parameterised), never into SQL text.

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_EXPORT_PAGE_SIZE = 2_000;
export const AUDIT_COUNT_CAP = 10_000;

export type AuditEventRow = {
  id: string;
  createdAt: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  ip: string | null;
  before: unknown;
  after: unknown;
  hash: string;
  prevHash: string;
};

type EventRecord = Prisma.AuditEventGetPayload<object>;

function toRow(e: EventRecord): AuditEventRow {
  return { ...e, id: e.id.toString() };
}

export function auditWhere(filters: AuditFilters): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filters.actor) {
    and.push({ OR: [{ actorLabel: { contains: escapeLike(filters.actor), mode: "insensitive" } }, { actorId: filters.actor }] });
  }
  if (filters.entityType) and.push({ entityType: filters.entityType });
  if (filters.entityId) and.push({ entityId: filters.entityId });
  if (filters.action) {
    and.push(filters.action.endsWith(".") ? { action: { startsWith: escapeLike(filters.action) } } : { action: filters.action });
  }
  if (filters.from || filters.to) and.push({ createdAt: auditDayRange(filters.from, filters.to) });
  return { AND: and };
}

export type AuditPage = {
  events: AuditEventRow[];
  /** `after=` for the page of newer events, or null when this page holds the newest. */
  newerCursor: string | null;
  /** `before=` for the page of older events, or null when nothing older matches. */
  olderCursor: string | null;
};

/**
 * One page of events, newest first. `before=<id>` gives the page below an event, `after=<id>`
 * the page above it; when fewer than a page remain above, the newest page is shown instead.
 */
export async function listAuditEvents(client: Tx, filters: AuditFilters, pageSize = AUDIT_PAGE_SIZE): Promise<AuditPage> {
  const where = auditWhere(filters);
  const within = (id: Prisma.BigIntFilter): Prisma.AuditEventWhereInput => ({ AND: [where, { id }] });
  const anyWhere = async (id: Prisma.BigIntFilter) =>
    (await client.auditEvent.findFirst({ where: within(id), select: { id: true }, orderBy: { id: "desc" } })) !== null;

  if (filters.after && !filters.before) {
    const rows = await client.auditEvent.findMany({ where: within({ gt: BigInt(filters.after) }), orderBy: { id: "asc" }, take: pageSize + 1 });
    if (rows.length > pageSize) {
      const events = rows.slice(0, pageSize).reverse();
      const oldest = events[events.length - 1].id;
      return {
        events: events.map(toRow),
        newerCursor: events[0].id.toString(),
        olderCursor: (await anyWhere({ lt: oldest })) ? oldest.toString() : null,
      };
    }
    return listAuditEvents(client, { ...filters, after: undefined }, pageSize);
  }

  const rows = await client.auditEvent.findMany({
    where: filters.before ? within({ lt: BigInt(filters.before) }) : where,
    orderBy: { id: "desc" },
    take: pageSize + 1,
  });
  const events = rows.slice(0, pageSize);
  const hasOlder = rows.length > pageSize;
  const hasNewer = filters.before !== undefined && events.length > 0 && (await anyWhere({ gt: events[0].id }));
  return {
    events: events.map(toRow),
    newerCursor: hasNewer ? events[0].id.toString() : null,
    olderCursor: hasOlder ? events[events.length - 1].id.toString() : null,
  };
}

/**
 * One event's before → after, field by field (lib/audit/diff.ts), for the audit trail's folded
 * change list, which loads when it is opened (app/api/audit/changes): null when no such event.
 */
export async function auditEventChanges(client: Tx, id: string): Promise<FieldChange[] | null> {
  const event = await client.auditEvent.findUnique({ where: { id: BigInt(id) }, select: { before: true, after: true } });
  return event ? auditDiff(event.before, event.after) : null;
}

export type AuditCount = { count: number; capped: boolean };

/**
 * How many events match, counting no further than `cap` (shown as "more than 10,000") and giving
 * up after `timeoutMs` (null) so a filter no index serves cannot tie up the database.
 */
export async function countAuditEvents(client: DbClient, filters: AuditFilters, options: { cap?: number; timeoutMs?: number } = {}): Promise<AuditCount | null> {
  const cap = options.cap ?? AUDIT_COUNT_CAP;
  const where = auditWhere(filters);
  if (where.AND && Array.isArray(where.AND) && where.AND.length === 0) {
    // Unfiltered (the trail's first view): the count reads at most cap + 1 entries of the primary
    // key's index, bounded without a timeout; the interactive transaction that sets one (BEGIN,
    // set_config, the count, COMMIT: four round trips) is for filters no index may serve.
    const n = await client.auditEvent.count({ take: cap + 1 });
    return { count: Math.min(n, cap), capped: n > cap };
  }
  try {
    const n = await client.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT set_config('statement_timeout', ${String(options.timeoutMs ?? 2_000)}, true)`;
      return tx.auditEvent.count({ where, take: cap + 1 });
    });
    return { count: Math.min(n, cap), capped: n > cap };
  } catch (error) {
    if (isStatementTimeout(error)) return null;
    throw error;
  }
}

function isStatementTimeout(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === "57014" || (typeof message === "string" && /statement timeout|57014/.test(message))) return true;
  }
  return false;
}

// Distinct values by a loose index scan: one index probe per distinct value instead of reading
// the whole index (PostgreSQL has no skip scan before 18). Bounded, for a select's options.
export async function auditEntityTypes(client: Tx): Promise<string[]> {
  const rows = await client.$queryRaw<{ v: string }[]>`
    WITH RECURSIVE t(v) AS (
      (SELECT entity_type FROM audit_events ORDER BY entity_type LIMIT 1)
      UNION ALL
      SELECT (SELECT e.entity_type FROM audit_events e WHERE e.entity_type > t.v ORDER BY e.entity_type LIMIT 1)
        FROM t WHERE t.v IS NOT NULL
    )
    SELECT v FROM t WHERE v IS NOT NULL LIMIT 500`;
  return rows.map((r) => r.v);
}

export async function auditActionNames(client: Tx): Promise<string[]> {
  const rows = await client.$queryRaw<{ v: string }[]>`
    WITH RECURSIVE t(v) AS (
      (SELECT action FROM audit_events ORDER BY action LIMIT 1)
      UNION ALL
      SELECT (SELECT e.action FROM audit_events e WHERE e.action > t.v ORDER BY e.action LIMIT 1)
        FROM t WHERE t.v IS NOT NULL
    )
    SELECT v FROM t WHERE v IS NOT NULL LIMIT 500`;
  return rows.map((r) => r.v);
}

/**
 * Every matching event, oldest first, a page at a time (the CSV export): memory holds one page
 * however many millions match. Bounded by the newest id at the start, so events written while
 * the export runs do not stretch it out, and the file is one consistent cut of the chain.
 */
export async function* auditEventPages(client: Tx, filters: AuditFilters, pageSize = AUDIT_EXPORT_PAGE_SIZE): AsyncGenerator<AuditEventRow[]> {
  const where = auditWhere({ ...filters, before: undefined, after: undefined });
  const newest = await client.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  if (!newest) return;
  let lastId = BigInt(0);
  for (;;) {
    const rows = await client.auditEvent.findMany({
      where: { AND: [where, { id: { gt: lastId, lte: newest.id } }] },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    if (rows.length > 0) yield rows.map(toRow);
    if (rows.length < pageSize) return;
    lastId = rows[rows.length - 1].id;
  }
}
