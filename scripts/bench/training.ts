import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { permissionsOf } from "../../lib/auth/permissions";
import type { Actor } from "../../lib/server/actor";
import { migrate } from "../../lib/server/migrate";
import { createPrismaClient } from "../../lib/server/prisma-client";
import { inUnitOfWork } from "../../lib/server/unit-of-work";
import { createCourse, publishPolicyVersion } from "../../lib/training/commands";
import { courseStats, overviewPeople, policyStats } from "../../lib/training/queries";
import { courseSchema, overviewSchema } from "../../lib/training/schemas";
import { makeDepartment, makeEmployee } from "../../prisma/factories";
import { ensureAuditKey } from "../local-env";
import { median, round, scratchDatabase } from "./_scratch-db";

// "20,000 employees and 10 courses: creating all assignments for a new course finishes in under
// 10 seconds of server time and the manager's overview for a 2,000-person department renders
// under 300 ms of server time." Builds the directory with set-based SQL on a scratch database (a
// new database on DATABASE_URL's server, dropped afterwards; or an in-memory PGlite), then times
// createCourse (everyone: one INSERT … SELECT for the whole directory, with its audit event) ten
// times, and the overview page's three queries for a manager of a 2,000-person subtree.

const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 20_000);
const DEPARTMENT_SIZE = Number(process.env.BENCH_DEPARTMENT ?? 2_000);
const COURSES = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CREATE_BUDGET_MS = 10_000;
const OVERVIEW_BUDGET_MS = 300;


const QUIZ = "? 问题一\n- 错\n* 对\n? 问题二\n* 对\n- 错\n? 问题三\n- 错\n* 对\n? 问题四\n* 对\n- 错";

