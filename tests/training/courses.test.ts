import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmployee, updateEmployee } from "@/lib/directory/commands";
import { employeeCreateSchema, employeeUpdateSchema } from "@/lib/directory/schemas";
import { assignAudience } from "@/lib/training/assign";
import { createCourse } from "@/lib/training/commands";
import { courseSchema } from "@/lib/training/schemas";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { courseInput, seedTrainingOrg, type Org } from "./helpers";

// Courses and their audience: everyone, roles, departments with their sub-departments; refusals of
// an empty audience and of a quiz without a right choice change nothing; HR's create and move of an
// employee assigns at once.

let db: TestDb;
let org: Org;
beforeAll(async () => {
  db = await createTestDb();
  org = await seedTrainingOrg(db.prisma);
});
afterAll(async () => db?.close());

const create = (over: Record<string, unknown> = {}, actor = org.actors.admin) => run(db.prisma, actor, courseSchema, courseInput(over), (ctx) => createCourse(ctx));
const assignedTo = async (courseId: string) =>
  (await db.prisma.trainingAssignment.findMany({ where: { courseId }, select: { employeeId: true } })).map((a) => a.employeeId).sort();
const ids = (...keys: (keyof Org["people"])[]) => keys.map((k) => org.people[k].id).sort();

describe("course audience", () => {
  it("everyone: every ACTIVE employee, not those leaving or gone", async () => {
    const { id, assigned } = expectOk(await create());
    expect(assigned).toBe(8);
    expect(await assignedTo(id)).toEqual(ids("admin", "hr", "auditor", "manager", "hz1", "hz2", "east1", "it1"));
  });

  it("a department includes its sub-departments, two levels down", async () => {
    const { id } = expectOk(await create({ audienceKind: "DEPARTMENTS", departmentIds: [org.dept.sales.id] }));
    expect(await assignedTo(id)).toEqual(ids("manager", "hz1", "hz2", "east1"));
    const { id: id2 } = expectOk(await create({ audienceKind: "DEPARTMENTS", departmentIds: [org.dept.hz.id, org.dept.it.id] }));
    expect(await assignedTo(id2)).toEqual(ids("admin", "hz1", "hz2", "it1"));
  });

  it("roles: holders of any of the roles", async () => {
    const { id } = expectOk(await create({ audienceKind: "ROLES", roles: ["HR", "AUDITOR"] }));
    expect(await assignedTo(id)).toEqual(ids("hr", "auditor"));
  });

  it("assigning again changes nothing (one assignment per person, course and cycle)", async () => {
    const { id } = expectOk(await create());
    const course = await db.prisma.trainingCourse.findUniqueOrThrow({ where: { id } });
    expect(await db.prisma.$transaction((tx) => assignAudience(tx, course, new Date()))).toBe(0);
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: id } })).toBe(8);
  });

  it("records the due date N working days after assignment, on the business calendar", async () => {
    const { id } = expectOk(await create({ dueWorkingDays: "5" }));
    const a = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId: id } });
    expect(a.dueAt.getTime()).toBeGreaterThan(a.assignedAt.getTime() + 4 * 86_400_000);
    expect(a).toMatchObject({ status: "ASSIGNED", cycle: 1, current: true, source: "AUDIENCE", courseVersion: 1 });
  });
});

describe("refusals change nothing", () => {
  const snapshot = async () => ({ courses: await db.prisma.trainingCourse.count(), assignments: await db.prisma.trainingAssignment.count(), audits: await db.prisma.auditEvent.count() });

  it("an empty audience (no role or department chosen) is refused with a clear message", async () => {
    const before = await snapshot();
    const roles = await create({ audienceKind: "ROLES", roles: [] });
    expect(roles).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { roles: ["training.errors.audienceEmpty"] } });
    const depts = await create({ audienceKind: "DEPARTMENTS", departmentIds: [] });
    expect(depts).toMatchObject({ ok: false, code: "VALIDATION", fieldErrors: { departmentIds: ["training.errors.audienceEmpty"] } });
    expect(await snapshot()).toEqual(before);
  });

  it("an audience with nobody active in it is refused", async () => {
    const before = await snapshot();
    const out = await create({ audienceKind: "DEPARTMENTS", departmentIds: [org.dept.empty.id] });
    expect(out).toMatchObject({ ok: false, code: "VALIDATION", messageKey: "training.errors.audienceNobody", field: "departmentIds" });
    expect(await snapshot()).toEqual(before);
  });

  it("a quiz with a question without a right choice is refused, naming the question", async () => {
    const before = await snapshot();
    const out = await create({ quizText: "? 第一题\n- 甲\n* 乙\n? 第二题\n- 甲\n- 乙" });
    expect(out).toMatchObject({ ok: false, code: "VALIDATION", messageKey: "training.v.quizNoCorrect", field: "quizText", params: { n: 2 } });
    expect(await snapshot()).toEqual(before);
  });

  it("only an administrator creates courses", async () => {
    const out = await create({}, org.actors.hr);
    expect(out).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it("a taken course code is refused", async () => {
    expectOk(await create({ code: "DUP-1" }));
    expect(await create({ code: "dup-1" })).toMatchObject({ ok: false, code: "CONFLICT", field: "code" });
  });
});

