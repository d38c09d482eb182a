import type { Prisma as PrismaTypes } from "@/lib/generated/prisma/client";
import { loadCalendar } from "@/lib/calendar/store";
import { sendNotifications } from "@/lib/notifications/store";
import type { Permission } from "@/lib/auth/permissions";
import type { ActionContext } from "@/lib/server/action";
import type { Actor } from "@/lib/server/actor";
import type { Tx } from "@/lib/server/prisma-client";
import { DomainError, forbidden, notFound, stale } from "@/lib/server/errors";
import { askPolicy, assignAudience, audienceSize, chinaToday, dueAfter, hireInstant, recurrenceMonthsOf, renewalAfter } from "./assign";
import { ACK_ENTITY, ASSIGNMENT_ENTITY, COURSE_ENTITY, POLICY_ENTITY } from "./entities";
import { overviewPeopleSql } from "./overview-sql";
import { gradeQuiz, parseQuizText, readQuiz } from "./quiz";
import type { acknowledgeSchema, assignByHandSchema, AttemptInput, bulkRemindSchema, courseActiveSchema, CourseInput, CourseUpdateInput, newPolicySchema, outsideCompletionSchema, publishPolicySchema } from "./schemas";
import { trainingScope } from "./scope";
import type { z } from "zod";

// Training's writes. Each runs in the action's transaction and records its audit event; refusals
// are DomainErrors with `training.errors.*` keys and change nothing (the transaction rolls back).
// Commands check their permission again so they are safe whoever calls them.

type Ctx<I> = ActionContext<I>;
type Clock = { now?: Date };

function requirePermission(actor: Pick<Actor, "permissions">, ...anyOf: Permission[]) {
  if (!anyOf.some((p) => actor.permissions.has(p))) throw forbidden();
}

const err = (code: "VALIDATION" | "CONFLICT" | "INVALID_STATE" | "NOT_FOUND", key: string, field?: string, params?: Record<string, string | number>) =>
  new DomainError(code, `training.errors.${key}`, { field, params });

// ---------------------------------------------------------------------------------------------
// Courses

async function checkCourseInput(tx: Tx, input: CourseInput) {
  const parsed = parseQuizText(input.quizText);
  if ("problem" in parsed) throw new DomainError("VALIDATION", parsed.problem.key, { field: "quizText", params: parsed.problem.params });
  const audience = { roles: input.audienceKind === "ROLES" ? input.roles : [], departmentIds: input.audienceKind === "DEPARTMENTS" ? input.departmentIds : [] };
  if (input.audienceKind === "DEPARTMENTS") {
    const found = await tx.department.count({ where: { id: { in: input.departmentIds } } });
    if (found !== new Set(input.departmentIds).size) throw err("VALIDATION", "departmentNotFound", "departmentIds");
  }
  const audienceField = input.audienceKind === "ROLES" ? "roles" : input.audienceKind === "DEPARTMENTS" ? "departmentIds" : "audienceKind";
  if ((input.audienceKind === "ROLES" && audience.roles.length === 0) || (input.audienceKind === "DEPARTMENTS" && audience.departmentIds.length === 0)) {
    throw err("VALIDATION", "audienceEmpty", audienceField);
  }
  const size = await audienceSize(tx, input.audienceKind, audience);
  if (size === 0) throw err("VALIDATION", "audienceNobody", audienceField);
  return { quiz: parsed.quiz, audience, size };
}

export async function createCourse({ actor, input, tx, audit }: Ctx<CourseInput>, clock: Clock = {}): Promise<{ id: string; assigned: number }> {
  requirePermission(actor, "training.manage");
  const now = clock.now ?? new Date();
  if (await tx.trainingCourse.findUnique({ where: { code: input.code }, select: { id: true } })) throw err("CONFLICT", "codeTaken", "code");
  const { quiz, audience } = await checkCourseInput(tx, input);
  const course = await tx.trainingCourse.create({
    data: {
      code: input.code,
      titleZh: input.titleZh,
      titleEn: input.titleEn,
      category: input.category,
      content: input.content,
      quiz: quiz as unknown as PrismaTypes.InputJsonValue,
      passingScore: input.passingScore,
      audienceKind: input.audienceKind,
      audience,
      recurrence: input.recurrence,
      recurrenceMonths: input.recurrence === "MONTHS" ? (input.recurrenceMonths ?? null) : null,
      dueWorkingDays: input.dueWorkingDays,
      createdById: actor.id,
    },
  });
  const assigned = await assignAudience(tx, course, now);
  await audit({
    action: "training.course.create",
    entityType: COURSE_ENTITY,
    entityId: course.id,
    before: null,
    after: { code: course.code, titleZh: course.titleZh, titleEn: course.titleEn, category: course.category, passingScore: course.passingScore, questions: quiz.length, audienceKind: course.audienceKind, audience, recurrence: course.recurrence, recurrenceMonths: course.recurrenceMonths, dueWorkingDays: course.dueWorkingDays, assigned },
  });
  return { id: course.id, assigned };
}

