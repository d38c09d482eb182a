import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { twoTransactions, type Statement } from "../helpers/two-transactions";
import { everyoneCourses, everyTrainingWrite, seedTrainingOrg, type Org } from "./helpers";

// The overview's per-person summary (training_person_summaries, kept by triggers on
// training_assignments and policy_acknowledgements; migration 20261209_s27_training_person_summary):
// after every kind of write it equals a recount of the person's current rows, and two
// transactions changing the same person at once both count (no lost update).

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { overviewPeople } = await import("@/lib/training/queries");
const { overviewSchema } = await import("@/lib/training/schemas");

const onPostgres = Boolean(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);
const NOW = new Date("2026-11-25T02:00:00Z");
let db: TestDb;
let org: Org;
let courseA: string;
let courseB: string;

beforeAll(async () => {
  db = await createTestDb();
  org = await seedTrainingOrg(db.prisma);
  ({ courseA, courseB } = await everyoneCourses(db.prisma, org, "SUM", NOW));
});
afterAll(async () => db?.close());

type Summary = { employee_id: string; course_dues: Date[]; courses_done: number; policy_dues: Date[]; policies_done: number };

/** Every summary row, and what a recount of the current rows says each should be (people with rows). */
async function summariesAndRecount() {
  const stored = await db.prisma.$queryRaw<Summary[]>`
    SELECT "employee_id", "course_dues", "courses_done", "policy_dues", "policies_done" FROM "training_person_summaries"
     WHERE cardinality("course_dues") + "courses_done" + cardinality("policy_dues") + "policies_done" > 0 ORDER BY "employee_id"`;
  const [assignments, acks] = await Promise.all([
    db.prisma.trainingAssignment.findMany({ where: { current: true }, select: { employeeId: true, status: true, dueAt: true } }),
    db.prisma.policyAcknowledgement.findMany({ where: { current: true }, select: { employeeId: true, acknowledgedAt: true, dueAt: true } }),
  ]);
  const expected = new Map<string, Summary>();
  const of = (id: string) => expected.get(id) ?? expected.set(id, { employee_id: id, course_dues: [], courses_done: 0, policy_dues: [], policies_done: 0 }).get(id)!;
  for (const a of assignments) {
    if (a.status === "ASSIGNED") of(a.employeeId).course_dues.push(a.dueAt);
    else of(a.employeeId).courses_done++;
  }
  for (const k of acks) {
    if (k.acknowledgedAt) of(k.employeeId).policies_done++;
    else of(k.employeeId).policy_dues.push(k.dueAt);
  }
  const recount = [...expected.values()]
    .map((s) => ({ ...s, course_dues: s.course_dues.sort((x, y) => x.getTime() - y.getTime()), policy_dues: s.policy_dues.sort((x, y) => x.getTime() - y.getTime()) }))
    .sort((x, y) => (x.employee_id < y.employee_id ? -1 : 1));
  return { stored, recount };
}

async function expectSummariesRight() {
  const { stored, recount } = await summariesAndRecount();
  expect(stored).toEqual(recount);
  return stored;
}

describe("the per-person summary", () => {
  it("follows assignment, a passed quiz, a completion recorded by hand, a policy and its acknowledgement, a new version, a renewal", async () => {
    expect((await expectSummariesRight()).length).toBeGreaterThan(0);
    await everyTrainingWrite({ prisma: db.prisma, org, courseA, courseB, now: NOW, code: "SUM-P", signIn: (a) => (session.actor = a) }, expectSummariesRight);
  });

  it("the overview's figures from the summary agree with the per-person count the course filter uses", async () => {
    const params = overviewSchema.parse({});
    const all = await overviewPeople(org.actors.admin, db.prisma, params, NOW);
    const hz2 = all.rows.find((r) => r.id === org.people.hz2.id)!;
    expect(hz2).toMatchObject({ courses_overdue: 1, overdue: 1 });
    expect(all.rows[0].id).toBe(org.people.hz2.id);
    const onlyA = await overviewPeople(org.actors.admin, db.prisma, overviewSchema.parse({ course: courseA }), NOW);
    expect(onlyA.rows.find((r) => r.id === org.people.hz2.id)).toMatchObject({ courses_overdue: 1, courses_open: 1 });
    // Time passing makes more overdue without any write: decided at read time.
    const later = await overviewPeople(org.actors.admin, db.prisma, params, new Date("2028-06-01T00:00:00Z"));
    for (const r of later.rows) expect(r.overdue).toBe(r.open);
  });
});

// Two transactions change the same person's rows at once: the second one's trigger waits for the
// first's lock on the summary, and recounts (or adds) after the first has committed.
describe.skipIf(!onPostgres)("two writers of the same person at once", () => {
  const complete = (id: string) => [`UPDATE "training_assignments" SET "status" = 'COMPLETED', "completed_at" = now(), "method" = 'QUIZ', "score" = 100 WHERE "id" = $1`, [id]] as const;
  const assign = (courseId: string, employeeId: string) =>
    [
      `INSERT INTO "training_assignments" ("id", "course_id", "employee_id", "cycle", "current", "status", "source", "course_version", "assigned_at", "due_at", "updated_at")
       VALUES (replace(gen_random_uuid()::text, '-', ''), $1, $2, 99, true, 'ASSIGNED', 'MANUAL', 1, now(), now() + interval '3 days', now())`,
      [courseId, employeeId],
    ] as const;

  async function together(first: Statement, second: Statement) {
    // The second statement's trigger waits for the first transaction's lock on the summary.
    expect(await twoTransactions(db.appUrl, first, second)).toEqual({ waited: true });
  }

  it("two completions: both are in the summary", async () => {
    const person = org.people.east1.id;
    const open = await db.prisma.trainingAssignment.findMany({ where: { employeeId: person, current: true, status: "ASSIGNED" }, orderBy: { courseId: "asc" } });
    expect(open.length).toBeGreaterThanOrEqual(2);
    await together(complete(open[0].id), complete(open[1].id));
    const mine = (await expectSummariesRight()).find((s) => s.employee_id === person)!;
    expect(mine.course_dues).toHaveLength(open.length - 2);
  });

  it("an assignment and a completion, in either order: both are in the summary", async () => {
    const person = org.people.hz2.id;
    const before = await db.prisma.trainingAssignment.count({ where: { employeeId: person, current: true, status: "ASSIGNED" } });
    const [x, y] = await db.prisma.trainingAssignment.findMany({ where: { employeeId: person, current: true, status: "ASSIGNED" }, orderBy: { courseId: "asc" }, take: 2 });
    const extra = await db.prisma.trainingCourse.create({ data: { code: "SUM-X", titleZh: "补充", titleEn: "Extra", category: "OTHER", content: "x", quiz: [], passingScore: 50, audienceKind: "EVERYONE", audience: {}, dueWorkingDays: 5 } });
    const extra2 = await db.prisma.trainingCourse.create({ data: { code: "SUM-Y", titleZh: "补充二", titleEn: "Extra 2", category: "OTHER", content: "x", quiz: [], passingScore: 50, audienceKind: "EVERYONE", audience: {}, dueWorkingDays: 5 } });
    await together(assign(extra.id, person), complete(x.id));
    await together(complete(y.id), assign(extra2.id, person));
    const mine = (await expectSummariesRight()).find((s) => s.employee_id === person)!;
    expect(mine.course_dues).toHaveLength(before - 2 + 2);
  });
});
