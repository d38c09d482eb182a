import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { forbidden } from "@/lib/server/errors";
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

/** No filter but perhaps a cursor: the count is the whole trail's. */
function isUnfiltered(filters: AuditFilters): boolean {
  const { AND } = auditWhere(filters);
  return Array.isArray(AND) && AND.length === 0;
}

/** auditWhere as SQL over `audit_events e`, for the trail's one statement (auditTrailView); the
 * same conditions (tests/audit/trail-view.test.ts compares the two), every value a parameter. */
function auditSqlWhere(filters: AuditFilters): Prisma.Sql {
  const and: Prisma.Sql[] = [];
  if (filters.actor) and.push(Prisma.sql`(e.actor_label ILIKE ${`%${escapeLike(filters.actor)}%`} OR e.actor_id = ${filters.actor})`);
  if (filters.entityType) and.push(Prisma.sql`e.entity_type = ${filters.entityType}`);
  if (filters.entityId) and.push(Prisma.sql`e.entity_id = ${filters.entityId}`);
  if (filters.action) {
    and.push(filters.action.endsWith(".") ? Prisma.sql`e.action LIKE ${`${escapeLike(filters.action)}%`}` : Prisma.sql`e.action = ${filters.action}`);
  }
  const range = filters.from || filters.to ? auditDayRange(filters.from, filters.to) : {};
  if (range.gte) and.push(Prisma.sql`e.created_at >= ${range.gte}::timestamptz`);
  if (range.lt) and.push(Prisma.sql`e.created_at < ${range.lt}::timestamptz`);
  return and.length > 0 ? Prisma.join(and, " AND ") : Prisma.sql`TRUE`;
}

/** A row of the trail's page: what the list shows, with the names of the fields the event changed
 * (computed by PostgreSQL from before and after, which are not sent: auditChangedFields). */
export type AuditTrailRow = Omit<AuditEventRow, "before" | "after" | "hash" | "prevHash"> & {
  /** The changed fields' names, sorted (null: the value as a whole); null when the event has no before nor after. */
  changed: (string | null)[] | null;
};

export type AuditTrailPage = Omit<AuditPage, "events"> & { events: AuditTrailRow[] };

/** A row of the trail's page as the statement gives it: a JSON array (no key names to send and parse
 * fifty times), the time in milliseconds since the epoch. */
type JsonRow = [id: string, createdAt: number, actorId: string | null, actorLabel: string, action: string, entityType: string, entityId: string, ip: string | null, changed: (string | null)[] | null];

/**
 * An event's changed fields in SQL, for `e` (auditDiff's rule, by names only): neither side (SQL or
 * JSON null) → NULL; both objects (or null) → the keys not present on both sides with equal values
 * (jsonb equality: key order aside, as canonical JSON); otherwise the whole value, [NULL] when it
 * changed. jsonb equals what canonical JSON compares for the values the app writes (JSON.stringify's
 * numbers; no NUL nor lone surrogate, which jsonb refuses): tests/audit/trail-view.test.ts.
 */
const CHANGED_FIELDS = Prisma.sql`(
  SELECT CASE
    WHEN v.b IS NULL AND v.a IS NULL THEN NULL
    WHEN coalesce(jsonb_typeof(v.b), 'object') = 'object' AND coalesce(jsonb_typeof(v.a), 'object') = 'object' THEN
      array(SELECT k FROM (SELECT jsonb_object_keys(coalesce(v.b, '{}')) UNION SELECT jsonb_object_keys(coalesce(v.a, '{}'))) ks(k)
             WHERE NOT (coalesce(v.b ? k, false) AND coalesce(v.a ? k, false) AND v.b -> k = v.a -> k))
    WHEN v.b IS DISTINCT FROM v.a THEN ARRAY[NULL::text]
    ELSE '{}'::text[]
  END
  FROM (SELECT nullif(e.before, 'null'::jsonb) AS b, nullif(e.after, 'null'::jsonb) AS a) v)`;

