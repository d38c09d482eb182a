import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { attentionPageSql, OVERDUE_LADDER, overviewPeopleSql, peopleCte, peopleListRows, type PeopleFilter } from "@/lib/training/overview-sql";
import type { TrainingScope } from "@/lib/training/scope";
import { makeEmployee } from "@/prisma/factories";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { seedTrainingOrg, type Org } from "./helpers";

// The overview's people statement without a course filter chooses the page from what the order and
// the filter need, then computes the page's rows' other figures (lib/training/overview-sql.ts). It
// must give exactly what the statement before it gave, which computed every figure of every person
// first (kept below, as it was): the same rows, figures, totals and order, for every scope, state,
// order, department and search, at a due date's very millisecond, on every page, and the same
// people to remind.

const NOW = new Date("2026-11-25T02:00:00.000Z");
let db: TestDb;
let org: Org;

/** The statement as it was before (2026-12-07), for the summary path (no course filter). */
function previousSql(scope: NonNullable<TrainingScope>, f: PeopleFilter, now: Date, options: { columns: "list" | "remind"; limit?: number; offset?: number }): Prisma.Sql {
  const stateCond =
    f.state === "overdue" ? Prisma.sql`x."overdue" > 0`
    : f.state === "open" ? Prisma.sql`x."open" > 0`
    : f.state === "done" ? Prisma.sql`x."open" = 0 AND x."total" > 0`
    : Prisma.sql`TRUE`;
  const state = options.columns === "remind" ? Prisma.sql`WHERE ${stateCond} AND x."open" > 0` : Prisma.sql`WHERE ${stateCond}`;
  const dir = f.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const order =
    f.sort === "name" ? Prisma.sql`x."name" ${dir}, x."id"`
    : f.sort === "department" ? Prisma.sql`x."department_name" ${dir}, x."name", x."id"`
    : Prisma.sql`x."overdue" DESC, x."open" DESC, x."next_due" ASC NULLS LAST, x."name", x."id"`;
  const total = f.state ? Prisma.sql`count(*) OVER ()::int` : Prisma.sql`(SELECT count(*)::int FROM x)`;
  const select =
    options.columns === "remind"
      ? Prisma.sql`SELECT x."id", x."open", x."overdue" FROM x ${state}`
      : Prisma.sql`SELECT x.*, ${total} AS "full_count" FROM x ${state} ORDER BY ${order} LIMIT ${options.limit ?? 25} OFFSET ${options.offset ?? 0}`;
  const before = Prisma.sql`${new Date(now.getTime() - 1)}::timestamptz`;
  return Prisma.sql`
    WITH people AS NOT MATERIALIZED (${peopleCte(scope, f)}),
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
    )
    ${select}`;
}

beforeAll(async () => {
  db = await createTestDb();
  org = await seedTrainingOrg(db.prisma);
  // 160 more people: names from a small pool (so the orders meet ties), every department, some
  // leaving or gone; most with a summary row whose due dates fall around now, down to the millisecond.
  let seed = 20261207;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const names = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨勇", "赵磊", "黄丽", "阿明", "Anna", "周杰", "吴敏"];
  const departments = Object.values(org.dept);
  const ms = (d: number) => new Date(NOW.getTime() + d);
  const dues = [ms(-2 * 86_400_000), ms(-2), ms(-1), ms(0), ms(1), ms(3 * 86_400_000), ms(10 * 86_400_000)];
  const someDues = (max: number) => Array.from({ length: Math.floor(random() * (max + 1)) }, () => pick(dues)).sort((a, b) => a.getTime() - b.getTime());
  for (let i = 0; i < 160; i++) {
    const status = random() < 0.05 ? "DEPARTED" : random() < 0.05 ? "OFFBOARDING" : "ACTIVE";
    const person = await makeEmployee(db.prisma, { departmentId: pick(departments).id, name: pick(names), status });
    if (random() < 0.2) continue;
    const courseDues = someDues(3);
    const policyDues = someDues(2);
    await db.prisma.$executeRaw`
      INSERT INTO "training_person_summaries" ("employee_id", "course_dues", "courses_done", "policy_dues", "policies_done")
      VALUES (${person.id}, ${courseDues}::timestamptz[], ${Math.floor(random() * 3)}, ${policyDues}::timestamptz[], ${Math.floor(random() * 2)})
      ON CONFLICT ("employee_id") DO UPDATE SET "course_dues" = EXCLUDED."course_dues", "courses_done" = EXCLUDED."courses_done",
        "policy_dues" = EXCLUDED."policy_dues", "policies_done" = EXCLUDED."policies_done"`;
  }
  // 30 people with much open (6–11 items), so that every rung of the overdue ladder
  // (OVERDUE_LADDER) is the one that holds a page at some moment; four of them gone, who would
  // otherwise lead every page.
  for (let i = 0; i < 30; i++) {
    const person = await makeEmployee(db.prisma, { departmentId: pick(departments).id, name: pick(names), status: i < 4 ? "DEPARTED" : "ACTIVE" });
    const courseDues = Array.from({ length: 4 + Math.floor(random() * 4) }, () => pick(dues)).sort((a, b) => a.getTime() - b.getTime());
    const policyDues = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(dues)).sort((a, b) => a.getTime() - b.getTime());
    await db.prisma.$executeRaw`
      INSERT INTO "training_person_summaries" ("employee_id", "course_dues", "courses_done", "policy_dues", "policies_done")
      VALUES (${person.id}, ${courseDues}::timestamptz[], 0, ${policyDues}::timestamptz[], 0)`;
  }
}, 120_000);
afterAll(async () => db?.close());

