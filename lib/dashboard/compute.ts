import "server-only";
import type { MarkupMemo } from "@/lib/charts/markup";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { shanghaiToday } from "@/lib/offboarding/time";
import { bulkReadPool, currentDatabaseUrl } from "@/lib/server/bulk-read";
import type { DbClient, Tx } from "@/lib/server/prisma-client";
import { combine, complianceScore, displayValue, keptFor, lastWeeks, rollUpFigures, stateOf, weekStartOf, type Cell, type DepartmentNode, type State, type Target } from "./evaluate";
import { FIGURES, type FigureDef } from "./figures";
import type { DashboardScope } from "./scope";
import { SingleFlight, type Computed } from "./single-flight";

// Reading the dashboard for a scope: every figure's query once (in parallel, each an aggregate
// grouped by department under the scope), rolled up the tree in memory; targets; the 12-week
// trend from the weekly snapshots; the departments ranked by score.

type Client = DbClient | Tx;

export const TREND_WEEKS = 12;

/** What wrote a refresh: the nightly job, an ADMIN by hand, or `npm start` when none had been taken yet. */
export type RefreshTrigger = "JOB" | "MANUAL" | "STARTUP";

/** The 12-week history of every figure for the departments under a path ($1 path%, $2 first week, $3 current week). */
export const TREND_SQL = `SELECT to_char(s.week_start, 'YYYY-MM-DD') AS week, s.figure_key, sum(s.value)::float8 AS value, max(s.value)::float8 AS max, sum(s.total)::float8 AS total
         FROM dashboard_snapshots s JOIN departments d ON d.id = s.department_id AND d.path LIKE $1
        WHERE s.week_start >= $2::date AND s.week_start < $3::date GROUP BY 1, 2`;

export type FigureResult = {
  def: FigureDef;
  cell: Cell;
  value: number | null;
  state: State;
  target: Target;
  /** Oldest first, the current week last (live). */
  trend: { week: string; value: number | null }[];
};

export type DepartmentRow = { department: DepartmentNode; score: number | null; states: Record<string, State> };

export type Dashboard = {
  scope: DashboardScope;
  figures: FigureResult[];
  score: number | null;
  departments: DepartmentRow[];
  lastRefresh: { finishedAt: Date; trigger: string } | null;
  generatedHistory: boolean;
  /** When the figures were counted (earlier than now when they came from the shared cache). */
  figuresAt: Date;
};

/** Every figure's own cells for every department: figure key → department id → cell. */
export type CompanyCells = Map<string, Map<string, Cell>>;

export async function figureTargets(client: Client): Promise<Map<string, Target>> {
  const rows = await client.dashboardTarget.findMany();
  const stored = new Map(rows.map((r) => [r.figureKey, { green: r.green, amber: r.amber }]));
  return new Map(FIGURES.map((f) => [f.key, stored.get(f.key) ?? f.defaultTarget]));
}

/** Each figure's rows for the departments under `pathPrefix` (a path, or "/" for all). */
type CellRow = { department_id: string; value: unknown; total: unknown };
type RunSql = (sql: string, params: unknown[]) => Promise<CellRow[]>;

export async function ownCells(client: Client | RunSql, pathPrefix: string, now: Date): Promise<CompanyCells> {
  const like = `${pathPrefix}%`;
  const today = shanghaiToday(now).toISOString().slice(0, 10);
  const run: RunSql = typeof client === "function" ? client : (sql, params) => client.$queryRawUnsafe<CellRow[]>(sql, ...params);
  const results = await Promise.all(FIGURES.map((f) => run(f.sql, [like, now, today])));
  return new Map(FIGURES.map((f, i) => [f.key, new Map(results[i].map((r) => [r.department_id, { value: Number(r.value ?? 0), total: Number(r.total ?? 0) }]))]));
}

/** The departments under a path ("/" for all), by depth then name (what the ranking and the roll-up read). */
export async function departmentsUnder(client: Client, pathPrefix: string): Promise<DepartmentNode[]> {
  return client.department.findMany({
    where: { path: { startsWith: pathPrefix } },
    select: { id: true, path: true, name: true, parentId: true, depth: true },
    orderBy: [{ depth: "asc" }, { name: "asc" }],
  });
}