/** A column's distinct values by a loose index scan: one index probe per distinct value instead of
 * reading the whole index (PostgreSQL has no skip scan before 18). Bounded, for a select's options.
 * `pattern`: the column's index has the text_pattern_ops class (audit_events.action, so that it
 * serves LIKE 'prefix%' under any collation: migration 20261210_s29_list_indexes), which orders by
 * the class's own operators (~<~, ~>~: byte order) rather than the collation's. */
function distinctValuesSql(column: "entity_type" | "action", pattern = false): Prisma.Sql {
  const c = Prisma.raw(column);
  const [order, after] = pattern ? [Prisma.raw("USING ~<~"), Prisma.raw("~>~")] : [Prisma.empty, Prisma.raw(">")];
  return Prisma.sql`
    WITH RECURSIVE t(v) AS (
      (SELECT ${c} FROM audit_events ORDER BY ${c} ${order} LIMIT 1)
      UNION ALL
      SELECT (SELECT e.${c} FROM audit_events e WHERE e.${c} ${after} t.v ORDER BY e.${c} ${order} LIMIT 1)
        FROM t WHERE t.v IS NOT NULL
    )
    SELECT v FROM t WHERE v IS NOT NULL LIMIT 500`;
}

const ENTITY_TYPES_SQL = distinctValuesSql("entity_type");
const ACTION_NAMES_SQL = distinctValuesSql("action", true);

export type AuditTrailView = {
  entityTypes: string[];
  actions: string[];
  page: AuditTrailPage;
  /** As countAuditEvents gives it: null when a filtered count ran out of time. */
  count: AuditCount | null;
};

/**
 * The trail's page as the person sees it, in one statement (each costs the server ~0.3–0.6 ms of
 * CPU, whatever it does: docs/performance.md): the filter selects' values, the page of events
 * newest first with whether a newer and an older page exist, each event's changed fields (its
 * before and after stay in the database), and, unfiltered, the capped count. A filtered count
 * runs beside it in countAuditEvents' transaction, whose statement timeout a single statement
 * cannot have for a part of itself. Paging is listAuditEvents' (tests/audit/trail-view.test.ts
 * compares the two).
 *
 * Who may see what: the trail has no scope by department or person; `audit.read` reads every
 * event and nothing is read without it (refused here too, not only by the page).
 */