/**
 * Edits a course. Changing the material or the quiz makes a new content version (recorded on
 * assignments made from then on; completions stay valid). People the new audience adds are
 * assigned at once; people it leaves out keep what they have. The code does not change.
 */
export async function updateCourse({ actor, input, tx, audit }: Ctx<CourseUpdateInput>, clock: Clock = {}): Promise<{ id: string; contentVersion: number; assigned: number }> {
  requirePermission(actor, "training.manage");
  const now = clock.now ?? new Date();
  const current = await tx.trainingCourse.findUnique({ where: { id: input.id } });
  if (!current) throw notFound();
  if (current.version !== input.version) throw stale();
  if (input.code !== current.code) throw err("VALIDATION", "codeFixed", "code");
  const { quiz, audience } = await checkCourseInput(tx, input);
  const changedContent = current.content !== input.content || JSON.stringify(current.quiz) !== JSON.stringify(quiz);
  const contentVersion = current.contentVersion + (changedContent ? 1 : 0);
  const data = {
    titleZh: input.titleZh,
    titleEn: input.titleEn,
    category: input.category,
    content: input.content,
    quiz: quiz as unknown as PrismaTypes.InputJsonValue,
    passingScore: input.passingScore,
    audienceKind: input.audienceKind,
    audience,
    recurrence: input.recurrence,
    recurrenceMonths: input.recurrence === "MONTHS" ? (input.recurrenceMonths ?? null) : null,
    dueWorkingDays: input.dueWorkingDays,
    contentVersion,
  };
  const { count } = await tx.trainingCourse.updateMany({ where: { id: input.id, version: input.version }, data: { ...data, version: { increment: 1 } } });
  if (count === 0) throw stale();
  const course = await tx.trainingCourse.findUniqueOrThrow({ where: { id: input.id } });
  const assigned = course.active ? await assignAudience(tx, course, now) : 0;
  const view = (c: typeof current) => ({ titleZh: c.titleZh, titleEn: c.titleEn, category: c.category, contentVersion: c.contentVersion, passingScore: c.passingScore, audienceKind: c.audienceKind, audience: c.audience, recurrence: c.recurrence, recurrenceMonths: c.recurrenceMonths, dueWorkingDays: c.dueWorkingDays });
  await audit({ action: "training.course.update", entityType: COURSE_ENTITY, entityId: course.id, before: view(current), after: { ...view(course), assigned } });
  return { id: course.id, contentVersion, assigned };
}

/** Stops or resumes a course: an inactive course assigns nobody new and is not renewed. */
export async function setCourseActive({ actor, input, tx, audit }: Ctx<z.output<typeof courseActiveSchema>>): Promise<{ id: string }> {
  requirePermission(actor, "training.manage");
  const { count } = await tx.trainingCourse.updateMany({ where: { id: input.id, version: input.version }, data: { active: input.active, version: { increment: 1 } } });
  if (count === 0) throw (await tx.trainingCourse.findUnique({ where: { id: input.id }, select: { id: true } })) ? stale() : notFound();
  await audit({ action: "training.course.active", entityType: COURSE_ENTITY, entityId: input.id, before: { active: !input.active }, after: { active: input.active } });
  return { id: input.id };
}

// ---------------------------------------------------------------------------------------------
// Taking a course

/** Chosen choice indexes per question from the form's `q<i>` fields. */
function answersFrom(input: Record<string, unknown>, questions: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < questions; i++) {
    const raw = input[`q${i}`];
    const values = raw === undefined || raw === "" ? [] : Array.isArray(raw) ? raw : [raw];
    const picked = values.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n >= 0 && n < 100);
    if (picked.length === 0) throw err("VALIDATION", "unanswered", `q${i}`, { n: i + 1 });
    out.push([...new Set(picked)].sort((a, b) => a - b));
  }
  return out;
}

export type AttemptResult = { attemptNo: number; score: number; passed: boolean; passingScore: number; right: boolean[] };

