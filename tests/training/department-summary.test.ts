import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createEmployee, updateEmployee } from "@/lib/directory/commands";
import { employeeCreateSchema, employeeUpdateSchema } from "@/lib/directory/schemas";
import type { Actor } from "@/lib/server/actor";
import { makeEmployee } from "@/prisma/factories";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { twoTransactions, type Statement } from "../helpers/two-transactions";
import { everyoneCourses, everyTrainingWrite, seedTrainingOrg, type Org } from "./helpers";

// The overview's per-department summary (training_department_summaries, kept by triggers on
// training_assignments, policy_acknowledgements and employees; migration
// 20261211_s30_training_department_summary): after every kind of write, including a person's move
// to another department, a departure, a return, a new hire and a deletion, it equals a recount of
// the current rows by each person's department; the overview's per-course and per-policy figures
// read from it equal a count of the rows for every scope; and an assignment written while its
// person moves (either one first) is counted in the department the person ends up in.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { trainingStats } = await import("@/lib/training/queries");

const onPostgres = Boolean(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);
const NOW = new Date("2026-11-25T02:00:00Z");
let db: TestDb;
let org: Org;
let courseA: string;
let courseB: string;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedTrainingOrg(db.prisma);
  ({ courseA, courseB } = await everyoneCourses(db.prisma, org, "DEP", NOW));
});
afterAll(async () => db?.close());

type Row = { department_id: string; kind: "course" | "policy"; item_id: string; total: number; done: number; dues: Date[] };
type Counted = { employeeId: string; item: string; kind: "course" | "policy"; open: boolean; dueAt: Date };

/** Every current row of someone who has not departed, with their department. */
async function countedRows(): Promise<(Counted & { departmentId: string })[]> {
  const [people, assignments, acks] = await Promise.all([
    db.prisma.employee.findMany({ where: { status: { not: "DEPARTED" } }, select: { id: true, departmentId: true } }),
    db.prisma.trainingAssignment.findMany({ where: { current: true }, select: { employeeId: true, courseId: true, status: true, dueAt: true } }),
    db.prisma.policyAcknowledgement.findMany({ where: { current: true }, select: { employeeId: true, documentId: true, acknowledgedAt: true, dueAt: true } }),
  ]);
  const department = new Map(people.map((p) => [p.id, p.departmentId]));
  const rows: Counted[] = [
    ...assignments.map((a) => ({ employeeId: a.employeeId, item: a.courseId, kind: "course" as const, open: a.status === "ASSIGNED", dueAt: a.dueAt })),
    ...acks.map((k) => ({ employeeId: k.employeeId, item: k.documentId, kind: "policy" as const, open: !k.acknowledgedAt, dueAt: k.dueAt })),
  ];
  return rows.filter((r) => department.has(r.employeeId)).map((r) => ({ ...r, departmentId: department.get(r.employeeId)! }));
}

async function expectSummaryRight() {
  const stored = await db.prisma.$queryRaw<Row[]>`
    SELECT "department_id", "kind", "item_id", "total", "done", "dues" FROM "training_department_summaries" WHERE "total" > 0 ORDER BY 1, 2, 3`;
  const expected = new Map<string, Row>();
  for (const r of await countedRows()) {
    const key = `${r.departmentId}|${r.kind}|${r.item}`;
    const row = expected.get(key) ?? expected.set(key, { department_id: r.departmentId, kind: r.kind, item_id: r.item, total: 0, done: 0, dues: [] }).get(key)!;
    row.total++;
    if (r.open) row.dues.push(r.dueAt);
    else row.done++;
  }
  const key = (r: Row) => `${r.department_id}|${r.kind}|${r.item_id}`;
  const recount = [...expected.values()].map((r) => ({ ...r, dues: r.dues.sort((x, y) => x.getTime() - y.getTime()) })).sort((x, y) => (key(x) < key(y) ? -1 : 1));
  expect(stored.map((r) => ({ ...r })).sort((x, y) => (key(x) < key(y) ? -1 : 1))).toEqual(recount);
  return stored;
}