export type LastRefresh = { id: string; finishedAt: Date | null; trigger: string };

/** What the dashboard page reads on every view besides the shared counts: the departments under
 * a path (as `departmentsUnder`), the targets (as `figureTargets`) and the last finished refresh. */
export type DashboardReads = { departments: DepartmentNode[]; targets: Map<string, Target>; lastRefresh: LastRefresh | null };

function lastRefreshOf(client: Client): Promise<LastRefresh | null> {
  return client.dashboardRefresh.findFirst({ where: { finishedAt: { not: null } }, orderBy: { finishedAt: "desc" }, select: { id: true, finishedAt: true, trigger: true } });
}

/**
 * `DashboardReads` in one statement (one round trip instead of three: each cost the page about a
 * third of a millisecond of the server's CPU; docs/performance.md, fourth session), with the
 * conditions and order of the Prisma reads it replaces (a test compares them).
 */
export async function dashboardReads(client: Client, pathPrefix: string): Promise<DashboardReads> {
  type Row = {
    departments: DepartmentNode[];
    targets: { figureKey: string; green: number; amber: number }[];
    last: { id: string; finishedAt: string; trigger: string } | null;
  };
  const [row] = await client.$queryRaw<Row[]>(Prisma.sql`
    SELECT (SELECT coalesce(json_agg(json_build_object('id', d.id, 'path', d.path, 'name', d.name, 'parentId', d.parent_id, 'depth', d.depth) ORDER BY d.depth, d.name), '[]'::json)
              FROM departments d WHERE starts_with(d.path, ${pathPrefix})) AS departments,
           (SELECT coalesce(json_agg(json_build_object('figureKey', t.figure_key, 'green', t.green, 'amber', t.amber)), '[]'::json) FROM dashboard_targets t) AS targets,
           (SELECT json_build_object('id', r.id, 'finishedAt', r.finished_at, 'trigger', r.trigger) FROM dashboard_refreshes r
             WHERE r.finished_at IS NOT NULL ORDER BY r.finished_at DESC LIMIT 1) AS last`);
  const stored = new Map(row.targets.map((t) => [t.figureKey, { green: t.green, amber: t.amber }]));
  return {
    departments: row.departments,
    targets: new Map(FIGURES.map((f) => [f.key, stored.get(f.key) ?? f.defaultTarget])),
    lastRefresh: row.last ? { id: row.last.id, finishedAt: new Date(row.last.finishedAt), trigger: row.last.trigger } : null,
  };
}

// The figures' cells for the whole company, counted once and shared by every request and scope for
// DASHBOARD_CACHE_SECONDS (default 60; 0 counts for every request): each scope is rolled up from
// them in memory, so eight people opening dashboards at once cost one count, not eight. Targets,
// departments and trends are read fresh on every request. One cache per database (tests).
const globalForCells = globalThis as unknown as { wegovernDashboardCells?: Map<string, SingleFlight<CompanyCells>> };

export function cacheSeconds(): number {
  const n = Number(process.env.DASHBOARD_CACHE_SECONDS ?? 60);
  return Number.isFinite(n) && n >= 0 ? n : 60;
}

/** "Count again" is honoured once the counts are this old (a burst of clicks costs one count). */
const RECOUNT_AFTER_MS = 5_000;

function bulkCellReader(): RunSql {
  return async (sql, params) => (await bulkReadPool().query<CellRow>(sql, params)).rows;
}

export function companyCells(options: { fresh?: boolean } = {}): Promise<Computed<CompanyCells>> {
  const key = currentDatabaseUrl() ?? "embedded";
  const caches = (globalForCells.wegovernDashboardCells ??= new Map());
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new SingleFlight<CompanyCells>(cacheSeconds() * 1000, () => Date.now(), RECOUNT_AFTER_MS)));
  // Counted on the bulk-read pool (its connections skip parallel workers and JIT, and it keeps
  // the count off the pool that serves the pages).
  return cache.get(() => ownCells(bulkCellReader(), "/", new Date()), options);
}