export async function submitAttempt({ actor, input, tx, audit }: Ctx<AttemptInput>, clock: Clock = {}): Promise<AttemptResult> {
  requirePermission(actor, "training.take");
  const now = clock.now ?? new Date();
  const course = await tx.trainingCourse.findUnique({ where: { id: input.courseId } });
  if (!course) throw notFound();
  const assignment = await tx.trainingAssignment.findFirst({ where: { courseId: course.id, employeeId: actor.id, current: true } });
  if (!assignment) throw err("INVALID_STATE", "notAssigned");
  if (assignment.status === "COMPLETED") throw err("INVALID_STATE", "alreadyCompleted");
  const quiz = readQuiz(course.quiz);
  const answers = answersFrom(input, quiz.length);
  const { score, right } = gradeQuiz(quiz, answers);
  const passed = score >= course.passingScore;
  const months = recurrenceMonthsOf(course);
  const renewAt = passed && months ? renewalAfter((await loadCalendar(tx)).definition, now, months) : null;

  // Conditional on the attempt number the page offered: a double submit (two tabs, a double
  // click) finds the count already moved and changes nothing.
  const { count } = await tx.trainingAssignment.updateMany({
    where: { id: assignment.id, status: "ASSIGNED", attempts: input.attemptNo - 1 },
    data: {
      attempts: input.attemptNo,
      version: { increment: 1 },
      ...(passed ? { status: "COMPLETED" as const, completedAt: now, score, method: "QUIZ" as const, renewAt } : {}),
    },
  });
  if (count === 0) {
    const fresh = await tx.trainingAssignment.findUnique({ where: { id: assignment.id }, select: { status: true } });
    throw fresh?.status === "COMPLETED" ? err("INVALID_STATE", "alreadyCompleted") : err("CONFLICT", "attemptStale");
  }
  await tx.trainingAttempt.create({ data: { assignmentId: assignment.id, attemptNo: input.attemptNo, score, passed, answers } });
  await audit({
    action: passed ? "training.attempt.passed" : "training.attempt.failed",
    entityType: ASSIGNMENT_ENTITY,
    entityId: assignment.id,
    before: { status: assignment.status, attempts: assignment.attempts },
    after: { status: passed ? "COMPLETED" : "ASSIGNED", attempts: input.attemptNo, score, passingScore: course.passingScore, courseId: course.id, courseVersion: course.contentVersion },
  });
  return { attemptNo: input.attemptNo, score, passed, passingScore: course.passingScore, right };
}

// ---------------------------------------------------------------------------------------------
// Policies

export async function acknowledgePolicy({ actor, input, tx, audit }: Ctx<z.output<typeof acknowledgeSchema>>, clock: Clock = {}): Promise<{ id: string }> {
  requirePermission(actor, "training.take");
  const now = clock.now ?? new Date();
  const ask = await tx.policyAcknowledgement.findUnique({ where: { versionId_employeeId: { versionId: input.versionId, employeeId: actor.id } }, include: { policyVersion: { select: { versionNo: true } } } });
  if (!ask) throw err("INVALID_STATE", "policyNotAsked");
  if (ask.acknowledgedAt) throw err("INVALID_STATE", "alreadyAcknowledged");
  if (!ask.current) throw err("INVALID_STATE", "policySuperseded");
  const { count } = await tx.policyAcknowledgement.updateMany({ where: { id: ask.id, acknowledgedAt: null, current: true }, data: { acknowledgedAt: now } });
  if (count === 0) throw err("INVALID_STATE", "alreadyAcknowledged");
  await audit({ action: "training.policy.acknowledge", entityType: ACK_ENTITY, entityId: ask.id, before: { acknowledgedAt: null }, after: { documentId: ask.documentId, versionId: ask.versionId, versionNo: ask.policyVersion.versionNo, employeeId: actor.id, acknowledgedAt: now } });
  return { id: ask.id };
}

