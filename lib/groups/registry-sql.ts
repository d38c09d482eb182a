import { Prisma } from "@/lib/generated/prisma/client";
import { escapeLike } from "@/lib/search";
import { ARCHIVE_STALE_DAYS, isoDay, localDay, reviewDueRange } from "./policy-rules";
import { FILTER_KEYS, LIVE_STATUSES, type GroupFilters, type GroupListParams } from "./schemas";
import type { ScopeActor } from "./scope";

// The registry's scope and filters as SQL conditions on `work_groups g`: what groupScope
// (lib/groups/scope.ts) and registryWhere (lib/groups/queries.ts) say as a Prisma where, so that
// the registry's page (its total, its rows with their owners and departments, and the department
// select) is one statement (docs/performance.md, "The groups registry in one statement").
// tests/groups/registry-sql.test.ts compares the two for every kind of person, filter and sort.

const LIVE = Prisma.raw(`g.status IN (${LIVE_STATUSES.map((s) => `'${s}'`).join(", ")})`);

/** The groups a person owns, administers or requested (ownGroups): three index lookups, where
 * `owner_id = … OR requester_id = … OR EXISTS (…)` read every group (one person's view of
 * 10,000 groups: ~1 ms instead of a sequential scan with a probe per group). */
export function ownGroupsSql(actorId: string): Prisma.Sql {
  return Prisma.sql`g.id IN (SELECT o.id FROM work_groups o WHERE o.owner_id = ${actorId}
    UNION ALL SELECT r.id FROM work_groups r WHERE r.requester_id = ${actorId}
    UNION ALL SELECT a.group_id FROM work_group_administrators a WHERE a.employee_id = ${actorId})`;
}

/** The groups of a department path's subtree (subtreeDepartmentIds). */
function subtreeSql(path: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`g.department_id IN (SELECT sd.id FROM departments sd WHERE starts_with(sd.path, ${path}))`;
}

/** The groups a person may read (groupScope). */
export function groupScopeSql(actor: ScopeActor, options: { mineOnly?: boolean } = {}): Prisma.Sql {
  if (options.mineOnly) return ownGroupsSql(actor.id);
  if (actor.permissions.has("groups.read:all")) return Prisma.sql`TRUE`;
  if (actor.permissions.has("groups.read:department")) return Prisma.sql`(${ownGroupsSql(actor.id)} OR ${subtreeSql(Prisma.sql`${actor.departmentPath}`)})`;
  if (actor.permissions.has("groups.request")) return ownGroupsSql(actor.id);
  return Prisma.sql`FALSE`;
}

/** Live groups whose owner has left, or whom WeCom reports as left (ownerlessGroupIds). */
export const OWNERLESS_SQL = Prisma.sql`(g.owner_id = ANY (ARRAY(SELECT id FROM employees WHERE status = 'DEPARTED')) OR g.wecom_status IN (1, 2)) AND ${LIVE}`;
/**
 * How many groups within `scope` (a condition on g) OWNERLESS_SQL finds, as two counts that share
 * no group: live groups whose owner has left (an index-only scan of the live groups' owners,
 * work_groups_live_owner_idx), and live groups WeCom reports as left whose owner has not. With the
 * OR in one condition PostgreSQL read every matching group's row (the home page at scale 1: 5.2–7.8
 * → 3.2 ms; docs/performance.md, eleventh session).
 */
export function ownerlessCountSql(scope: Prisma.Sql): Prisma.Sql {
  const departedOwner = Prisma.sql`g.owner_id = ANY (ARRAY(SELECT id FROM employees WHERE status = 'DEPARTED'))`;
  return Prisma.sql`((SELECT count(*)::int FROM work_groups g WHERE ${scope} AND ${LIVE} AND ${departedOwner})
    + (SELECT count(*)::int FROM work_groups g WHERE ${scope} AND ${LIVE} AND g.wecom_status IN (1, 2) AND NOT COALESCE(${departedOwner}, FALSE)))`;
}
/** UNREGISTERED_WHERE. */
export const UNREGISTERED_SQL = Prisma.sql`g.outside_portal AND g.wecom_gone_at IS NULL AND ${LIVE}`;
/** VIOLATING_WHERE. The groups with open violations as an array worked out once (the open rows
 * are few, by the partial index on resolved_at IS NULL), then looked up by primary key: as a
 * semi-join (EXISTS or IN) PostgreSQL read every group and hashed the violations — the home page's
 * count took 23–26 ms against 2.8–3.3 at scale 0.1 (docs/performance.md, fifth session). */
