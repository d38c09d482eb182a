import { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/server/prisma-client";
import { scopeSql, type TrainingScope } from "./scope";

// The personnel view of training (who has what open, overdue, done) as one SQL statement over the
// reader's scope: people of the subtree, their current course assignments and their current
// policy requests aggregated per person, filtered by state, sorted overdue first. Shared by the
// overview page, its CSV export and the bulk reminder so all three agree on who is meant.
// Indexes used: training_assignments(employee_id, current), policy_acknowledgements(employee_id,
// current); the departments of a scope are a handful of rows.

/**
 * Runs overview reads in one read-only transaction without PostgreSQL's JIT: these are short
 * queries whose row estimates (a subtree of the tree) are rough, and JIT compilation of such a
 * plan costs more than the query (over a second in scripts/bench/training.ts).
 */
export async function withoutJit<T>(client: Tx, run: (tx: Tx) => Promise<T>): Promise<T> {
  const c = client as Tx & { $transaction?: <R>(fn: (tx: Tx) => Promise<R>) => Promise<R> };
  if (typeof c.$transaction !== "function") return run(client);
  return c.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL jit = off`;
    return run(tx);
  });
}

export type PeopleFilter = {
  q?: string;
  state?: "overdue" | "open" | "done" | "none";
  course?: string;
  department?: string;
  sort?: "attention" | "name" | "department";
  dir?: "asc" | "desc";
};

export function peopleCte(scope: NonNullable<TrainingScope>, f: PeopleFilter): Prisma.Sql {
  const dept = f.department ? Prisma.sql`AND d."path" LIKE (SELECT "path" FROM "departments" WHERE "id" = ${f.department}) || '%'` : Prisma.empty;
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
  const q = like ? Prisma.sql`AND (e."name" ILIKE ${like} OR e."employee_no" ILIKE ${like})` : Prisma.empty;
  return Prisma.sql`SELECT e."id", e."name", e."employee_no", d."id" AS "department_id", d."name" AS "department_name"
      FROM "employees" e JOIN "departments" d ON d."id" = e."department_id"
     WHERE e."status" <> 'DEPARTED' AND ${scopeSql(scope)} ${dept} ${q}`;
}

export function overviewPeopleSql(
  scope: NonNullable<TrainingScope>,
  f: PeopleFilter,
  now: Date,
  options: { columns: "list" | "remind"; limit?: number; offset?: number },
): Prisma.Sql {
  const course = f.course ? Prisma.sql`AND a."course_id" = ${f.course}` : Prisma.empty;
  const policies = f.course ? Prisma.sql`0` : Prisma.sql`1`;
  const stateCond =
    f.state === "overdue" ? Prisma.sql`x."overdue" > 0`
    : f.state === "open" ? Prisma.sql`x."open" > 0`
    : f.state === "done" ? Prisma.sql`x."open" = 0 AND x."total" > 0`
    : Prisma.sql`TRUE`;
  // A reminder goes only to people with something open.
  const state = options.columns === "remind" ? Prisma.sql`WHERE ${stateCond} AND x."open" > 0` : Prisma.sql`WHERE ${stateCond}`;
  const dir = f.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const order =
    f.sort === "name" ? Prisma.sql`x."name" ${dir}, x."id"`
    : f.sort === "department" ? Prisma.sql`x."department_name" ${dir}, x."name", x."id"`
    : Prisma.sql`x."overdue" DESC, x."open" DESC, x."next_due" ASC NULLS LAST, x."name", x."id"`;
  const select =
    options.columns === "remind"
      ? Prisma.sql`SELECT x."id", x."open", x."overdue" FROM x ${state}`
      : Prisma.sql`SELECT x.*, count(*) OVER ()::int AS "full_count" FROM x ${state} ORDER BY ${order} LIMIT ${options.limit ?? 25} OFFSET ${options.offset ?? 0}`;
  // Per person, their current assignments and policy requests through the (employee_id, current)
  // indexes: a 2,000-person subtree is 2,000 index look-ups, never a scan of every assignment.
  // OFFSET 0 keeps each LATERAL a per-person look-up (the planner would otherwise flatten it).
  return Prisma.sql`
    WITH people AS (${peopleCte(scope, f)}),
    x AS (
      SELECT p."id", p."name", p."employee_no", p."department_id", p."department_name",
             a."open" AS "courses_open", a."overdue" AS "courses_overdue", a."done" AS "courses_done",
             k."pending" AS "policies_pending", k."overdue" AS "policies_overdue", k."total" - k."pending" AS "policies_done",
             a."open" + k."pending" AS "open",
             a."overdue" + k."overdue" AS "overdue",
             a."total" + k."total" AS "total",
             LEAST(a."next_due", k."next_due") AS "next_due"
        FROM people p
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS "total",
                 count(*) FILTER (WHERE a."status" = 'ASSIGNED')::int AS "open",
                 count(*) FILTER (WHERE a."status" = 'ASSIGNED' AND a."due_at" < ${now})::int AS "overdue",
                 count(*) FILTER (WHERE a."status" = 'COMPLETED')::int AS "done",
                 min(a."due_at") FILTER (WHERE a."status" = 'ASSIGNED') AS "next_due"
            FROM "training_assignments" a
           WHERE a."employee_id" = p."id" AND a."current" ${course}
          OFFSET 0
        ) a
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS "total",
                 count(*) FILTER (WHERE k."acknowledged_at" IS NULL)::int AS "pending",
                 count(*) FILTER (WHERE k."acknowledged_at" IS NULL AND k."due_at" < ${now})::int AS "overdue",
                 min(k."due_at") FILTER (WHERE k."acknowledged_at" IS NULL) AS "next_due"
            FROM "policy_acknowledgements" k
           WHERE k."employee_id" = p."id" AND k."current" AND ${policies} = 1
          OFFSET 0
        ) k
       ${f.course ? Prisma.sql`WHERE a."total" > 0` : Prisma.empty}
    )
    ${select}`;
}