async function main() {
  // createCourse and publishing write audit events: the local audit key (as the other benches).
  ensureAuditKey((line) => console.log(line));
  const db = await scratchDatabase("training");
  console.log(`database: ${db.kind}; ${EMPLOYEES} employees, a ${DEPARTMENT_SIZE}-person department, ${COURSES} courses`);
  await migrate(db.url);
  const prisma = createPrismaClient(db.url, 5);
  try {
    // The directory: HQ with 9 ordinary departments and one large one of 4 groups (the manager's subtree).
    const hq = await makeDepartment(prisma, { name: "总部", code: "BENCH-HQ" });
    const big = await makeDepartment(prisma, { name: "大部门", code: "BENCH-BIG", parentId: hq.id });
    const groups = [];
    for (let i = 0; i < 4; i++) groups.push(await makeDepartment(prisma, { name: `大部门${i + 1}组`, code: `BENCH-BIG-${i}`, parentId: big.id }));
    const others = [];
    for (let i = 0; i < 9; i++) others.push(await makeDepartment(prisma, { name: `部门${i + 1}`, code: `BENCH-D${i}`, parentId: hq.id }));
    const adminRow = await makeEmployee(prisma, { departmentId: hq.id, name: "管理员", roles: ["ADMIN"] });
    const managerRow = await makeEmployee(prisma, { departmentId: big.id, name: "经理", roles: ["MANAGER", "EMPLOYEE"] });
    const bigIds = groups.map((g) => g.id);
    const otherIds = others.map((d) => d.id);
    const t0 = performance.now();
    await prisma.$executeRaw`
      INSERT INTO "employees" ("id", "employee_no", "name", "email", "department_id", "status", "hire_date", "version", "created_at", "updated_at")
      SELECT 'bench' || lpad(n::text, 8, '0'), 'B' || lpad(n::text, 6, '0'), '员工' || n, 'b' || n || '@bench.test',
             CASE WHEN n <= ${DEPARTMENT_SIZE - 1} THEN (${bigIds}::text[])[1 + n % 4] ELSE (${otherIds}::text[])[1 + n % 9] END,
             'ACTIVE', DATE '2020-01-01' + (n % 2000), 1, now(), now()
        FROM generate_series(1, ${EMPLOYEES - 2}) AS n`;
    await prisma.$executeRaw`INSERT INTO "employee_roles" ("employee_id", "role", "created_at", "updated_at") SELECT "id", 'EMPLOYEE', now(), now() FROM "employees" WHERE "id" LIKE 'bench%'`;
    await prisma.$executeRaw`ANALYZE`;
    console.log(`directory built in ${round(performance.now() - t0)} ms: ${await prisma.employee.count()} employees`);

    const admin: Actor = { id: adminRow.id, name: "管理员", email: adminRow.email, roles: ["ADMIN"], permissions: permissionsOf(["ADMIN"]), departmentId: hq.id, departmentPath: hq.path, ip: null };
    const manager: Actor = { id: managerRow.id, name: "经理", email: managerRow.email, roles: ["MANAGER", "EMPLOYEE"], permissions: permissionsOf(["MANAGER", "EMPLOYEE"]), departmentId: big.id, departmentPath: big.path, ip: null };

    // Ten courses for everyone: each createCourse assigns the whole directory.
    const create: number[] = [];
    for (let i = 0; i < COURSES; i++) {
      const input = courseSchema.parse({ code: `BENCH-${i}`, titleZh: `课程${i}`, titleEn: `Course ${i}`, category: "OTHER", content: "# 材料", quizText: QUIZ, passingScore: "75", audienceKind: "EVERYONE", recurrence: i % 2 ? "YEARLY" : "NONE", dueWorkingDays: "10" });
      const s = performance.now();
      const made = await inUnitOfWork(prisma, admin, ({ tx, audit }) => createCourse({ actor: admin, input, tx, audit }));
      const ms = performance.now() - s;
      if (made.assigned !== EMPLOYEES) throw new Error(`course ${i}: assigned ${made.assigned}, expected ${EMPLOYEES}`);
      create.push(ms);
      console.log(`course ${i + 1}: createCourse with ${made.assigned} assignments in ${round(ms)} ms`);
    }
    // A policy for everyone, and a realistic mix: 60 % completed, 10 % overdue.
    const doc = await prisma.policyDocument.create({ data: { code: "BENCH-POLICY", titleZh: "制度", titleEn: "Policy" } });
    const ps = performance.now();
    const published = await inUnitOfWork(prisma, admin, ({ tx, audit }) => publishPolicyVersion({ actor: admin, input: { documentId: doc.id, body: "# 制度", dueWorkingDays: 10, currentVersionNo: 0 }, tx, audit }));
    const publishMs = performance.now() - ps;
    console.log(`policy v1 published, ${published.asked} people asked, in ${round(publishMs)} ms`);
    await prisma.$executeRaw`UPDATE "training_assignments" SET "status" = 'COMPLETED', "completed_at" = now(), "method" = 'QUIZ', "score" = 100, "attempts" = 1 WHERE abs(hashtext("id")) % 10 < 6`;
    await prisma.$executeRaw`UPDATE "training_assignments" SET "due_at" = now() - interval '3 days' WHERE "status" = 'ASSIGNED' AND abs(hashtext("id")) % 10 = 9`;
    await prisma.$executeRaw`UPDATE "policy_acknowledgements" SET "acknowledged_at" = now() WHERE abs(hashtext("id")) % 10 < 7`;
    await prisma.$executeRaw`ANALYZE`;

    // The overview page's queries for the manager of the 2,000-person department (and, for
    // comparison, the administrator reading all 20,000).
    const timeOverview = async (actor: Actor) => {
      const runs: number[] = [];
      let people = 0;
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        const [page] = await Promise.all([overviewPeople(actor, prisma, overviewSchema.parse({})), courseStats(actor, prisma), policyStats(actor, prisma)]);
        runs.push(performance.now() - s);
        people = page.total;
      }
      return { runs, people };
    };
    if (process.env.BENCH_EXPLAIN) {
      const { overviewPeopleSql } = await import("../../lib/training/overview-sql");
      const q = overviewPeopleSql({ kind: "department", path: big.path }, {}, new Date(), { columns: "list", limit: 25, offset: 0 });
      const plan = await prisma.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ANALYZE ${q.text}`, ...q.values);
      console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
      for (const [name, fn] of [["people", () => overviewPeople(manager, prisma, overviewSchema.parse({}))], ["courses", () => courseStats(manager, prisma)], ["policies", () => policyStats(manager, prisma)]] as const) {
        const s = performance.now();
        await fn();
        console.log(`${name}: ${round(performance.now() - s)} ms`);
      }
    }
    const mgr = await timeOverview(manager);
    if (mgr.people !== DEPARTMENT_SIZE) throw new Error(`manager sees ${mgr.people} people, expected ${DEPARTMENT_SIZE}`);
    console.log(`manager overview (${mgr.people} people): ${mgr.runs.map(round).join(", ")} ms`);
    const all = await timeOverview(admin);
    console.log(`administrator overview (${all.people} people): ${all.runs.map(round).join(", ")} ms`);

    const figures = {
      benchmark: "training: create a course for everyone among N employees; manager's overview of a 2,000-person subtree",
      database: db.kind,
      employees: EMPLOYEES,
      courses: COURSES,
      createCourseMs: { median: round(median(create)), max: round(Math.max(...create)), budget: CREATE_BUDGET_MS, withinBudget: Math.max(...create) <= CREATE_BUDGET_MS },
      publishPolicyMs: round(publishMs),
      managerOverviewMs: { people: mgr.people, median: round(median(mgr.runs)), max: round(Math.max(...mgr.runs)), budget: OVERVIEW_BUDGET_MS, withinBudget: median(mgr.runs) <= OVERVIEW_BUDGET_MS },
      adminOverviewMs: { people: all.people, median: round(median(all.runs)), max: round(Math.max(...all.runs)) },
      at: new Date().toISOString(),
    };
    console.log(
      `createCourse (${EMPLOYEES} assignments): median ${figures.createCourseMs.median} ms, max ${figures.createCourseMs.max} ms (budget ${CREATE_BUDGET_MS} ms: ${figures.createCourseMs.withinBudget ? "met" : "NOT met"}); ` +
        `manager overview (${mgr.people} people, ${COURSES} courses): median ${figures.managerOverviewMs.median} ms, max ${figures.managerOverviewMs.max} ms (budget ${OVERVIEW_BUDGET_MS} ms: ${figures.managerOverviewMs.withinBudget ? "met" : "NOT met"}); ` +
        `administrator overview (${all.people} people): median ${figures.adminOverviewMs.median} ms`,
    );
    const out = path.resolve("bench/results/training.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), out)}`);
  } finally {
    await prisma.$disconnect();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
