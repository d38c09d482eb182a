import { makeDepartment, makeEmployee } from "@/prisma/factories";
import type { Actor } from "@/lib/server/actor";
import type { DbClient } from "@/lib/server/prisma-client";
import { actorFor } from "../helpers/actors";

export type Org = Awaited<ReturnType<typeof seedTrainingOrg>>;

/** HQ > SALES > SALES-EAST > HZ, and IT; an administrator, HR, an auditor, a manager of SALES-EAST,
 * employees in HZ (two levels below SALES), SALES-EAST and IT, one OFFBOARDING and one DEPARTED. */
export async function seedTrainingOrg(prisma: DbClient) {
  const tag = Date.now().toString(36).toUpperCase();
  const hq = await makeDepartment(prisma, { name: "总部", code: `HQ${tag}` });
  const sales = await makeDepartment(prisma, { name: "销售中心", code: `SA${tag}`, parentId: hq.id });
  const east = await makeDepartment(prisma, { name: "华东销售部", code: `EA${tag}`, parentId: sales.id });
  const hz = await makeDepartment(prisma, { name: "杭州销售组", code: `HZ${tag}`, parentId: east.id });
  const it = await makeDepartment(prisma, { name: "信息技术部", code: `IT${tag}`, parentId: hq.id });
  const empty = await makeDepartment(prisma, { name: "空部门", code: `EM${tag}`, parentId: hq.id });
  const mk = (name: string, departmentId: string, roles: ("ADMIN" | "HR" | "AUDITOR" | "MANAGER" | "EMPLOYEE")[], extra: { status?: "ACTIVE" | "OFFBOARDING" | "DEPARTED"; hireDate?: Date } = {}) =>
    makeEmployee(prisma, { departmentId, name, roles, ...extra });
  const people = {
    admin: await mk("管理员", it.id, ["ADMIN", "EMPLOYEE"]),
    hr: await mk("人事", hq.id, ["HR", "EMPLOYEE"]),
    auditor: await mk("审计员", hq.id, ["AUDITOR", "EMPLOYEE"]),
    manager: await mk("经理", east.id, ["MANAGER", "EMPLOYEE"]),
    hz1: await mk("杭州甲", hz.id, ["EMPLOYEE"]),
    hz2: await mk("杭州乙", hz.id, ["EMPLOYEE"]),
    east1: await mk("华东甲", east.id, ["EMPLOYEE"]),
    it1: await mk("技术甲", it.id, ["EMPLOYEE"]),
    leaving: await mk("离职中", hz.id, ["EMPLOYEE"], { status: "OFFBOARDING" }),
    gone: await mk("已离职", hz.id, ["EMPLOYEE"], { status: "DEPARTED" }),
  };
  const actors = {} as Record<keyof typeof people, Actor>;
  for (const [k, p] of Object.entries(people)) actors[k as keyof typeof people] = await actorFor(prisma, p.id);
  return { dept: { hq, sales, east, hz, it, empty }, people, actors };
}

export const QUIZ_TEXT = `? 第一题
- 错
* 对
? 第二题（多选）
* 对一
* 对二
- 错
? 第三题
- 错
* 对
- 也错`;

/** Answers for QUIZ_TEXT: all right, or all wrong. */
export const RIGHT = { q0: "1", q1: ["0", "1"], q2: "1" };
export const WRONG = { q0: "0", q1: ["2"], q2: "0" };

export function courseInput(over: Record<string, unknown> = {}) {
  return {
    code: `C-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    titleZh: "测试课程",
    titleEn: "Test course",
    category: "WECHAT_RULES",
    content: "# 标题\n正文",
    quizText: QUIZ_TEXT,
    passingScore: "60",
    audienceKind: "EVERYONE",
    recurrence: "NONE",
    dueWorkingDays: "10",
    ...over,
  };
}

/** The two courses everyTrainingWrite works on, given to everyone at `now` by ADMIN: A (once) and B (yearly). */
export async function everyoneCourses(prisma: DbClient, org: Org, prefix: string, now: Date): Promise<{ courseA: string; courseB: string }> {
  const { expectOk, run } = await import("../helpers/run-command");
  const { createCourse } = await import("@/lib/training/commands");
  const { courseSchema } = await import("@/lib/training/schemas");
  const make = async (over: Record<string, unknown>) => expectOk(await run(prisma, org.actors.admin, courseSchema, courseInput(over), (ctx) => createCourse(ctx, { now }))).id;
  return { courseA: await make({ code: `${prefix}-A` }), courseB: await make({ code: `${prefix}-B`, recurrence: "YEARLY" }) };
}

/**
 * Every kind of training write a summary of the rows must follow, in order, with `check` before
 * the first and after each: a passed quiz (hz1, course A), a completion recorded by hand (HR, for
 * it1, course B, a yearly course), a new policy (`code`), its acknowledgement (hz2), a new version,
 * a moved due date (hz2's course A) and a renewal (course B, a year on). The actions run as
 * `signIn` makes the calling file's mocked session say; they are imported here, after the calling
 * file's mocks.
 */
export async function everyTrainingWrite(
  t: { prisma: DbClient; org: Org; courseA: string; courseB: string; now: Date; code: string; signIn: (actor: Actor) => void },
  check: () => Promise<unknown>,
) {
  const { expect } = await import("vitest");
  const { expectOk, run } = await import("../helpers/run-command");
  const actions = await import("@/lib/training/actions");
  const { createPolicy } = await import("@/lib/training/commands");
  const { newPolicySchema } = await import("@/lib/training/schemas");
  const { renewDueAssignments } = await import("@/lib/training/assign");
  const { org, prisma } = t;
  await check();

  t.signIn(org.actors.hz1);
  expect(await actions.submitAttemptAction(null, { courseId: t.courseA, attemptNo: 1, ...RIGHT })).toMatchObject({ ok: true, data: { passed: true } });
  await check();

  t.signIn(org.actors.hr);
  const it1 = await prisma.employee.findUniqueOrThrow({ where: { id: org.people.it1.id } });
  expect(await actions.recordOutsideCompletionAction(null, { courseId: t.courseB, employeeNo: it1.employeeNo, completedOn: "2025-11-20", evidence: "签到表" })).toMatchObject({ ok: true });
  await check();

  const policy = expectOk(await run(prisma, org.actors.admin, newPolicySchema, { code: t.code, titleZh: "手册", titleEn: "Handbook", body: "# 第 1 版", dueWorkingDays: "5" }, (ctx) => createPolicy(ctx, { now: t.now })));
  await check();
  t.signIn(org.actors.hz2);
  expect(await actions.acknowledgePolicyAction(null, { versionId: policy.versionId })).toMatchObject({ ok: true });
  await check();
  t.signIn(org.actors.admin);
  expect(await actions.publishPolicyAction(null, { documentId: policy.documentId, body: "# 第 2 版", summary: "", dueWorkingDays: "5", currentVersionNo: "1" })).toMatchObject({ ok: true });
  await check();

  // A due date moved, a recurring course's renewal (a new cycle; the completed one stops being current).
  await prisma.trainingAssignment.updateMany({ where: { courseId: t.courseA, employeeId: org.people.hz2.id }, data: { dueAt: new Date("2026-11-20T10:00:00Z") } });
  await check();
  expect(await prisma.$transaction((tx) => renewDueAssignments(tx, new Date("2027-12-01T02:00:00Z")))).toBe(1);
  await check();
}
