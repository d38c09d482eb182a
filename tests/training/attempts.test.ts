import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCourse, submitAttempt } from "@/lib/training/commands";
import { attemptSchema, courseSchema } from "@/lib/training/schemas";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { courseInput, RIGHT, seedTrainingOrg, WRONG, type Org } from "./helpers";

// Taking a course: fail, retry, pass; completion records score, attempts and time. Bad input
// (not assigned, after completion, unanswered, a double submit) is refused and changes nothing.

let db: TestDb;
let org: Org;
let courseId: string;
let hzOnly: string;
beforeAll(async () => {
  db = await createTestDb();
  org = await seedTrainingOrg(db.prisma);
  courseId = expectOk(await run(db.prisma, org.actors.admin, courseSchema, courseInput({ passingScore: "100" }), (ctx) => createCourse(ctx))).id;
  hzOnly = expectOk(await run(db.prisma, org.actors.admin, courseSchema, courseInput({ audienceKind: "DEPARTMENTS", departmentIds: [org.dept.hz.id] }), (ctx) => createCourse(ctx))).id;
});
afterAll(async () => db?.close());

const submit = (actor: Org["actors"][keyof Org["actors"]], input: Record<string, unknown>, now?: Date) => run(db.prisma, actor, attemptSchema, input, (ctx) => submitAttempt(ctx, { now }));
const state = async () => ({ assignments: await db.prisma.trainingAssignment.findMany({ orderBy: { id: "asc" } }), attempts: await db.prisma.trainingAttempt.count(), audits: await db.prisma.auditEvent.count() });

describe("taking a course", () => {
  it("a failed attempt counts, a retry passes and completes the course with score, attempts and time", async () => {
    const failed = expectOk(await submit(org.actors.hz1, { courseId, attemptNo: 1, ...WRONG }));
    expect(failed).toMatchObject({ attemptNo: 1, score: 0, passed: false, passingScore: 100, right: [false, false, false] });
    let a = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId, employeeId: org.people.hz1.id } });
    expect(a).toMatchObject({ status: "ASSIGNED", attempts: 1, completedAt: null, score: null });

    // Half right is still below a pass mark of 100.
    const partly = expectOk(await submit(org.actors.hz1, { courseId, attemptNo: 2, ...RIGHT, q2: "0" }));
    expect(partly).toMatchObject({ score: 66, passed: false, right: [true, true, false] });

    const at = new Date("2026-11-20T03:00:00Z");
    const passed = expectOk(await submit(org.actors.hz1, { courseId, attemptNo: 3, ...RIGHT }, at));
    expect(passed).toMatchObject({ attemptNo: 3, score: 100, passed: true });
    a = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId, employeeId: org.people.hz1.id } });
    expect(a).toMatchObject({ status: "COMPLETED", attempts: 3, score: 100, method: "QUIZ", completedAt: at, renewAt: null });
    expect(await db.prisma.trainingAttempt.findMany({ where: { assignmentId: a.id }, orderBy: { attemptNo: "asc" }, select: { attemptNo: true, score: true, passed: true } })).toEqual([
      { attemptNo: 1, score: 0, passed: false },
      { attemptNo: 2, score: 66, passed: false },
      { attemptNo: 3, score: 100, passed: true },
    ]);
    expect(await db.prisma.auditEvent.count({ where: { entityId: a.id, action: { startsWith: "training.attempt." } } })).toBe(3);
  });

  it("answering after completion is refused and changes nothing", async () => {
    const before = await state();
    expect(await submit(org.actors.hz1, { courseId, attemptNo: 4, ...RIGHT })).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "training.errors.alreadyCompleted" });
    expect(await state()).toEqual(before);
  });

  it("submitting for a course not assigned is refused and changes nothing", async () => {
    const before = await state();
    expect(await submit(org.actors.it1, { courseId: hzOnly, attemptNo: 1, ...RIGHT })).toMatchObject({ ok: false, code: "INVALID_STATE", messageKey: "training.errors.notAssigned" });
    expect(await submit(org.actors.it1, { courseId: "c".repeat(25), attemptNo: 1, ...RIGHT })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await state()).toEqual(before);
  });

  it("an unanswered question is refused, naming it", async () => {
    const before = await state();
    expect(await submit(org.actors.hz2, { courseId, attemptNo: 1, q0: "1", q1: ["0", "1"] })).toMatchObject({ ok: false, code: "VALIDATION", field: "q2", params: { n: 3 } });
    expect(await state()).toEqual(before);
  });

  it("a double submit of the same page counts once", async () => {
    expectOk(await submit(org.actors.hz2, { courseId, attemptNo: 1, ...WRONG }));
    expect(await submit(org.actors.hz2, { courseId, attemptNo: 1, ...WRONG })).toMatchObject({ ok: false, code: "CONFLICT", messageKey: "training.errors.attemptStale" });
    const a = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId, employeeId: org.people.hz2.id } });
    expect(a.attempts).toBe(1);
  });

  it("two submits at the same moment: one counts, the other is refused", async () => {
    const results = await Promise.all([submit(org.actors.east1, { courseId, attemptNo: 1, ...RIGHT }), submit(org.actors.east1, { courseId, attemptNo: 1, ...RIGHT })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false });
    expect(["training.errors.alreadyCompleted", "training.errors.attemptStale"]).toContain((refused as { messageKey: string }).messageKey);
    const a = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId, employeeId: org.people.east1.id } });
    expect(a).toMatchObject({ status: "COMPLETED", attempts: 1 });
    expect(await db.prisma.trainingAttempt.count({ where: { assignmentId: a.id } })).toBe(1);
  });

  it("quiz attempts are records: the database refuses to change them", async () => {
    await expect(db.prisma.$executeRaw`UPDATE "training_attempts" SET "score" = 100`).rejects.toThrow(/append-only|permission denied/);
  });
});
