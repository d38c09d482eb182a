import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTrainingReminders, runTrainingSync } from "@/lib/jobs/handlers";
import { notificationAttentionFrom } from "@/lib/notifications/attention";
import { assignAudience } from "@/lib/training/assign";
import { trainingAttentionFrom } from "@/lib/training/attention";
import { createCourse, submitAttempt } from "@/lib/training/commands";
import { attemptSchema, courseSchema } from "@/lib/training/schemas";
import { encrypt } from "@/lib/pii";
import { makeEmployee } from "@/prisma/factories";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { usePiiKey } from "../wecom/helpers";
import { courseInput, RIGHT, seedTrainingOrg, type Org } from "./helpers";

// Time: new hires' due dates on the business calendar, re-assignment of recurring courses by the
// job, reminders before the due date and when overdue. Every job runs twice to show it is idempotent.

let db: TestDb;
let org: Org;
beforeAll(async () => {
  usePiiKey();
  db = await createTestDb();
  org = await seedTrainingOrg(db.prisma);
});
afterAll(async () => db?.close());

const newCourse = async (over: Record<string, unknown>, now?: Date) => expectOk(await run(db.prisma, org.actors.admin, courseSchema, courseInput(over), (ctx) => createCourse(ctx, { now }))).id;

describe("new hires", () => {
  it("a person not yet started is due N working days after the hire date, across National Day and its make-up Saturday", async () => {
    const hire = await makeEmployee(db.prisma, { departmentId: org.dept.it.id, name: "国庆后入职", hireDate: new Date("2026-09-30T00:00:00Z") });
    const now = new Date("2026-09-01T02:00:00Z");
    const id = await newCourse({ dueWorkingDays: "5" }, now);
    const a = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId: id, employeeId: hire.id } });
    // 30 Sep does not count; 1–7 Oct are holidays; 8 Oct, 9 Oct, Saturday 10 Oct (a make-up working
    // day), 12 Oct, 13 Oct: due at 18:00 China time on Tuesday 13 October.
    expect(a.dueAt.toISOString()).toBe("2026-10-13T10:00:00.000Z");
    // Someone already working is due 5 working days after the assignment: 1 Sep (Tue) → 8 Sep (Tue).
    const other = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId: id, employeeId: org.people.hz1.id } });
    expect(other.dueAt.toISOString()).toBe("2026-09-08T10:00:00.000Z");
  });

  it("a person hired after the course exists is assigned by the job, then not again", async () => {
    const id = await newCourse({ audienceKind: "DEPARTMENTS", departmentIds: [org.dept.east.id] });
    const late = await makeEmployee(db.prisma, { departmentId: org.dept.hz.id, name: "后来者" });
    const first = await runTrainingSync(db.prisma);
    expect(first.assigned).toBeGreaterThanOrEqual(1);
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: id, employeeId: late.id } })).toBe(1);
    expect(await runTrainingSync(db.prisma)).toEqual({ assigned: 0, renewed: 0, asked: 0 });
  });
});

