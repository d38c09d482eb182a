import { Prisma } from "@/lib/generated/prisma/client";
import { escapeLike } from "@/lib/search";
import { scopeSql, type TrainingScope } from "./scope";

// The personnel view of training (who has what open, overdue, done) as one SQL statement over the
// reader's scope: people of the subtree, their current course assignments and their current
// policy requests aggregated per person, filtered by state, sorted overdue first. Shared by the
// overview page and the bulk reminder so both agree on who is meant (the CSV export reads the same
// people, peopleCte).
//
// Without a course filter the figures come from each person's summary row
// (training_person_summaries, kept by triggers on the two tables in the writer's transaction;
// migration 20261209_s27_training_person_summary): the due dates of what is open, sorted, and how
// many are done. Overdue is decided here, at read time: width_bucket(now − 1 ms, dues) is how many
// open due dates lie before now (due dates are stored to the millisecond), the first one is the
// next due date. With a course filter the figures are that course's alone: per person, their
// current assignments of it through the (employee_id) WHERE current index, as before.

export type PeopleFilter = {
  q?: string;
  state?: "overdue" | "open" | "done" | "none";
  course?: string;
  department?: string;
  sort?: "attention" | "name" | "department";
  dir?: "asc" | "desc";
};

/** The department filter (the department and its sub-departments) as a condition over departments d. */
export function departmentFilterSql(department: string | undefined): Prisma.Sql {
  return department ? Prisma.sql`AND d."path" LIKE (SELECT "path" FROM "departments" WHERE "id" = ${department}) || '%'` : Prisma.empty;
}

export function peopleCte(scope: NonNullable<TrainingScope>, f: PeopleFilter, options: { departments?: boolean } = {}): Prisma.Sql {
  const like = f.q ? `%${escapeLike(f.q)}%` : null;
  const q = like ? Prisma.sql`AND (e."name" ILIKE ${like} OR e."employee_no" ILIKE ${like})` : Prisma.empty;
  // Without departments (only when nothing asks for them: joinsDepartments), and only what the
  // page's choice needs: every person's department exists (a foreign key), so the join would keep
  // every row and only cost its time.
  if (options.departments === false) return Prisma.sql`SELECT e."id", e."name" FROM "employees" e WHERE e."status" <> 'DEPARTED' ${q}`;
  const dept = departmentFilterSql(f.department);
  return Prisma.sql`SELECT e."id", e."name", e."employee_no", d."id" AS "department_id", d."name" AS "department_name"
      FROM "employees" e JOIN "departments" d ON d."id" = e."department_id"
     WHERE e."status" <> 'DEPARTED' AND ${scopeSql(scope)} ${dept} ${q}`;
}

/** Whether the people's statement needs their departments before choosing the page: a scope or a
 * filter by department, or the order by department. */
function joinsDepartments(scope: NonNullable<TrainingScope>, f: PeopleFilter): boolean {
  return scope.kind !== "all" || Boolean(f.department) || f.sort === "department";
}

/** The state filter over figures named as in `x` (alias a). */
function stateSql(f: PeopleFilter, a: string): Prisma.Sql {
  const c = (column: string) => Prisma.raw(`${a}."${column}"`);
  return f.state === "overdue" ? Prisma.sql`${c("overdue")} > 0`
    : f.state === "open" ? Prisma.sql`${c("open")} > 0`
    : f.state === "done" ? Prisma.sql`${c("open")} = 0 AND ${c("total")} > 0`
    : Prisma.sql`TRUE`;
}

/** The page's order over rows named as in `x` (alias a); the id last, so every order is total. */
function orderSql(f: PeopleFilter, a: string): Prisma.Sql {
  const c = (column: string) => Prisma.raw(`${a}."${column}"`);
  const dir = f.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  return f.sort === "name" ? Prisma.sql`${c("name")} ${dir}, ${c("id")}`
    : f.sort === "department" ? Prisma.sql`${c("department_name")} ${dir}, ${c("name")}, ${c("id")}`
    : Prisma.sql`${c("overdue")} DESC, ${c("open")} DESC, ${c("next_due")} ASC NULLS LAST, ${c("name")}, ${c("id")}`;
}