export async function publishPolicyVersion({ actor, input, tx, audit }: Ctx<z.output<typeof publishPolicySchema>>, clock: Clock = {}): Promise<{ versionId: string; versionNo: number; asked: number }> {
  requirePermission(actor, "training.manage");
  const now = clock.now ?? new Date();
  const doc = await tx.policyDocument.findUnique({ where: { id: input.documentId } });
  if (!doc) throw notFound();
  const versionNo = (doc.currentVersionNo ?? 0) + 1;
  // Conditional on the version the publisher saw: two publishers at once, one wins.
  const { count } = await tx.policyDocument.updateMany({
    where: { id: doc.id, currentVersionNo: input.currentVersionNo === 0 ? null : input.currentVersionNo },
    data: { currentVersionNo: versionNo, version: { increment: 1 } },
  });
  if (count === 0 || (doc.currentVersionNo ?? 0) !== input.currentVersionNo) throw stale();
  const version = await tx.policyVersion.create({ data: { documentId: doc.id, versionNo, body: input.body, summary: input.summary ?? null, dueWorkingDays: input.dueWorkingDays, publishedAt: now, publishedById: actor.id } });
  // Earlier versions' requests stop being current (their acknowledgements stay as records).
  await tx.policyAcknowledgement.updateMany({ where: { documentId: doc.id, current: true, versionId: { not: version.id } }, data: { current: false } });
  const asked = await askPolicy(tx, version, now);
  await audit({ action: "training.policy.publish", entityType: POLICY_ENTITY, entityId: doc.id, before: { currentVersionNo: doc.currentVersionNo }, after: { currentVersionNo: versionNo, versionId: version.id, dueWorkingDays: input.dueWorkingDays, summary: input.summary ?? null, asked } });
  return { versionId: version.id, versionNo, asked };
}

/** A new policy document with its first version, asked of everyone active. */
export async function createPolicy(ctx: Ctx<z.output<typeof newPolicySchema>>, clock: Clock = {}): Promise<{ documentId: string; versionId: string; asked: number }> {
  const { actor, input, tx, audit } = ctx;
  requirePermission(actor, "training.manage");
  if (await tx.policyDocument.findUnique({ where: { code: input.code }, select: { id: true } })) throw err("CONFLICT", "policyCodeTaken", "code");
  const doc = await tx.policyDocument.create({ data: { code: input.code, titleZh: input.titleZh, titleEn: input.titleEn } });
  await audit({ action: "training.policy.create", entityType: POLICY_ENTITY, entityId: doc.id, before: null, after: { code: doc.code, titleZh: doc.titleZh, titleEn: doc.titleEn } });
  const v1 = await publishPolicyVersion({ ...ctx, input: { documentId: doc.id, body: input.body, summary: undefined, dueWorkingDays: input.dueWorkingDays, currentVersionNo: 0 } }, clock);
  return { documentId: doc.id, versionId: v1.versionId, asked: v1.asked };
}

// ---------------------------------------------------------------------------------------------
// HR: by hand

async function activeEmployeeByNo(tx: Tx, employeeNo: string) {
  const e = await tx.employee.findFirst({ where: { employeeNo: { equals: employeeNo, mode: "insensitive" } }, select: { id: true, name: true, status: true, hireDate: true } });
  if (!e) throw err("VALIDATION", "employeeNotFound", "employeeNo");
  if (e.status === "DEPARTED") throw err("VALIDATION", "employeeDeparted", "employeeNo");
  return e;
}

async function courseById(tx: Tx, id: string) {
  const course = await tx.trainingCourse.findUnique({ where: { id } });
  if (!course) throw err("VALIDATION", "courseNotFound", "courseId");
  return course;
}

