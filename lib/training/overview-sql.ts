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

export function peopleCte(scope: NonNullable<TrainingScope>, f: PeopleFilter): Prisma.Sql {
  const dept = departmentFilterSql(f.department);
  const like = f.q ? `%${escapeLike(f.q)}%` : null;
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
  // The total: without a state or course filter it is the number of people in scope, a count of
  // its own that reads no summary (the planner drops the unused join), cheaper than
  // count(*) OVER (), which keeps every row of the scope in a tuplestore. A state filter needs
  // every person's figures anyway, and with a course filter x is counted per person: OVER ().
  const total = f.course || f.state ? Prisma.sql`count(*) OVER ()::int` : Prisma.sql`(SELECT count(*)::int FROM x)`;
  const select =
    options.columns === "remind"
      ? Prisma.sql`SELECT x."id", x."open", x."overdue" FROM x ${state}`
      : Prisma.sql`SELECT x.*, ${total} AS "full_count" FROM x ${state} ORDER BY ${order} LIMIT ${options.limit ?? 25} OFFSET ${options.offset ?? 0}`;
  return Prisma.sql`
    WITH ${f.course ? countedPeople(scope, f, now) : summarisedPeople(scope, f, now)}
    ${select}`;
}

/** x: the people of the scope with their figures from their summary rows (no course filter). */
function summarisedPeople(scope: NonNullable<TrainingScope>, f: PeopleFilter, now: Date): Prisma.Sql {
  // A due date is overdue when it is before now; stored to the millisecond, so "≤ now − 1 ms".
  const before = Prisma.sql`${new Date(now.getTime() - 1)}::timestamptz`;
  // NOT MATERIALIZED: the page reads x twice (its rows and its count), each planned on its own.
  return Prisma.sql`people AS NOT MATERIALIZED (${peopleCte(scope, f)}),
    s AS NOT MATERIALIZED (
      SELECT p."id", p."name", p."employee_no", p."department_id", p."department_name",
             COALESCE(t."course_dues", '{}') AS "course_dues", COALESCE(t."courses_done", 0) AS "courses_done",
             COALESCE(t."policy_dues", '{}') AS "policy_dues", COALESCE(t."policies_done", 0) AS "policies_done"
        FROM people p LEFT JOIN "training_person_summaries" t ON t."employee_id" = p."id"
    ),
    x AS NOT MATERIALIZED (
      SELECT s."id", s."name", s."employee_no", s."department_id", s."department_name",
             cardinality(s."course_dues") AS "courses_open", width_bucket(${before}, s."course_dues") AS "courses_overdue", s."courses_done",
             cardinality(s."policy_dues") AS "policies_pending", width_bucket(${before}, s."policy_dues") AS "policies_overdue", s."policies_done",
             cardinality(s."course_dues") + cardinality(s."policy_dues") AS "open",
             width_bucket(${before}, s."course_dues") + width_bucket(${before}, s."policy_dues") AS "overdue",
             cardinality(s."course_dues") + s."courses_done" + cardinality(s."policy_dues") + s."policies_done" AS "total",
             LEAST(s."course_dues"[1], s."policy_dues"[1]) AS "next_due"
        FROM s
    )`;
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
