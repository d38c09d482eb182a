import { permissionsOf, type RoleCode } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/server/actor";
import { writeAuditEvent, type AuditInput } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";
import { DEMO_COURSES, DEMO_POLICY, type DemoCourse } from "./demo-content";
import { quizToText } from "./quiz";

// Training for the demo organisation (prisma/seed.ts calls seedDemoTraining at the end of its
// transaction): the four courses of SPEC §9 with their quizzes and the employee handbook's WeChat
// chapter v1, made through the same commands an administrator's clicks use; then a mix of
// states: some people passed (one after a failed first attempt), some acknowledged the policy, one
// classroom completion recorded by HR, and some assignments overdue.
// staff22 and staff32 (杭州销售组) are left untouched: the e2e spec works with them.

const DAY = 86_400_000;

type Person = { id: string; name: string; email: string; departmentId: string; departmentPath: string; roles: RoleCode[] };
type Commands = typeof import("./commands");

export async function seedDemoTraining(tx: Tx, log: (line: string) => void = () => {}, now = new Date()): Promise<{ courses: number }> {
  const commands: Commands = await import("./commands");
  const rows = await tx.employee.findMany({ where: { status: "ACTIVE" }, select: { id: true, name: true, email: true, departmentId: true, department: { select: { path: true } }, roles: { select: { role: true } } } });
  const byEmail = new Map<string, Person>(rows.map((r) => [r.email, { id: r.id, name: r.name, email: r.email, departmentId: r.departmentId, departmentPath: r.department.path, roles: r.roles.map((x) => x.role as RoleCode) }]));
  const person = (email: string) => {
    const p = byEmail.get(email);
    if (!p) throw new Error(`Demo person ${email} is missing`);
    return p;
  };
  const actorOf = (p: Person): Actor => ({ id: p.id, name: p.name, email: p.email, roles: p.roles, permissions: permissionsOf(p.roles), departmentId: p.departmentId, departmentPath: p.departmentPath, ip: null });
  const ctx = <I>(p: Person, input: I) => {
    const actor = actorOf(p);
    return { actor, input, tx, audit: (e: AuditInput) => writeAuditEvent(tx, { id: actor.id, label: actor.email, ip: null }, e) };
  };
  const admin = person("admin@wegovern.demo");
  const hr = person("hr@wegovern.demo");

  const deptIds = new Map((await tx.department.findMany({ select: { id: true, code: true } })).map((d) => [d.code, d.id]));
  const courseIds = new Map<string, string>();
  for (const c of DEMO_COURSES) {
    const made = await commands.createCourse(
      ctx(admin, {
        code: c.code,
        titleZh: c.titleZh,
        titleEn: c.titleEn,
        category: c.category,
        content: c.content,
        quizText: quizToText(c.quiz),
        passingScore: c.passingScore,
        audienceKind: c.audienceKind,
        roles: [],
        departmentIds: (c.departmentCodes ?? []).map((code) => deptIds.get(code)!),
        recurrence: c.recurrence,
        recurrenceMonths: c.recurrenceMonths,
        dueWorkingDays: c.dueWorkingDays,
      }),
      { now },
    );
    courseIds.set(c.code, made.id);
  }
  const doc = await tx.policyDocument.create({ data: { code: DEMO_POLICY.code, titleZh: DEMO_POLICY.titleZh, titleEn: DEMO_POLICY.titleEn } });
  const v1 = await commands.publishPolicyVersion(ctx(admin, { documentId: doc.id, body: DEMO_POLICY.body, summary: undefined, dueWorkingDays: DEMO_POLICY.dueWorkingDays, currentVersionNo: 0 }), { now });

  const course = (code: string): DemoCourse => DEMO_COURSES.find((c) => c.code === code)!;
  const answers = (c: DemoCourse, right: boolean) => Object.fromEntries(c.quiz.map((q, i) => [`q${i}`, right ? q.correct.map(String) : [String(q.choices.length - 1)]]));
  const take = async (email: string, code: string, failFirst = false) => {
    const c = course(code);
    let attemptNo = 1;
    if (failFirst) await commands.submitAttempt(ctx(person(email), { courseId: courseIds.get(code)!, attemptNo: attemptNo++, ...answers(c, false) }), { now });
    await commands.submitAttempt(ctx(person(email), { courseId: courseIds.get(code)!, attemptNo, ...answers(c, true) }), { now });
  };
  const acknowledge = (email: string) => commands.acknowledgePolicy(ctx(person(email), { versionId: v1.versionId }), { now });

  // Completed
  for (const code of ["WECHAT-101", "PIPL-101"]) await take("employee@wegovern.demo", code, code === "PIPL-101");
  await acknowledge("employee@wegovern.demo");
  await take("manager@wegovern.demo", "WECHAT-101");
  await acknowledge("manager@wegovern.demo");
  for (const code of ["WECHAT-101", "PIPL-101", "CONTENT-101", "PHISH-101"]) await take("staff02@wegovern.demo", code);
  for (const email of ["staff02", "staff10", "staff11", "staff04", "staff07", "admin", "hr", "auditor"]) await acknowledge(`${email}@wegovern.demo`);
  await take("staff10@wegovern.demo", "WECHAT-101");
  await take("staff11@wegovern.demo", "WECHAT-101", true);
  await take("staff11@wegovern.demo", "PIPL-101");
  await take("staff04@wegovern.demo", "PHISH-101");
  await take("admin@wegovern.demo", "WECHAT-101");
  // A classroom session HR recorded with its evidence.
  await commands.recordOutsideCompletion(
    ctx(hr, { courseId: courseIds.get("CONTENT-101")!, employeeNo: (await tx.employee.findUniqueOrThrow({ where: { email: "staff30@wegovern.demo" } })).employeeNo, completedOn: new Date(now.getTime() - 2 * DAY).toISOString().slice(0, 10), score: 92, evidence: "华东销售部 11 月合规培训签到表（第 3 页）" }),
    { now },
  );

  // Overdue: assigned a month ago, due last week (the demo starts with a history).
  const overdue: [string, string][] = [
    ["staff01@wegovern.demo", "WECHAT-101"],
    ["staff12@wegovern.demo", "PHISH-101"],
    ["staff20@wegovern.demo", "PIPL-101"],
    ["staff05@wegovern.demo", "CONTENT-101"],
    ["staff17@wegovern.demo", "WECHAT-101"],
  ];
  for (const [email, code] of overdue) {
    await tx.trainingAssignment.updateMany({
      where: { employeeId: person(email).id, courseId: courseIds.get(code)!, status: "ASSIGNED", current: true },
      data: { assignedAt: new Date(now.getTime() - 30 * DAY), dueAt: new Date(now.getTime() - 6 * DAY) },
    });
  }
  await tx.policyAcknowledgement.updateMany({ where: { employeeId: { in: [person("staff12@wegovern.demo").id, person("staff01@wegovern.demo").id] }, acknowledgedAt: null }, data: { askedAt: new Date(now.getTime() - 30 * DAY), dueAt: new Date(now.getTime() - 4 * DAY) } });
  await writeAuditEvent(tx, { id: null, label: "system", ip: null }, { action: "seed.training", entityType: "TrainingCourse", entityId: "*", after: { courses: DEMO_COURSES.length, overdue: overdue.length, backdated: "assigned 30 days ago, due 6 days ago" } });
  log(`Seeded training: ${DEMO_COURSES.length} courses, policy ${DEMO_POLICY.code} v1.`);
  return { courses: DEMO_COURSES.length };
}