/** The overview's figures for a reader (and a department filter) equal a count of the rows of the people in that scope. */
async function expectStatsRight(actor: Actor, department: string | undefined, now: Date) {
  const departments = await db.prisma.department.findMany({ select: { id: true, path: true } });
  const pathOf = new Map(departments.map((d) => [d.id, d.path]));
  const under = (id: string, prefix: string) => pathOf.get(id)!.startsWith(prefix);
  const filterPath = department ? pathOf.get(department)! : "";
  const scopePath = actor.permissions.has("training.read:all") ? "" : actor.departmentPath;
  const rows = (await countedRows()).filter((r) => under(r.departmentId, scopePath) && under(r.departmentId, filterPath));
  const figures = (kind: "course" | "policy", item: string) => {
    const mine = rows.filter((r) => r.kind === kind && r.item === item);
    return { total: mine.length, done: mine.filter((r) => !r.open).length, overdue: mine.filter((r) => r.open && r.dueAt < now).length };
  };
  const stats = await trainingStats(actor, db.prisma, now, department);
  const courses = await db.prisma.trainingCourse.findMany({ orderBy: { code: "asc" }, select: { id: true } });
  const documents = await db.prisma.policyDocument.findMany({ orderBy: { code: "asc" }, select: { id: true } });
  expect(stats.courses.map((c) => ({ id: c.id, total: c.assigned, done: c.completed, overdue: c.overdue }))).toEqual(courses.map((c) => ({ id: c.id, ...figures("course", c.id) })));
  expect(stats.policies.map((p) => ({ id: p.id, total: p.asked, done: p.acknowledged, overdue: p.overdue }))).toEqual(documents.map((d) => ({ id: d.id, ...figures("policy", d.id) })));
  return stats;
}

async function expectEveryScopeRight() {
  for (const now of [NOW, new Date("2028-06-01T00:00:00Z")]) {
    await expectStatsRight(org.actors.admin, undefined, now);
    await expectStatsRight(org.actors.admin, org.dept.sales.id, now);
    await expectStatsRight(org.actors.manager, undefined, now);
    await expectStatsRight(org.actors.manager, org.dept.hz.id, now);
  }
}

async function moveOrDepart(employeeId: string, change: { departmentId?: string; status?: "ACTIVE" | "OFFBOARDING" | "DEPARTED"; leaveDate?: string }) {
  const e = await db.prisma.employee.findUniqueOrThrow({ where: { id: employeeId } });
  expectOk(
    await run(
      db.prisma,
      org.actors.admin,
      employeeUpdateSchema,
      {
        id: e.id,
        version: String(e.version),
        name: e.name,
        email: e.email,
        departmentId: change.departmentId ?? e.departmentId,
        managerNo: "",
        status: change.status ?? e.status,
        hireDate: e.hireDate.toISOString().slice(0, 10),
        leaveDate: change.leaveDate ?? "",
      },
      updateEmployee,
    ),
  );
}