type TrendRow = { week: string; figure_key: string; value: number; max: number; total: number };
type History = { rows: TrendRow[]; generated: boolean };

// The past weeks of a scope's trend change only when a week ends or snapshots are written (every
// refresh is logged in dashboard_refreshes), so they are kept per scope under a key naming the
// first week and the last refresh: a new refresh or a new week is a new key, never a stale answer.
const HISTORY_KEEP = 500;
const globalForHistory = globalThis as unknown as { wegovernDashboardHistory?: Map<string, Promise<History>> };

function pastWeeks(client: Client, prefix: string, weeks: string[], lastRefresh: { id: string } | null): Promise<History> {
  const key = [currentDatabaseUrl() ?? "embedded", prefix, weeks[0], lastRefresh?.id ?? "-"].join("|");
  const kept = (globalForHistory.wegovernDashboardHistory ??= new Map());
  const hit = kept.get(key);
  if (hit) return hit;
  const read = Promise.all([
    client.$queryRawUnsafe<TrendRow[]>(TREND_SQL, `${prefix}%`, weeks[0], weeks[weeks.length - 1]),
    client.dashboardSnapshot.findFirst({ where: { source: "GENERATED", weekStart: { gte: new Date(`${weeks[0]}T00:00:00Z`) } }, select: { weekStart: true } }),
  ]).then(([rows, generated]) => ({ rows, generated: generated !== null }));
  read.catch(() => kept.delete(key));
  if (kept.size >= HISTORY_KEEP) kept.delete(kept.keys().next().value!);
  kept.set(key, read);
  return read;
}

type Grade = { score: number | null; states: Record<string, State> };

// Each department's states and score, kept with a kept roll-up (rollUpFigures: the same departments
// in the same order) under the targets they were read against: grading 300 departments by twenty
// figures was about 1.3 ms of every company view at scale 1 (docs/performance.md, tenth session).
const grades = new WeakMap<object, MarkupMemo<Grade[]>>();

/** Each department's states and score (in the order of `departments`, which `rolled` was rolled
 * up over). With `keep`, kept under `rolled` and the targets' values; what it returns is shared
 * and only read. */
function gradeDepartments(rolled: Map<string, Map<string, Cell>>, departments: readonly DepartmentNode[], targets: Map<string, Target>, keep: boolean): Grade[] {
  const compute = () =>
    departments.map((department) => {
      const states: Record<string, State> = {};
      const parts = FIGURES.map((def) => {
        const state = stateOf(def, rolled.get(def.key)!.get(department.id)!, targets.get(def.key)!);
        states[def.key] = state;
        return { weight: def.weight, state };
      });
      return { score: complianceScore(parts), states };
    });
  if (!keep) return compute();
  const key = FIGURES.map((def) => {
    const target = targets.get(def.key)!;
    return `${target.green} ${target.amber}`;
  }).join("|");
  return keptFor(grades, rolled, 20, key, compute);
}

/**
 * The dashboard of a scope. `cells`, when given, are the whole company's (companyCells); without
 * them the scope's own are counted now.
 */