describe("people hired or moved later", () => {
  it("HR creating an employee assigns the courses of their department at once", async () => {
    const { id } = expectOk(await create({ audienceKind: "DEPARTMENTS", departmentIds: [org.dept.east.id] }));
    const made = expectOk(
      await run(db.prisma, org.actors.hr, employeeCreateSchema, { employeeNo: "NEW-1", name: "新人", email: "new1@example.test", departmentId: org.dept.hz.id, hireDate: "2026-03-02", roles: "EMPLOYEE" }, createEmployee),
    );
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: id, employeeId: made.id } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { action: "training.sync", entityId: made.id } })).toBe(1);
  });

  it("HR moving an employee into a department assigns its courses at once", async () => {
    const { id } = expectOk(await create({ audienceKind: "DEPARTMENTS", departmentIds: [org.dept.hz.id] }));
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: id, employeeId: org.people.it1.id } })).toBe(0);
    const e = await db.prisma.employee.findUniqueOrThrow({ where: { id: org.people.it1.id } });
    expectOk(
      await run(
        db.prisma,
        org.actors.hr,
        employeeUpdateSchema,
        { id: e.id, version: String(e.version), name: e.name, email: e.email, departmentId: org.dept.hz.id, managerNo: "", status: "ACTIVE", hireDate: e.hireDate.toISOString().slice(0, 10), leaveDate: "" },
        updateEmployee,
      ),
    );
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: id, employeeId: org.people.it1.id } })).toBe(1);
  });
});

describe("editing a course", () => {
  it("a new material makes a new content version; a wider audience is assigned at once; a stale form is refused", async () => {
    const { updateCourse } = await import("@/lib/training/commands");
    const { courseUpdateSchema } = await import("@/lib/training/schemas");
    const input = courseInput({ code: "EDIT-1", audienceKind: "DEPARTMENTS", departmentIds: [org.dept.it.id] });
    const { id } = expectOk(await create(input));
    const edit = (over: Record<string, unknown>, version: number) => run(db.prisma, org.actors.admin, courseUpdateSchema, { ...input, ...over, id, version: String(version) }, (ctx) => updateCourse(ctx));
    const out = expectOk(await edit({ content: "# 新材料", audienceKind: "DEPARTMENTS", departmentIds: [org.dept.it.id, org.dept.east.id] }, 1));
    expect(out.contentVersion).toBe(2);
    expect(out.assigned).toBeGreaterThanOrEqual(3);
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: id, employeeId: org.people.east1.id, courseVersion: 2 } })).toBe(1);
    // The same material again: no new version.
    expect(expectOk(await edit({ content: "# 新材料", titleZh: "改名", departmentIds: [org.dept.it.id, org.dept.east.id], audienceKind: "DEPARTMENTS" }, 2)).contentVersion).toBe(2);
    expect(await edit({ titleZh: "过期表单" }, 1)).toMatchObject({ ok: false, code: "STALE" });
    expect(await edit({ code: "OTHER-1" }, 3)).toMatchObject({ ok: false, code: "VALIDATION", field: "code" });
    expect(await edit({ quizText: "? 无正确\n- 甲\n- 乙" }, 3)).toMatchObject({ ok: false, messageKey: "training.v.quizNoCorrect" });
    expect((await db.prisma.trainingCourse.findUniqueOrThrow({ where: { id } })).titleZh).toBe("改名");
  });
});