export const VIOLATING_SQL = Prisma.sql`${LIVE} AND g.wecom_gone_at IS NULL AND g.id = ANY (ARRAY(SELECT v.group_id FROM work_group_violations v WHERE v.resolved_at IS NULL))`;

const likeContains = (value: string) => `%${escapeLike(value)}%`;

/** The registry's conditions (registryWhere) on `work_groups g`. */
export function registrySql(actor: ScopeActor, filters: GroupFilters & { q?: string }, now: Date): Prisma.Sql {
  const and: Prisma.Sql[] = [groupScopeSql(actor, { mineOnly: filters.mine !== undefined })];
  if (filters.mine === "owner") and.push(Prisma.sql`g.owner_id = ${actor.id}`);
  if (filters.status) and.push(Prisma.sql`g.status = ${filters.status}::"WorkGroupStatus"`);
  if (filters.classification) and.push(Prisma.sql`g.classification = ${filters.classification}::"WorkGroupClassification"`);
  if (filters.kind) and.push(Prisma.sql`g.kind = ${filters.kind}::"WorkGroupKind"`);
  if (filters.platform) and.push(Prisma.sql`g.platform = ${filters.platform}::"WorkGroupPlatform"`);
  if (filters.review) {
    const range = reviewDueRange(filters.review, now);
    and.push(Prisma.sql`g.status = 'ACTIVE'`);
    if (range.gte) and.push(Prisma.sql`g.review_due_at >= ${range.gte}::timestamptz`);
    if (range.lt) and.push(Prisma.sql`g.review_due_at < ${range.lt}::timestamptz`);
  }
  if (filters.department) and.push(subtreeSql(Prisma.sql`(SELECT fd.path FROM departments fd WHERE fd.id = ${filters.department})`));
  if (filters.owner) {
    const like = likeContains(filters.owner);
    and.push(Prisma.sql`g.owner_id IN (SELECT e.id FROM employees e WHERE e.name ILIKE ${like} OR e.email ILIKE ${like} OR e.employee_no ILIKE ${escapeLike(filters.owner)})`);
  }
  if (filters.ownerless) and.push(OWNERLESS_SQL);
  if (filters.outside) and.push(UNREGISTERED_SQL);
  if (filters.violations) and.push(VIOLATING_SQL);
  if (filters.archive === "stale") {
    const cutoff = isoDay(new Date(localDay(now).getTime() - ARCHIVE_STALE_DAYS * 86_400_000));
    and.push(Prisma.sql`g.status = 'ACTIVE' AND (g.last_archived_on IS NULL OR g.last_archived_on < ${cutoff}::date)`);
  }
  if (filters.q) and.push(Prisma.sql`g.name ILIKE ${likeContains(filters.q)}`);
  return Prisma.join(and, " AND ");
}

/**
 * The registry's total for these conditions. A view of every group with nothing asked (a person
 * who may read every group, no filter, no search) reads the kept sum of work_group_tally, which
 * statement-level triggers on work_groups keep exact in every snapshot (migration
 * 20261215_s37_work_group_tally): counting 100,000 groups cost 5–6 ms of PostgreSQL on every view
 * at scale 1. Any other view counts its groups.
 */
export function registryTotalSql(actor: ScopeActor, filters: GroupFilters & { q?: string }, now: Date): Prisma.Sql {
  const everyGroup = actor.permissions.has("groups.read:all") && !filters.q && FILTER_KEYS.every((key) => !filters[key]);
  if (everyGroup) return Prisma.sql`(SELECT coalesce(sum(t.delta), 0)::int FROM work_group_tally t)`;
  return Prisma.sql`(SELECT count(*)::int FROM work_groups g WHERE ${registrySql(actor, filters, now)})`;
}

const SORT_COLUMNS: Record<GroupListParams["sort"], string> = {
  name: "name",
  status: "status",
  classification: "classification",
  reviewDueAt: "review_due_at",
  expectedSize: "expected_size",
  createdAt: "created_at",
};

/** The registry's order (the id breaks ties in the same direction; reviews due last when none is). */
export function registryOrderSql(params: Pick<GroupListParams, "sort" | "dir">): Prisma.Sql {
  const dir = params.dir === "asc" ? "ASC" : "DESC";
  const nulls = params.sort === "reviewDueAt" ? " NULLS LAST" : "";
  return Prisma.raw(`g.${SORT_COLUMNS[params.sort]} ${dir}${nulls}, g.id ${dir}`);
}