describe("recurrence", () => {
  it("a passed yearly course is assigned again when it comes due, once", async () => {
    const T0 = new Date("2026-03-10T02:00:00Z");
    const id = await newCourse({ recurrence: "YEARLY", audienceKind: "ROLES", roles: ["AUDITOR"] }, T0);
    expectOk(await run(db.prisma, org.actors.auditor, attemptSchema, { courseId: id, attemptNo: 1, ...RIGHT }, (ctx) => submitAttempt(ctx, { now: T0 })));
    const done = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId: id } });
    expect(done.renewAt?.toISOString()).toBe("2027-03-10T02:00:00.000Z");

    // Eleven months on: nothing yet.
    expect((await runTrainingSync(db.prisma, new Date("2027-02-10T02:00:00Z"))).renewed).toBe(0);
    // A year on: cycle 2, due 10 working days later; cycle 1 stays as the record, no longer current.
    const T1 = new Date("2027-03-11T02:00:00Z");
    expect((await runTrainingSync(db.prisma, T1)).renewed).toBe(1);
    const rows = await db.prisma.trainingAssignment.findMany({ where: { courseId: id }, orderBy: { cycle: "asc" } });
    expect(rows.map((r) => [r.cycle, r.status, r.current])).toEqual([
      [1, "COMPLETED", false],
      [2, "ASSIGNED", true],
    ]);
    expect(rows[1].assignedAt).toEqual(T1);
    expect((await runTrainingSync(db.prisma, T1)).renewed).toBe(0);
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: id } })).toBe(2);
  });

  it("a renewal N months on counts on the China-time date: completions between 00:00 and 08:00 at a month's end are not a day late", async () => {
    // 02:00 on 31 January in China is still 30 January in UTC; one month on is 28 February.
    const cases: [string, string, string][] = [
      ["2026-01-31T02:00:00+08:00", "1", "2026-02-28T02:00:00+08:00"],
      ["2026-03-31T07:30:00+08:00", "1", "2026-04-30T07:30:00+08:00"],
      ["2028-01-31T00:30:00+08:00", "1", "2028-02-29T00:30:00+08:00"],
    ];
    for (const [completed, months, renew] of cases) {
      const T0 = new Date(completed);
      const id = await newCourse({ recurrence: "MONTHS", recurrenceMonths: months, audienceKind: "ROLES", roles: ["AUDITOR"] }, T0);
      expectOk(await run(db.prisma, org.actors.auditor, attemptSchema, { courseId: id, attemptNo: 1, ...RIGHT }, (ctx) => submitAttempt(ctx, { now: T0 })));
      const done = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId: id } });
      expect(done.renewAt?.toISOString()).toBe(new Date(renew).toISOString());
    }
  });

  it("a course without recurrence is never assigned again", async () => {
    const T0 = new Date("2026-03-10T02:00:00Z");
    const id = await newCourse({ audienceKind: "ROLES", roles: ["AUDITOR"] }, T0);
    expectOk(await run(db.prisma, org.actors.auditor, attemptSchema, { courseId: id, attemptNo: 1, ...RIGHT }, (ctx) => submitAttempt(ctx, { now: T0 })));
    await runTrainingSync(db.prisma, new Date("2030-01-01T00:00:00Z"));
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: id } })).toBe(1);
  });
});