describe("the overview's people statement without a course filter", () => {
  it("gives the rows, figures, totals and order the statement before it gave, for every scope, filter, order, page and time", async () => {
    const scopes: NonNullable<TrainingScope>[] = [{ kind: "all" }, { kind: "department", path: org.actors.manager.departmentPath }];
    const orders: Pick<PeopleFilter, "sort" | "dir">[] = [{}, { sort: "name" }, { sort: "name", dir: "desc" }, { sort: "department" }, { sort: "department", dir: "desc" }];
    let compared = 0;
    let rowsSeen = 0;
    for (const now of [NOW, new Date(NOW.getTime() + 1), new Date(NOW.getTime() + 5 * 86_400_000)]) {
      for (const scope of scopes) {
        for (const state of [undefined, "overdue", "open", "done"] as const) {
          for (const order of orders) {
            for (const department of [undefined, org.dept.east.id]) {
              for (const q of [undefined, "张"]) {
                const f: PeopleFilter = { state, department, q, ...order };
                const page = { columns: "list" as const, limit: 25, offset: (compared % 3) * 25 };
                const [before, after, listed] = await Promise.all([
                  db.prisma.$queryRaw(previousSql(scope, f, now, page)),
                  db.prisma.$queryRaw(overviewPeopleSql(scope, f, now, page)),
                  peopleListRows((sql) => db.prisma.$queryRaw<unknown>(sql) as Promise<unknown[]>, scope, f, now, page),
                ]);
                expect(after, JSON.stringify({ now, scope, f, page })).toEqual(before);
                expect(listed, JSON.stringify({ now, scope, f, page, listed: true })).toEqual(before);
                const remind = { columns: "remind" as const };
                const [remindBefore, remindAfter] = await Promise.all([db.prisma.$queryRaw(previousSql(scope, f, now, remind)), db.prisma.$queryRaw(overviewPeopleSql(scope, f, now, remind))]);
                const byId = (rows: unknown) => [...(rows as { id: string }[])].sort((a, b) => (a.id < b.id ? -1 : 1));
                expect(byId(remindAfter), JSON.stringify({ now, scope, f, remind: true })).toEqual(byId(remindBefore));
                compared++;
                rowsSeen += (before as unknown[]).length;
              }
            }
          }
        }
      }
    }
    expect(compared).toBe(3 * 2 * 4 * 5 * 2 * 2);
    // The comparisons met rows, overdue people at each time, and pages past the first.
    expect(rowsSeen).toBeGreaterThan(2_000);
    const overdueNow = (await db.prisma.$queryRaw<{ overdue: number }[]>(overviewPeopleSql({ kind: "all" }, { state: "overdue" }, NOW, { columns: "list", limit: 500 }))).length;
    const overdueLater = (await db.prisma.$queryRaw<{ overdue: number }[]>(overviewPeopleSql({ kind: "all" }, { state: "overdue" }, new Date(NOW.getTime() + 1), { columns: "list", limit: 500 }))).length;
    expect(overdueNow).toBeGreaterThan(10);
    // A due date at now itself becomes overdue one millisecond later.
    expect(overdueLater).toBeGreaterThan(overdueNow);
  }, 300_000);
  it("gives everyone's default view from the summaries alone: every page and page size, ties decided by name across a page's edge", async () => {
    const query = (sql: Prisma.Sql) => db.prisma.$queryRaw<{ id: string; open: number; overdue: number; next_due: Date | null; full_count: number }[]>(sql);
    const all = { kind: "all" } as const;
    let fastPages = 0;
    let fellBack = 0;
    let tiesAtAnEdge = 0;
    let pastTheOverdue = 0;
    const rungs = new Set<number>();
    // Three days before nobody is overdue, a day before few are: pages reach past the overdue into
    // the people with something open but nothing overdue, more of them than the page needs (the
    // statement's second choice, c2), from its first row (three days before) or further on.
    const states = [undefined, "overdue", "open"] as const;
    const moments = [
      [new Date(NOW.getTime() - 3 * 86_400_000), [undefined, "open"]],
      [new Date(NOW.getTime() - 86_400_000), states],
      [NOW, states],
      [new Date(NOW.getTime() + 1), states],
      [new Date(NOW.getTime() + 5 * 86_400_000), states],
    ] as const;
    for (const [now, stateList] of moments) {
      for (const state of stateList) {
        const f: PeopleFilter = { state };
        const everyone = await query(previousSql(all, f, now, { columns: "list", limit: 1000 }));
        expect(everyone.length).toBeGreaterThan(30);
        const overdue = everyone.filter((r) => r.overdue > 0).length;
        const openNotOverdue = everyone.filter((r) => r.open > 0 && r.overdue === 0).length;
        for (const limit of [7, 25]) {
          for (let offset = 0; offset <= everyone.length + limit; offset += limit) {
            const page = { limit, offset };
            const fast = attentionPageSql(all, f, now, page);
            expect(fast).not.toBeNull();
            const [before, direct, listed] = await Promise.all([
              query(previousSql(all, f, now, { columns: "list", ...page })),
              query(fast!),
              peopleListRows(query, all, f, now, page),
            ]);
            expect(listed, JSON.stringify({ now, f, page })).toEqual(before);
            // The summaries' page is the page whenever it is used: with a state filter always,
            // without one when it is full.
            if (state || direct.length === limit) {
              expect(direct, JSON.stringify({ now, f, page, direct: true })).toEqual(before);
              fastPages++;
            } else fellBack++;
            // A page whose last row shares its figures with the next row's: the order between them is the name's.
            const last = everyone[offset + limit - 1];
            const after = everyone[offset + limit];
            if (last && after && last.open === after.open && last.overdue === after.overdue && last.next_due?.getTime() === after.next_due?.getTime()) tiesAtAnEdge++;
            if (overdue < offset + limit && openNotOverdue > offset + limit) pastTheOverdue++;
            // The rung of the ladder that holds this page: the first, from the top, with offset + limit people.
            rungs.add(OVERDUE_LADDER.find((k) => everyone.filter((r) => r.overdue >= k).length >= offset + limit) ?? 1);
          }
        }
      }
    }
    expect(fastPages).toBeGreaterThan(50);
    expect(fellBack).toBeGreaterThan(5);
    expect(tiesAtAnEdge).toBeGreaterThan(5);
    expect(pastTheOverdue).toBeGreaterThan(5);
    expect([...rungs].sort((a, b) => b - a)).toEqual([...OVERDUE_LADDER, 1]);
    // Where it does not apply: a scope, a search, a department, a course, another order, "done".
    for (const [scope, f] of [
      [{ kind: "department", path: org.actors.manager.departmentPath }, {}],
      [all, { q: "张" }],
      [all, { department: org.dept.east.id }],
      [all, { course: "c" }],
      [all, { sort: "name" }],
      [all, { sort: "department" }],
      [all, { state: "done" }],
    ] as const) {
      expect(attentionPageSql(scope, f, NOW, { limit: 25, offset: 0 }), JSON.stringify(f)).toBeNull();
    }
  }, 300_000);

});