/** A due date is overdue when it is before now; stored to the millisecond, so "≤ now − 1 ms". */
function beforeSql(now: Date): Prisma.Sql {
  return Prisma.sql`${new Date(now.getTime() - 1)}::timestamptz`;
}

/** A summary row t's first open due date (its next one). */
const NEXT_DUE = Prisma.sql`LEAST(t."course_dues"[1], t."policy_dues"[1])`;

/** How many of a summary row t's open due dates lie before `before`: width_bucket only for someone
 * whose first open due date does (the others have none). */
function overdueSql(before: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${NEXT_DUE} <= ${before} THEN width_bucket(${before}, t."course_dues") + width_bucket(${before}, t."policy_dues") ELSE 0 END`;
}

export function overviewPeopleSql(
  scope: NonNullable<TrainingScope>,
  f: PeopleFilter,
  now: Date,
  options: { columns: "list" | "remind"; limit?: number; offset?: number },
): Prisma.Sql {
  if (!f.course) return summarisedPeopleSql(scope, f, now, options);
  // With a course filter: that course's figures per person (countedPeople), x counted per person.
  const stateCond = stateSql(f, "x");
  // A reminder goes only to people with something open.
  const state = options.columns === "remind" ? Prisma.sql`WHERE ${stateCond} AND x."open" > 0` : Prisma.sql`WHERE ${stateCond}`;
  const select =
    options.columns === "remind"
      ? Prisma.sql`SELECT x."id", x."open", x."overdue" FROM x ${state}`
      : Prisma.sql`SELECT x.*, count(*) OVER ()::int AS "full_count" FROM x ${state} ORDER BY ${orderSql(f, "x")} LIMIT ${options.limit ?? 25} OFFSET ${options.offset ?? 0}`;
  return Prisma.sql`
    WITH ${countedPeople(scope, f, now)}
    ${select}`;
}

/**
 * Without a course filter: the figures from each person's summary row, in two steps. First every
 * person of the scope with only what the filter and the order need (k): how many open due dates
 * lie before now (width_bucket, only for someone whose first open due date does: the others have
 * none), how many are open, the first of them, and for the filter "done" how many in all. Then the
 * page's rows (top), and for those alone the rest of their figures, their number and their
 * department. Computing every figure of every person before choosing 25 of them was most of the
 * statement at 20,000 people (docs/performance.md, tenth session); the statement before it is kept
 * in tests/training/overview-statement.test.ts, which checks that both give the same.
 */
function summarisedPeopleSql(
  scope: NonNullable<TrainingScope>,
  f: PeopleFilter,
  now: Date,
  options: { columns: "list" | "remind"; limit?: number; offset?: number },
): Prisma.Sql {
  const before = beforeSql(now);
  const departments = joinsDepartments(scope, f);
  // NOT MATERIALIZED: the page reads people twice (its rows and its count), each planned on its own.
  const keys = Prisma.sql`people AS NOT MATERIALIZED (${peopleCte(scope, f, { departments })}),
    k AS NOT MATERIALIZED (
      SELECT p."id", p."name", ${f.sort === "department" ? Prisma.sql`p."department_name",` : Prisma.empty}
             ${overdueSql(before)} AS "overdue",
             COALESCE(cardinality(t."course_dues") + cardinality(t."policy_dues"), 0) AS "open",
             ${f.state === "done" ? Prisma.sql`COALESCE(cardinality(t."course_dues") + t."courses_done" + cardinality(t."policy_dues") + t."policies_done", 0) AS "total",` : Prisma.empty}
             ${NEXT_DUE} AS "next_due"
        FROM people p LEFT JOIN "training_person_summaries" t ON t."employee_id" = p."id"
    )`;
  if (options.columns === "remind") return Prisma.sql`WITH ${keys} SELECT k."id", k."open", k."overdue" FROM k WHERE ${stateSql(f, "k")} AND k."open" > 0`;
  // The total: without a state filter it is the number of people in scope, a count of its own that
  // reads no summary, cheaper than count(*) OVER (), which keeps every row in a tuplestore.
  const total = f.state ? Prisma.sql`count(*) OVER ()::int` : Prisma.sql`(SELECT count(*)::int FROM people)`;
  return Prisma.sql`
    WITH ${keys},
    top AS (SELECT k.*, ${total} AS "full_count" FROM k WHERE ${stateSql(f, "k")} ORDER BY ${orderSql(f, "k")} LIMIT ${options.limit ?? 25} OFFSET ${options.offset ?? 0})
    ${pageRowsSql(f, before)}`;
}

/** The rungs of the overdue ladder: for each k, an index of everyone whose k-th open due date (the
 * k-th earliest of their course and policy due dates together) lies before a moment, that is, who
 * has at least k overdue (migration 20261214_s36, training_kth_due). From the top down. */
export const OVERDUE_LADDER = [4, 3, 2] as const;

/**
 * The default view of everyone (ADMIN, AUDITOR and HR opening the overview: the order "attention",
 * no search, no department, no course, a state of none, "overdue" or "open") from the summaries
 * alone, without reading every person's name first. In that order everyone with something open
 * comes before everyone without (open DESC after overdue DESC, and nobody without anything open is
 * overdue), and each of them has a summary row, so the page is chosen among the summaries with
 * something open whose person has not left (s): the first offset + limit (n) by the figures alone
 * (c: bounded sorts, no names), then every summary tied with the last of them on all three figures
 * (the tie is decided by the name, which only now is read, for these rows alone), then the page.
 *
 * The first n by the figures: the overdue first (c1), the others only when there are too few (c2;
 * its condition is decided once, before any row is read). Among the overdue, the ladder: o4 is
 * everyone with at least 4 overdue, read through its index; when they are fewer than n, o3 is
 * everyone with at least 3, and so down to o1, everyone overdue. The first rung that holds n people
 * holds the first n (everyone below it has fewer overdue than each of them), so the rungs below it
 * are not read; a rung's condition, like c2's, is decided before any of its rows is read. Every
 * rung read holds the ones above it (UNION drops the repeats), and the last holds everyone tied
 * with the n-th on all three figures when that one is overdue.
 *
 * Without a state filter this is the page only while it lies among the people with something open:
 * when it returns fewer rows than the limit, the page reaches the people with nothing open and the
 * full statement gives it (peopleListRows). At 20,000 people: 23.5 → 12.6 ms per view, in psql
 * (docs/performance.md, eleventh session); with the next-due index and c1/c2, 12.0–12.5 → 6.2–6.6
 * (twelfth session); with the ladder, 7.4–8.5 → 4.5–5.3 ms per statement from the portal, planning
 * included, and 3.0–3.7 with one plan per connection (thirteenth session). Null where it does not
 * apply.
 *
 * The moment and the page's size and place enter through sub-selects ((SELECT $1)), which no
 * estimate sees into, so a plan for any values costs what a plan for the values given does and
 * PostgreSQL keeps one plan per connection from the sixth run on instead of planning every view
 * (1.9–2.2 ms each; tests/training/overview-plan.test.ts).
 */
export function attentionPageSql(scope: NonNullable<TrainingScope>, f: PeopleFilter, now: Date, options: { limit: number; offset: number }): Prisma.Sql | null {
  if (scope.kind !== "all" || f.q || f.department || f.course || f.sort === "name" || f.sort === "department" || f.state === "done") return null;
  // Sub-selects: one plan for every moment and page (above).
  const before = Prisma.sql`(SELECT ${beforeSql(now)})`;
  // Someone is overdue exactly when their first open due date is before now.
  const overdue = f.state === "overdue" ? Prisma.sql`AND ${NEXT_DUE} <= ${before}` : Prisma.empty;
  const total = f.state ? Prisma.sql`(SELECT count(*)::int FROM s)` : Prisma.sql`(SELECT count(*)::int FROM "employees" e WHERE e."status" <> 'DEPARTED')`;
  const n = Prisma.sql`(SELECT ${options.offset + options.limit}::int)`;
  const present = Prisma.sql`NOT EXISTS (SELECT 1 FROM "employees" x WHERE x."id" = t."employee_id" AND x."status" = 'DEPARTED')`;
  // The figures of an overdue summary row t.
  const figures = Prisma.sql`t."employee_id" AS "id", width_bucket(${before}, t."course_dues") + width_bucket(${before}, t."policy_dues") AS "overdue",
             cardinality(t."course_dues") + cardinality(t."policy_dues") AS "open", ${NEXT_DUE} AS "next_due"`;
  // A rung is read only when every rung above it holds fewer than n.
  const fewer = (above: string[]) => Prisma.join(above.map((r) => Prisma.sql`(SELECT count(*) FROM ${Prisma.raw(r)}) < ${n}`), " AND ");
  const names: string[] = [];
  const rungs: Prisma.Sql[] = [];
  for (const k of OVERDUE_LADDER) {
    // The expression and the condition are the index's (migration 20261214_s36), so PostgreSQL reads it.
    rungs.push(Prisma.sql`${Prisma.raw(`o${k}`)} AS MATERIALIZED (
      SELECT ${figures} FROM "training_person_summaries" t
       WHERE cardinality(t."course_dues") + cardinality(t."policy_dues") >= ${Prisma.raw(String(k))}
         AND "training_kth_due"(t."course_dues", t."policy_dues", ${Prisma.raw(String(k))}) <= ${before} AND ${present}
         ${names.length ? Prisma.sql`AND ${fewer(names)}` : Prisma.empty}),`);
    names.push(`o${k}`);
  }
  rungs.push(Prisma.sql`o1 AS MATERIALIZED (
      SELECT ${figures} FROM "training_person_summaries" t
       WHERE (cardinality(t."course_dues") > 0 OR cardinality(t."policy_dues") > 0) AND ${NEXT_DUE} <= ${before} AND ${present}
         AND ${fewer(names)}),`);
  names.push("o1");
  const c2 = f.state === "overdue" ? null : Prisma.sql`c2 AS MATERIALIZED (SELECT s.* FROM s WHERE s."next_due" > ${before} AND (SELECT count(*) FROM c1) < ${n} ORDER BY s."open" DESC, s."next_due" LIMIT ${n}),`;
  return Prisma.sql`
    WITH s AS NOT MATERIALIZED (
      SELECT t."employee_id" AS "id",
             ${overdueSql(before)} AS "overdue",
             cardinality(t."course_dues") + cardinality(t."policy_dues") AS "open",
             ${NEXT_DUE} AS "next_due"
        FROM "training_person_summaries" t
       WHERE (cardinality(t."course_dues") > 0 OR cardinality(t."policy_dues") > 0) ${overdue}
         AND ${present}
    ),
    ${Prisma.join(rungs, "\n    ")}
    o AS MATERIALIZED (${Prisma.raw(names.map((r) => `SELECT * FROM ${r}`).join(" UNION "))}),
    c1 AS MATERIALIZED (SELECT o.* FROM o ORDER BY o."overdue" DESC, o."open" DESC, o."next_due" LIMIT ${n}),
    ${c2 ?? Prisma.empty}
    c AS MATERIALIZED (SELECT u.* FROM (SELECT * FROM c1 ${c2 ? Prisma.sql`UNION ALL SELECT * FROM c2` : Prisma.empty}) u ORDER BY u."overdue" DESC, u."open" DESC, u."next_due" LIMIT ${n}),
    edge AS MATERIALIZED (SELECT c.* FROM c ORDER BY c."overdue", c."open", c."next_due" DESC LIMIT 1),
    tied AS (
      SELECT c.* FROM c
      UNION
      SELECT o.* FROM o, edge WHERE edge."overdue" > 0 AND o."overdue" = edge."overdue" AND o."open" = edge."open" AND o."next_due" = edge."next_due"
      UNION
      SELECT s.* FROM s WHERE (SELECT "overdue" FROM edge) = 0 AND s."next_due" = (SELECT "next_due" FROM edge) AND s."open" = (SELECT "open" FROM edge) AND s."overdue" = 0
    ),
    top AS (
      SELECT x.*, ${total} AS "full_count"
        FROM (SELECT tied.*, e."name" FROM tied JOIN "employees" e ON e."id" = tied."id") x
       ORDER BY ${orderSql(f, "x")} LIMIT (SELECT ${options.limit}::int) OFFSET (SELECT ${options.offset}::int)
    )
    ${pageRowsSql(f, before)}`;
}

/** The list's page of people: the default view from the summaries where it can (attentionPageSql),
 * the full statement otherwise. `query` runs a statement. */
export async function peopleListRows<Row>(
  query: (sql: Prisma.Sql) => Promise<Row[]>,
  scope: NonNullable<TrainingScope>,
  f: PeopleFilter,
  now: Date,
  page: { limit: number; offset: number },
): Promise<Row[]> {
  const fast = attentionPageSql(scope, f, now, page);
  if (fast) {
    const rows = await query(fast);
    // With a state filter everyone it shows has something open: the rows are the page.
    if (f.state || rows.length === page.limit) return rows;
  }
  return query(overviewPeopleSql(scope, f, now, { columns: "list", ...page }));
}

/** The page's rows (top: id, name, open, overdue, next_due, full_count, in any order) with the
 * rest of their figures, their number and their department, in the page's order. */
function pageRowsSql(f: PeopleFilter, before: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT top."id", top."name", e."employee_no", d."id" AS "department_id", d."name" AS "department_name",
           cardinality(COALESCE(t."course_dues", '{}')) AS "courses_open", width_bucket(${before}, COALESCE(t."course_dues", '{}')) AS "courses_overdue",
           COALESCE(t."courses_done", 0) AS "courses_done",
           cardinality(COALESCE(t."policy_dues", '{}')) AS "policies_pending", width_bucket(${before}, COALESCE(t."policy_dues", '{}')) AS "policies_overdue",
           COALESCE(t."policies_done", 0) AS "policies_done",
           top."open", top."overdue",
           cardinality(COALESCE(t."course_dues", '{}')) + COALESCE(t."courses_done", 0) + cardinality(COALESCE(t."policy_dues", '{}')) + COALESCE(t."policies_done", 0) AS "total",
           top."next_due", top."full_count"
      FROM top JOIN "employees" e ON e."id" = top."id" JOIN "departments" d ON d."id" = e."department_id"
      LEFT JOIN "training_person_summaries" t ON t."employee_id" = top."id"
     ORDER BY ${orderSql(f, "top")}`;
}