export async function auditTrailView(
  client: DbClient,
  actor: { permissions: ReadonlySet<string> },
  filters: AuditFilters,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<AuditTrailView> {
  if (!actor.permissions.has("audit.read")) throw forbidden();
  const unfiltered = isUnfiltered(filters);
  const [view, filteredCount] = await Promise.all([readTrail(client, filters, pageSize, unfiltered), unfiltered ? null : countAuditEvents(client, filters)]);
  const { total, ...rest } = view;
  return { ...rest, count: total === null ? filteredCount : { count: Math.min(total, AUDIT_COUNT_CAP), capped: total > AUDIT_COUNT_CAP } };
}

type TrailRead = Omit<AuditTrailView, "count"> & { total: number | null };

/** auditTrailView's statement: `before=` the page below an event, `after=` the page above it, the
 * newest page when fewer than a page remain above (then a second statement). */
async function readTrail(client: Tx, filters: AuditFilters, pageSize: number, withCount: boolean): Promise<TrailRead> {
  const where = auditSqlWhere(filters);
  const up = filters.after !== undefined && filters.before === undefined;
  const cursor = up ? Prisma.sql`AND e.id > ${BigInt(filters.after!)}` : filters.before ? Prisma.sql`AND e.id < ${BigInt(filters.before)}` : Prisma.empty;
  // Newer than the page (`before=`) / older than it (`after=` with a full page): the links' targets.
  // The nearest match by the primary key (ORDER BY … LIMIT 1): a bare EXISTS against a bound known
  // only at run time was planned as a sequential scan, which reads the whole table when the first
  // match is far.
  const newer = filters.before
    ? Prisma.sql`(SELECT e.id FROM audit_events e WHERE ${where} AND e.id > (SELECT max(id) FROM page) ORDER BY e.id ASC LIMIT 1) IS NOT NULL`
    : Prisma.sql`false`;
  const older = up
    ? Prisma.sql`CASE WHEN (SELECT count(*) FROM page) > ${pageSize}
        THEN (SELECT e.id FROM audit_events e WHERE ${where} AND e.id < (SELECT min(id) FROM page) ORDER BY e.id DESC LIMIT 1) IS NOT NULL ELSE false END`
    : Prisma.sql`false`;
  // Unfiltered, the count reads at most cap + 1 entries of the primary key's index.
  const count = withCount ? Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM audit_events LIMIT ${AUDIT_COUNT_CAP + 1}) c)` : Prisma.sql`NULL::bigint`;
  const [row] = await client.$queryRaw<{ entity_types: string[] | null; actions: string[] | null; total: bigint | null; newer: boolean; older: boolean; rows: JsonRow[] | null }[]>`
    WITH page AS (
      SELECT e.id, e.created_at, e.actor_id, e.actor_label, e.action, e.entity_type, e.entity_id, e.ip, e.before, e.after
        FROM audit_events e
       WHERE ${where} ${cursor}
       ORDER BY e.id ${up ? Prisma.sql`ASC` : Prisma.sql`DESC`}
       LIMIT ${pageSize + 1}
    )
    SELECT (SELECT array_agg(v ORDER BY v) FROM (${ENTITY_TYPES_SQL}) o) AS entity_types,
           (SELECT array_agg(v ORDER BY v) FROM (${ACTION_NAMES_SQL}) o) AS actions,
           ${count} AS total, ${newer} AS newer, ${older} AS older,
           (SELECT json_agg(json_build_array(e.id::text, (extract(epoch FROM e.created_at) * 1000)::bigint, e.actor_id, e.actor_label,
                   e.action, e.entity_type, e.entity_id, e.ip, ${CHANGED_FIELDS}) ORDER BY e.id DESC)
              FROM page e) AS rows`;
  if (up && (row.rows?.length ?? 0) <= pageSize) return readTrail(client, { ...filters, after: undefined }, pageSize, withCount);
  const all = (row.rows ?? []).map(
    ([id, createdAt, actorId, actorLabel, action, entityType, entityId, ip, changed]): AuditTrailRow => ({
      id,
      createdAt: new Date(createdAt),
      actorId,
      actorLabel,
      action,
      entityType,
      entityId,
      ip,
      changed: changed?.sort() ?? null,
    }),
  );
  // Up: the page is the `pageSize` oldest of the rows above the cursor; down: the newest below it.
  const events = up ? all.slice(all.length - pageSize) : all.slice(0, pageSize);
  const hasOlder = up ? row.older : all.length > pageSize;
  const hasNewer = up || row.newer;
  return {
    entityTypes: row.entity_types ?? [],
    actions: row.actions ?? [],
    page: {
      events,
      newerCursor: hasNewer && events.length > 0 ? events[0].id : null,
      olderCursor: hasOlder && events.length > 0 ? events[events.length - 1].id : null,
    },
    total: row.total === null ? null : Number(row.total),
  };
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
  if (isUnfiltered(filters)) {
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

// The filter selects' values alone (distinctValuesSql); the page reads them in its statement.
export async function auditEntityTypes(client: Tx): Promise<string[]> {
  const rows = await client.$queryRaw<{ v: string }[]>(ENTITY_TYPES_SQL);
  return rows.map((r) => r.v);
}

export async function auditActionNames(client: Tx): Promise<string[]> {
  const rows = await client.$queryRaw<{ v: string }[]>(ACTION_NAMES_SQL);
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