describe("the per-department summary", () => {
  it("follows the training writes: a passed quiz, a completion recorded by hand, a policy, its acknowledgement, a new version, a moved due date, a renewal", async () => {
    expect((await expectSummaryRight()).length).toBeGreaterThan(0);
    const stats = await expectStatsRight(org.actors.admin, undefined, NOW);
    expect(stats.courses.find((c) => c.id === courseA)?.assigned).toBeGreaterThan(0);

    await everyTrainingWrite({ prisma: db.prisma, org, courseA, courseB, now: NOW, code: "DEP-P", signIn: (a) => (session.actor = a) }, expectSummaryRight);

    // Statements of many rows: every open due date of a course moved (equal dates, several per
    // department), one row handed to another person in another department, one deleted.
    await db.prisma.trainingAssignment.updateMany({ where: { courseId: courseB, status: "ASSIGNED" }, data: { dueAt: new Date("2026-12-24T09:00:00Z") } });
    await expectSummaryRight();
    const handed = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId: courseB, employeeId: org.people.east1.id, current: true } });
    await db.prisma.trainingAssignment.update({ where: { id: handed.id }, data: { employeeId: org.people.it1.id, cycle: 50 } });
    await expectSummaryRight();
    const unattempted = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId: courseB, current: true, attemptRecords: { none: {} } } });
    await db.prisma.trainingAssignment.delete({ where: { id: unattempted.id } });
    await expectSummaryRight();
    await expectEveryScopeRight();
  });

  it("follows the directory: a move, a departure, a return, a new hire and a deletion", async () => {
    // hz2 moves from HZ (in the manager's SALES-EAST) to IT (outside it).
    await moveOrDepart(org.people.hz2.id, { departmentId: org.dept.it.id });
    await expectSummaryRight();
    await expectEveryScopeRight();

    // The person still offboarding leaves: their rows count nowhere; then they come back.
    await moveOrDepart(org.people.leaving.id, { status: "DEPARTED", leaveDate: "2026-11-30" });
    await expectSummaryRight();
    await moveOrDepart(org.people.leaving.id, { status: "ACTIVE" });
    await expectSummaryRight();

    // A new hire in SALES-EAST is assigned the courses for everyone at once.
    const made = expectOk(
      await run(db.prisma, org.actors.hr, employeeCreateSchema, { employeeNo: "DEP-NEW-1", name: "新同事", email: "dep-new1@example.test", departmentId: org.dept.east.id, hireDate: "2026-11-02", roles: "EMPLOYEE" }, createEmployee),
    );
    expect(await db.prisma.trainingAssignment.count({ where: { employeeId: made.id, current: true } })).toBeGreaterThan(0);
    await expectSummaryRight();
    await expectEveryScopeRight();

    // Rows written before their person is in the directory count once the person is; a deleted
    // person's rows stop counting (training rows name people by id, without a foreign key).
    const early = "dep-early-person";
    await db.prisma.trainingAssignment.create({ data: { courseId: courseA, employeeId: early, courseVersion: 1, assignedAt: NOW, dueAt: new Date("2026-11-26T00:00:00Z") } });
    await expectSummaryRight();
    await db.prisma.employee.create({ data: { id: early, employeeNo: "DEP-EARLY", name: "早到", email: "dep-early@example.test", departmentId: org.dept.hz.id, hireDate: new Date("2026-11-02") } });
    const counted = await expectSummaryRight();
    expect(counted.find((r) => r.department_id === org.dept.hz.id && r.item_id === courseA)?.dues).toContainEqual(new Date("2026-11-26T00:00:00Z"));
    await db.prisma.employee.delete({ where: { id: early } });
    await expectSummaryRight();
    await expectEveryScopeRight();
  });

  it("a department without people has no figures, and one with people outside the reader's scope shows none of them", async () => {
    const manager = await expectStatsRight(org.actors.manager, undefined, NOW);
    const admin = await expectStatsRight(org.actors.admin, undefined, NOW);
    const a = (s: typeof admin) => s.courses.find((c) => c.id === courseA)!.assigned;
    expect(a(manager)).toBeGreaterThan(0);
    expect(a(manager)).toBeLessThan(a(admin));
    const empty = await expectStatsRight(org.actors.admin, org.dept.empty.id, NOW);
    expect(empty.courses.every((c) => c.assigned === 0)).toBe(true);
  });
});