/** x: the people of the scope with their figures for one course, counted from their assignments of it. */
function countedPeople(scope: NonNullable<TrainingScope>, f: PeopleFilter, now: Date): Prisma.Sql {
  // Per person, their current assignments of the course through the (employee_id) WHERE current
  // index: a 2,000-person subtree is 2,000 index look-ups, never a scan of every assignment.
  // OFFSET 0 keeps the LATERAL a per-person look-up (the planner would otherwise flatten it).
  return Prisma.sql`people AS (${peopleCte(scope, f)}),
    x AS (
      SELECT p."id", p."name", p."employee_no", p."department_id", p."department_name",
             a."open" AS "courses_open", a."overdue" AS "courses_overdue", a."done" AS "courses_done",
             0 AS "policies_pending", 0 AS "policies_overdue", 0 AS "policies_done",
             a."open", a."overdue", a."total", a."next_due"
        FROM people p
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS "total",
                 count(*) FILTER (WHERE a."status" = 'ASSIGNED')::int AS "open",
                 count(*) FILTER (WHERE a."status" = 'ASSIGNED' AND a."due_at" < ${now})::int AS "overdue",
                 count(*) FILTER (WHERE a."status" = 'COMPLETED')::int AS "done",
                 min(a."due_at") FILTER (WHERE a."status" = 'ASSIGNED') AS "next_due"
            FROM "training_assignments" a
           WHERE a."employee_id" = p."id" AND a."current" AND a."course_id" = ${f.course}
          OFFSET 0
        ) a
       WHERE a."total" > 0
    )`;
}