/** Serialises by-hand changes of one person's assignments of one course. */
const lockAssignments = (tx: Tx, courseId: string, employeeId: string) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`training:${courseId}:${employeeId}`}))`;

async function nextCycle(tx: Tx, courseId: string, employeeId: string): Promise<number> {
  const last = await tx.trainingAssignment.findFirst({ where: { courseId, employeeId }, orderBy: { cycle: "desc" }, select: { cycle: true } });
  return (last?.cycle ?? 0) + 1;
}

export async function assignByHand({ actor, input, tx, audit }: Ctx<z.output<typeof assignByHandSchema>>, clock: Clock = {}): Promise<{ id: string }> {
  requirePermission(actor, "training.assign");
  const now = clock.now ?? new Date();
  const course = await courseById(tx, input.courseId);
  if (!course.active) throw err("VALIDATION", "courseInactive", "courseId");
  const person = await activeEmployeeByNo(tx, input.employeeNo);
  await lockAssignments(tx, course.id, person.id);
  const open = await tx.trainingAssignment.findFirst({ where: { courseId: course.id, employeeId: person.id, current: true, status: "ASSIGNED" } });
  if (open) throw err("CONFLICT", "alreadyAssigned", "employeeNo", { name: person.name });
  const calendar = (await loadCalendar(tx)).definition;
  const days = input.dueWorkingDays ?? course.dueWorkingDays;
  const start = person.hireDate.getTime() > chinaToday(now).getTime() ? hireInstant(person.hireDate) : now;
  const cycle = await nextCycle(tx, course.id, person.id);
  await tx.trainingAssignment.updateMany({ where: { courseId: course.id, employeeId: person.id, current: true }, data: { current: false, version: { increment: 1 } } });
  const created = await tx.trainingAssignment.create({
    data: { courseId: course.id, employeeId: person.id, cycle, source: "MANUAL", courseVersion: course.contentVersion, assignedAt: now, dueAt: dueAfter(calendar, start, days), assignedById: actor.id },
  });
  await audit({ action: "training.assign", entityType: ASSIGNMENT_ENTITY, entityId: created.id, before: null, after: { courseId: course.id, employeeId: person.id, cycle, dueAt: created.dueAt } });
  return { id: created.id };
}

export async function recordOutsideCompletion({ actor, input, tx, audit }: Ctx<z.output<typeof outsideCompletionSchema>>, clock: Clock = {}): Promise<{ id: string }> {
  requirePermission(actor, "training.assign");
  const now = clock.now ?? new Date();
  const course = await courseById(tx, input.courseId);
  const person = await activeEmployeeByNo(tx, input.employeeNo);
  const day = new Date(`${input.completedOn}T00:00:00.000Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== input.completedOn) throw new DomainError("VALIDATION", "errors.v.date", { field: "completedOn" });
  if (day.getTime() > chinaToday(now).getTime()) throw err("VALIDATION", "completedInFuture", "completedOn");
  const completedAt = hireInstant(day); // noon China time on that day
  await lockAssignments(tx, course.id, person.id);
  const months = recurrenceMonthsOf(course);
  const renewAt = months ? renewalAfter((await loadCalendar(tx)).definition, completedAt, months) : null;
  const data = { status: "COMPLETED" as const, completedAt, method: "OUTSIDE" as const, evidence: input.evidence, score: input.score ?? null, recordedById: actor.id, renewAt };
  let current = await tx.trainingAssignment.findFirst({ where: { courseId: course.id, employeeId: person.id, current: true } });
  if (current?.status === "COMPLETED") throw err("INVALID_STATE", "alreadyCompletedBy", "employeeNo", { name: person.name });
  if (!current) {
    // Not assigned yet: the classroom session is the assignment and its completion.
    current = await tx.trainingAssignment.create({
      data: { courseId: course.id, employeeId: person.id, cycle: await nextCycle(tx, course.id, person.id), source: "MANUAL", courseVersion: course.contentVersion, assignedAt: now, dueAt: now, assignedById: actor.id },
    });
  }
  const { count } = await tx.trainingAssignment.updateMany({ where: { id: current.id, status: "ASSIGNED" }, data: { ...data, version: { increment: 1 } } });
  if (count === 0) throw stale();
  await audit({
    action: "training.completion.outside",
    entityType: ASSIGNMENT_ENTITY,
    entityId: current.id,
    before: { status: "ASSIGNED" },
    after: { status: "COMPLETED", courseId: course.id, employeeId: person.id, completedOn: input.completedOn, score: input.score ?? null, evidence: input.evidence },
  });
  return { id: current.id };
}

// ---------------------------------------------------------------------------------------------
// Managers: a reminder to everyone in the filtered overview who has something open

export async function bulkRemind({ actor, input, tx, audit }: Ctx<z.output<typeof bulkRemindSchema>>, clock: Clock = {}): Promise<{ matched: number; sent: number }> {
  requirePermission(actor, "training.read:department", "training.assign", "training.manage");
  const scope = trainingScope(actor);
  if (!scope) throw forbidden();
  const now = clock.now ?? new Date();
  // The people the overview shows for the same filters who have something open.
  const people = await tx.$queryRaw<{ id: string; open: number; overdue: number }[]>(overviewPeopleSql(scope, input, now, { columns: "remind" }));
  const day = chinaToday(now).toISOString().slice(0, 10);
  const sent = await sendNotifications(
    tx,
    people.map((p) => ({
      recipientId: p.id,
      kind: "training.nudge",
      messageKey: "training.notify.nudge",
      params: { open: Number(p.open), overdue: Number(p.overdue), from: actor.name },
      href: "/training",
      dedupeKey: `training.nudge:${p.id}:${day}`,
    })),
  );
  await audit({ action: "training.remind", entityType: "Employee", entityId: actor.id, after: { filters: { ...input }, matched: people.length, sent } });
  return { matched: people.length, sent };
}