export async function loadDashboard(
  client: Client,
  scope: DashboardScope,
  now = new Date(),
  options: {
    cells?: Computed<CompanyCells>;
    /**
     * `departmentsUnder` a path that the scope's lies under (the page reads the departments the
     * person may pick once, for its picker and for this): those under the scope's path are kept.
     */
    departments?: Promise<DepartmentNode[]>;
    /** `dashboardReads` of a path that the scope's lies under: its departments under the scope's
     * path, its targets and its last refresh are used instead of reading them. */
    reads?: Promise<DashboardReads>;
  } = {},
): Promise<Dashboard> {
  const prefix = scope.path ?? "/";
  const weeks = lastWeeks(now, TREND_WEEKS);
  const { reads } = options;
  const under = (all: DepartmentNode[]) => all.filter((d) => d.path.startsWith(prefix));
  const lastRefreshRead = reads ? reads.then((r) => r.lastRefresh) : lastRefreshOf(client);
  const [targets, departments, cells, { rows: trendRows, generated }, lastRefresh] = await Promise.all([
    reads ? reads.then((r) => r.targets) : figureTargets(client),
    reads ? reads.then((r) => under(r.departments)) : options.departments ? options.departments.then(under) : departmentsUnder(client, prefix),
    options.cells ? options.cells.value : ownCells(client, prefix, now),
    lastRefreshRead.then((r) => pastWeeks(client, prefix, weeks, r)),
    lastRefreshRead,
  ]);

  // The company's shared cells are one object while their count is kept: rolled up once per tree.
  const rolled = rollUpFigures(FIGURES, departments, cells, options.cells !== undefined);
  const scopeCell = (f: FigureDef): Cell => {
    if (scope.departmentId) return rolled.get(f.key)!.get(scope.departmentId) ?? { value: 0, total: 0 };
    // The whole company: every department's own rows (a scope without a department is the company).
    let cell: Cell = { value: 0, total: 0 };
    for (const c of cells.get(f.key)!.values()) cell = combine(f.kind, cell, c);
    return cell;
  };
  const history = new Map<string, Cell>();
  for (const r of trendRows) history.set(`${r.figure_key}|${r.week}`, { value: FIGURES.find((f) => f.key === r.figure_key)?.kind === "max" ? r.max : r.value, total: r.total });

  const snapshotWeeks = new Set(trendRows.map((r) => r.week));
  const figures: FigureResult[] = FIGURES.map((def) => {
    const cell = scopeCell(def);
    const target = targets.get(def.key)!;
    const trend = weeks.map((week, i) => {
      // A week that has a snapshot but no row for this figure counted nothing (a snapshot writes
      // only the departments with rows): 0 for a count, no value for a rate or a "max".
      const c = i === weeks.length - 1 ? cell : (history.get(`${def.key}|${week}`) ?? (snapshotWeeks.has(week) ? { value: 0, total: 0 } : undefined));
      return { week, value: c ? displayValue(def, c) : null };
    });
    return { def, cell, value: displayValue(def, cell), state: stateOf(def, cell, target), target, trend };
  });

  const graded = gradeDepartments(rolled, departments, targets, options.cells !== undefined);
  const ranked: DepartmentRow[] = departments.map((department, i) => ({ department, ...graded[i] })).filter((r) => r.department.id !== scope.departmentId);

  return {
    scope,
    figures,
    score: complianceScore(figures.map((f) => ({ weight: f.def.weight, state: f.state }))),
    departments: ranked,
    lastRefresh: lastRefresh?.finishedAt ? { finishedAt: lastRefresh.finishedAt, trigger: lastRefresh.trigger } : null,
    generatedHistory: generated,
    figuresAt: options.cells?.at ?? now,
  };
}

/**
 * Writes this week's snapshot of every figure for every department (replacing the week's earlier
 * refresh) and logs the refresh, inside the caller's transaction.
 */
export async function writeSnapshots(tx: Tx, trigger: RefreshTrigger, now = new Date()): Promise<{ weekStart: string; rows: number }> {
  const weekStart = weekStartOf(now);
  const startedAt = new Date();
  const cells = await ownCells(tx, "/", now);
  const rows = FIGURES.flatMap((f) => [...cells.get(f.key)!].map(([departmentId, c]) => ({ figureKey: f.key, departmentId, value: c.value, total: c.total })));
  const week = new Date(`${weekStart}T00:00:00Z`);
  await tx.dashboardSnapshot.deleteMany({ where: { weekStart: week } });
  for (let i = 0; i < rows.length; i += 5_000) {
    await tx.dashboardSnapshot.createMany({ data: rows.slice(i, i + 5_000).map((r) => ({ ...r, weekStart: week, source: "JOB" as const, computedAt: now })) });
  }
  await tx.dashboardRefresh.create({ data: { id: newId(), weekStart: week, trigger, rows: rows.length, startedAt, finishedAt: new Date() } });
  return { weekStart, rows: rows.length };
}