// A person's department can change while a transaction writes their training rows. Whichever
// commits first, the rows end up counted in the department the person is in at the end: the
// writer holds a shared lock on the person until it commits, which the move's trigger waits for
// (and the other way round).
describe.skipIf(!onPostgres)("a person moved while their training is written", () => {
  const assign = (courseId: string, employeeId: string): Statement => [
    `INSERT INTO "training_assignments" ("id", "course_id", "employee_id", "cycle", "current", "status", "source", "course_version", "assigned_at", "due_at", "updated_at")
     VALUES (replace(gen_random_uuid()::text, '-', ''), $1, $2, 77, true, 'ASSIGNED', 'MANUAL', 1, now(), now() + interval '3 days', now())`,
    [courseId, employeeId],
  ];
  const complete = (id: string): Statement => [`UPDATE "training_assignments" SET "status" = 'COMPLETED', "completed_at" = now(), "method" = 'QUIZ', "score" = 100 WHERE "id" = $1`, [id]];
  const move = (employeeId: string, departmentId: string): Statement => [`UPDATE "employees" SET "department_id" = $2 WHERE "id" = $1`, [employeeId, departmentId]];
  const depart = (employeeId: string): Statement => [`UPDATE "employees" SET "status" = 'DEPARTED', "leave_date" = CURRENT_DATE WHERE "id" = $1`, [employeeId]];
  const extraCourse = (code: string) =>
    db.prisma.trainingCourse.create({ data: { code, titleZh: "补充", titleEn: "Extra", category: "OTHER", content: "x", quiz: [], passingScore: 50, audienceKind: "EVERYONE", audience: {}, dueWorkingDays: 5 } });
  const figure = async (departmentId: string, courseId: string) =>
    (await db.prisma.$queryRaw<{ total: number }[]>`SELECT "total" FROM "training_department_summaries" WHERE "department_id" = ${departmentId} AND "kind" = 'course' AND "item_id" = ${courseId}`)[0]?.total ?? 0;

  it("an assignment first, the move second: counted in the new department", async () => {
    const person = org.people.east1.id;
    const course = await extraCourse("DEP-RACE-1");
    const race = await twoTransactions(db.appUrl, assign(course.id, person), move(person, org.dept.it.id));
    await expectSummaryRight();
    expect(await figure(org.dept.it.id, course.id)).toBe(1);
    expect(await figure(org.dept.east.id, course.id)).toBe(0);
    expect(race).toEqual({ waited: true });
  });

  it("the move first, an assignment second: counted in the new department", async () => {
    const person = org.people.hz1.id;
    const course = await extraCourse("DEP-RACE-2");
    const race = await twoTransactions(db.appUrl, move(person, org.dept.east.id), assign(course.id, person));
    await expectSummaryRight();
    expect(await figure(org.dept.east.id, course.id)).toBe(1);
    expect(await figure(org.dept.hz.id, course.id)).toBe(0);
    expect(race).toEqual({ waited: true });
  });

  it("two people of one department completing the same course at once: both counted", async () => {
    const course = await extraCourse("DEP-RACE-3");
    const due = new Date("2026-12-01T00:00:00Z");
    const pair = [await makeEmployee(db.prisma, { departmentId: org.dept.empty.id, name: "并发甲" }), await makeEmployee(db.prisma, { departmentId: org.dept.empty.id, name: "并发乙" })];
    const [x, y] = await Promise.all(
      pair.map(({ id: employeeId }) => db.prisma.trainingAssignment.create({ data: { courseId: course.id, employeeId, courseVersion: 1, assignedAt: NOW, dueAt: due } })),
    );
    const race = await twoTransactions(db.appUrl, complete(x.id), complete(y.id));
    const [row] = await db.prisma.$queryRaw<Row[]>`SELECT "total", "done", "dues" FROM "training_department_summaries" WHERE "department_id" = ${org.dept.empty.id} AND "kind" = 'course' AND "item_id" = ${course.id}`;
    expect(row).toMatchObject({ total: 2, done: 2, dues: [] });
    await expectSummaryRight();
    expect(race).toEqual({ waited: true });
  });

  it("a completion and a departure at once, either first: the person's rows count nowhere", async () => {
    const [x] = await db.prisma.trainingAssignment.findMany({ where: { employeeId: org.people.it1.id, current: true, status: "ASSIGNED" }, take: 1 });
    const first = await twoTransactions(db.appUrl, complete(x.id), depart(org.people.it1.id));
    await expectSummaryRight();
    expect(first).toEqual({ waited: true });
    const [y] = await db.prisma.trainingAssignment.findMany({ where: { employeeId: org.people.manager.id, current: true, status: "ASSIGNED" }, take: 1 });
    const second = await twoTransactions(db.appUrl, depart(org.people.manager.id), complete(y.id));
    await expectSummaryRight();
    expect(second).toEqual({ waited: true });
  });
});