describe("reminders", () => {
  it("remind once before the due date and once when overdue, shown on the person's home page", async () => {
    const person = await makeEmployee(db.prisma, { departmentId: org.dept.empty.id, name: "提醒对象" });
    const T0 = new Date("2026-11-02T02:00:00Z"); // Monday
    const id = await newCourse({ audienceKind: "DEPARTMENTS", departmentIds: [org.dept.empty.id], dueWorkingDays: "5" }, T0);
    // Due Monday 9 Nov 18:00. On Tuesday 3 Nov it is 4 working days away: no reminder yet.
    await runTrainingReminders(db.prisma, new Date("2026-11-03T02:00:00Z"));
    const mine = () => db.prisma.notification.findMany({ where: { recipientId: person.id }, orderBy: { createdAt: "asc" } });
    expect(await mine()).toHaveLength(0);
    // Thursday 5 Nov: within three working days.
    await runTrainingReminders(db.prisma, new Date("2026-11-05T02:00:00Z"));
    await runTrainingReminders(db.prisma, new Date("2026-11-06T02:00:00Z"));
    expect((await mine()).map((n) => [n.kind, n.href])).toEqual([["training.due", `/training/courses/${id}`]]);
    expect((await mine())[0].params).toMatchObject({ due: "2026-11-09", title: "测试课程", titleEn: "Test course" });
    // Tuesday 10 Nov: overdue, once; the department's group robot hears of it once that day.
    const robot = await db.prisma.notificationRobot.create({ data: { scopeType: "DEPARTMENT", scopeId: org.dept.empty.id, name: "部门群", keyCipher: encrypt("robot-key-0001"), keyLast4: "0001", kinds: ["training"] } });
    await runTrainingReminders(db.prisma, new Date("2026-11-10T02:00:00Z"));
    await runTrainingReminders(db.prisma, new Date("2026-11-10T03:00:00Z"));
    await runTrainingReminders(db.prisma, new Date("2026-11-11T02:00:00Z"));
    expect((await mine()).map((n) => n.kind)).toEqual(["training.due", "training.overdue"]);
    const robotRows = await db.prisma.notificationDelivery.findMany({ where: { robotId: robot.id }, orderBy: { createdAt: "asc" } });
    expect(robotRows.map((r) => [r.dedupeKey, r.params])).toEqual([
      [`training.overdue.team:${org.dept.empty.id}:2026-11-10:robot:${robot.id}`, { count: 1 }],
      [`training.overdue.team:${org.dept.empty.id}:2026-11-11:robot:${robot.id}`, { count: 1 }],
    ]);
    // The person's own deliveries carry the due time (shown in China time in the message).
    const personal = await db.prisma.notificationDelivery.findMany({ where: { recipientId: person.id } });
    expect(personal.every((r) => r.deadline?.toISOString() === "2026-11-09T10:00:00.000Z")).toBe(true);
    const home = await notificationAttentionFrom({ id: person.id }, db.prisma);
    expect(home.map((i) => i.labelKey)).toEqual(expect.arrayContaining(["training.notify.courseDue", "training.notify.courseOverdue"]));
  });

  it("the home page counts the person's open and overdue courses, and a manager's people overdue", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const hz2 = await trainingAttentionFrom(org.actors.hz2, db.prisma, now);
    expect(hz2.find((i) => i.key === "training.mineOverdue")?.params?.count).toBeGreaterThan(0);
    const manager = await trainingAttentionFrom(org.actors.manager, db.prisma, now);
    expect(manager.find((i) => i.key === "training.teamOverdue")).toMatchObject({ href: "/training/overview?state=overdue" });
    // Only their subtree: IT people are not counted.
    const [{ n }] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(DISTINCT a."employee_id")::int AS n FROM "training_assignments" a JOIN "employees" e ON e."id" = a."employee_id" JOIN "departments" d ON d."id" = e."department_id"
       WHERE a."current" AND a."status" = 'ASSIGNED' AND a."due_at" < ${now} AND d."path" LIKE ${`${org.dept.east.path}%`} AND e."status" <> 'DEPARTED'`;
    expect(manager.find((i) => i.key === "training.teamOverdue")?.params?.count).toBe(n);
  });

  it("counts the people overdue from their summaries as from their assignments, at every moment around a due date", async () => {
    // The count reads each person's earliest open due date from training_person_summaries; the
    // assignments themselves are the truth. Around each distinct due date (the instant itself is
    // not yet overdue, a millisecond later it is), for a manager's subtree and for everyone.
    const fromAssignments = async (now: Date, path: string) => {
      const [{ n }] = await db.prisma.$queryRaw<{ n: number }[]>`
        SELECT count(DISTINCT a."employee_id")::int AS n FROM "training_assignments" a JOIN "employees" e ON e."id" = a."employee_id" JOIN "departments" d ON d."id" = e."department_id"
         WHERE a."current" AND a."status" = 'ASSIGNED' AND a."due_at" < ${now} AND d."path" LIKE ${`${path}%`} AND e."status" <> 'DEPARTED'`;
      return n;
    };
    // Someone who has left with a course still open and overdue (the summary keeps their row):
    // counted by nobody.
    const course = await db.prisma.trainingCourse.findFirstOrThrow({ orderBy: { code: "asc" } });
    const gone = await makeEmployee(db.prisma, { departmentId: org.dept.east.id, status: "DEPARTED" });
    await db.prisma.trainingAssignment.create({ data: { courseId: course.id, employeeId: gone.id, courseVersion: 1, assignedAt: new Date("2025-01-01T00:00:00Z"), dueAt: new Date("2025-02-01T00:00:00Z") } });
    const [{ departedOverdue }] = await db.prisma.$queryRaw<{ departedOverdue: number }[]>`
      SELECT count(*)::int AS "departedOverdue" FROM "training_person_summaries" t JOIN "employees" e ON e."id" = t."employee_id" WHERE e."status" = 'DEPARTED' AND t."course_dues"[1] IS NOT NULL`;
    expect(departedOverdue).toBeGreaterThan(0);
    const dues = await db.prisma.$queryRaw<{ due_at: Date }[]>`SELECT DISTINCT "due_at" FROM "training_assignments" WHERE "current" AND "status" = 'ASSIGNED' ORDER BY 1 LIMIT 6`;
    expect(dues.length).toBeGreaterThan(1);
    const moments = dues.flatMap(({ due_at }) => [new Date(due_at.getTime() - 1), due_at, new Date(due_at.getTime() + 1)]);
    let counted = 0;
    for (const now of moments) {
      for (const [actor, path] of [[org.actors.manager, org.dept.east.path], [org.actors.admin, ""]] as const) {
        const expected = await fromAssignments(now, path);
        const item = (await trainingAttentionFrom(actor, db.prisma, now)).find((i) => i.key === "training.teamOverdue");
        expect(item?.params?.count ?? 0, `${now.toISOString()} ${path}`).toBe(expected);
        counted += expected;
      }
    }
    expect(counted).toBeGreaterThan(0);
  });
});

describe("policy reminders", () => {
  it("remind each person asked once before the due date and once when overdue", async () => {
    const { publishPolicyVersion } = await import("@/lib/training/commands");
    const { publishPolicySchema } = await import("@/lib/training/schemas");
    const doc = await db.prisma.policyDocument.create({ data: { code: "REMIND-P", titleZh: "提醒制度", titleEn: "Reminder policy" } });
    const T0 = new Date("2026-12-01T02:00:00Z"); // Tuesday
    const v = expectOk(await run(db.prisma, org.actors.admin, publishPolicySchema, { documentId: doc.id, body: "# 正文", dueWorkingDays: "2", currentVersionNo: "0" }, (ctx) => publishPolicyVersion(ctx, { now: T0 })));
    const kinds = async () => (await db.prisma.notification.findMany({ where: { recipientId: org.people.hz1.id, kind: { startsWith: "policy." } }, orderBy: { createdAt: "asc" } })).map((n) => [n.kind, n.href]);
    await runTrainingReminders(db.prisma, T0);
    await runTrainingReminders(db.prisma, T0);
    expect(await kinds()).toEqual([["policy.due", `/training/policies/${v.versionId}`]]);
    await runTrainingReminders(db.prisma, new Date("2026-12-04T02:00:00Z"));
    expect((await kinds()).map((k) => k[0])).toEqual(["policy.due", "policy.overdue"]);
    // Someone not asked (leaving, so not ACTIVE when it was published) is not reminded.
    expect(await db.prisma.notification.count({ where: { recipientId: org.people.leaving.id, kind: { startsWith: "policy." } } })).toBe(0);
  });
});

describe("assignAudience with a controlled clock", () => {
  it("is keyed on (course, employee, cycle): two concurrent runs for a new person assign them once", async () => {
    const id = await newCourse({});
    const course = await db.prisma.trainingCourse.findUniqueOrThrow({ where: { id } });
    const late = await makeEmployee(db.prisma, { departmentId: org.dept.it.id, name: "并发新人" });
    const counts = await Promise.all([0, 1].map(() => db.prisma.$transaction((tx) => assignAudience(tx, course, new Date()))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: id, employeeId: late.id } })).toBe(1);
  });
});
