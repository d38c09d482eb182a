import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/actor";
import { actorFor } from "../helpers/actors";
import { parseCsv } from "../helpers/csv";
import { expectOk, run } from "../helpers/run-command";
import { createTestDb, type TestDb } from "../helpers/test-db";
import { courseInput, RIGHT, seedTrainingOrg, type Org } from "./helpers";

// The views: a manager reads their subtree only, overdue first; ADMIN, AUDITOR and HR read
// everyone with per-course rates; CSV export and the bulk reminder follow the same filters. HR
// assigns by hand and records completions done outside the portal. Actions and the export route
// run through their real wrappers; the session, language and cache are stood in for.

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/actor", () => ({ getActor: async () => session.actor }));
vi.mock("@/lib/i18n/server", () => import("../helpers/english-i18n").then((m) => m.englishI18n()));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const actions = await import("@/lib/training/actions");
const { GET: exportGet } = await import("@/app/(portal)/training/overview/export/route");
const { overviewPeople, overviewPage, courseStats, personTraining } = await import("@/lib/training/queries");
const { createCourse, publishPolicyVersion } = await import("@/lib/training/commands");
const { courseSchema, overviewSchema, publishPolicySchema } = await import("@/lib/training/schemas");

let db: TestDb;
let org: Org;
let courseA: string;
let courseB: string;
const NOW = new Date("2026-11-25T02:00:00Z");

beforeAll(async () => {
  db = await createTestDb();
  org = await seedTrainingOrg(db.prisma);
  courseA = expectOk(await run(db.prisma, org.actors.admin, courseSchema, courseInput({ code: "A-1" }), (ctx) => createCourse(ctx, { now: NOW }))).id;
  courseB = expectOk(await run(db.prisma, org.actors.admin, courseSchema, courseInput({ code: "B-1", audienceKind: "DEPARTMENTS", departmentIds: [org.dept.sales.id] }), (ctx) => createCourse(ctx, { now: NOW }))).id;
  // hz2 is overdue on A.
  await db.prisma.trainingAssignment.updateMany({ where: { courseId: courseA, employeeId: org.people.hz2.id }, data: { dueAt: new Date("2026-11-20T10:00:00Z") } });
});
afterAll(async () => db?.close());
beforeEach(() => {
  session.actor = null;
});

const params = (over: Record<string, string> = {}) => overviewSchema.parse(over);
const names = (rows: { name: string }[]) => rows.map((r) => r.name);

describe("overview", () => {
  it("a manager sees their subtree only, overdue first", async () => {
    const r = await overviewPeople(org.actors.manager, db.prisma, params(), NOW);
    // Still employed while leaving: listed (with nothing assigned); the departed are not.
    expect(r.total).toBe(5);
    expect(names(r.rows)[0]).toBe("杭州乙");
    expect(new Set(names(r.rows))).toEqual(new Set(["经理", "杭州甲", "杭州乙", "华东甲", "离职中"]));
    expect(r.rows.find((x) => x.name === "杭州乙")).toMatchObject({ courses_open: 2, courses_overdue: 1, overdue: 1 });
  });

  it("reflects a completion at once", async () => {
    session.actor = org.actors.hz1;
    const res = await actions.submitAttemptAction(null, { courseId: courseA, attemptNo: 1, ...RIGHT });
    expect(res).toMatchObject({ ok: true, data: { passed: true } });
    const r = await overviewPeople(org.actors.manager, db.prisma, params({ q: "杭州甲" }), NOW);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ courses_open: 1, courses_done: 1, courses_overdue: 0 });
  });

  it("filters by state, course and department; everyone for ADMIN, AUDITOR and HR", async () => {
    expect(names((await overviewPeople(org.actors.manager, db.prisma, params({ state: "overdue" }), NOW)).rows)).toEqual(["杭州乙"]);
    const onlyB = await overviewPeople(org.actors.auditor, db.prisma, params({ course: courseB }), NOW);
    expect(new Set(names(onlyB.rows))).toEqual(new Set(["经理", "杭州甲", "杭州乙", "华东甲"]));
    const it = await overviewPeople(org.actors.hr, db.prisma, params({ department: org.dept.it.id }), NOW);
    expect(new Set(names(it.rows))).toEqual(new Set(["管理员", "技术甲"]));
    expect((await overviewPeople(org.actors.hz1, db.prisma, params(), NOW)).total).toBe(0);
  });

  it("per-course completion rates within the reader's scope", async () => {
    const all = await courseStats(org.actors.admin, db.prisma, NOW);
    expect(all.find((c) => c.code === "A-1")).toMatchObject({ assigned: 8, completed: 1, overdue: 1 });
    const mgr = await courseStats(org.actors.manager, db.prisma, NOW);
    expect(mgr.find((c) => c.code === "A-1")).toMatchObject({ assigned: 4, completed: 1, overdue: 1 });
  });

  it("a person outside the manager's scope is not found", async () => {
    expect(await personTraining(org.actors.manager, db.prisma, org.people.it1.id, NOW)).toBeNull();
    expect((await personTraining(org.actors.manager, db.prisma, org.people.hz2.id, NOW))?.courses).toHaveLength(2);
  });
});

describe("CSV export", () => {
  it("one row per person and course in the manager's scope, filtered, and audited", async () => {
    session.actor = org.actors.manager;
    const res = await exportGet(new Request("http://x/training/overview/export?state=overdue"));
    expect(res.status).toBe(200);
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    expect(rows[0].slice(0, 5)).toEqual(["employee_no", "name", "department", "kind", "code"]);
    expect(rows.slice(1).map((r) => [r[1], r[4], r[9]])).toEqual([["杭州乙", "A-1", "yes"]]);
    expect(await db.prisma.auditEvent.count({ where: { action: "training.export" } })).toBe(1);
  });

  it("is refused to someone who reads no one else's training", async () => {
    session.actor = org.actors.hz1;
    expect((await exportGet(new Request("http://x/training/overview/export"))).status).toBe(403);
  });
});

describe("bulk reminder", () => {
  it("reminds people with open items in the filtered scope, once a day", async () => {
    session.actor = org.actors.manager;
    const first = await actions.bulkRemindAction(null, { state: "overdue" });
    expect(first).toMatchObject({ ok: true, data: { matched: 1, sent: 1 } });
    const again = await actions.bulkRemindAction(null, { state: "overdue" });
    expect(again).toMatchObject({ ok: true, data: { matched: 1, sent: 0 } });
    const notes = await db.prisma.notification.findMany({ where: { kind: "training.nudge" } });
    expect(notes.map((n) => n.recipientId)).toEqual([org.people.hz2.id]);
  });

  it("an auditor reads but does not remind", async () => {
    session.actor = org.actors.auditor;
    expect(await actions.bulkRemindAction(null, {})).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});

describe("HR by hand", () => {
  it("assigns a course to someone outside its audience; a second open assignment is refused", async () => {
    session.actor = org.actors.hr;
    const it1 = await db.prisma.employee.findUniqueOrThrow({ where: { id: org.people.it1.id } });
    expect(await actions.assignByHandAction(null, { courseId: courseB, employeeNo: it1.employeeNo, dueWorkingDays: "" })).toMatchObject({ ok: true });
    const again = await actions.assignByHandAction(null, { courseId: courseB, employeeNo: it1.employeeNo });
    expect(again).toMatchObject({ ok: false, code: "CONFLICT" });
    if (!again.ok) expect(again.fieldErrors?.employeeNo?.[0]).toMatch(/already has an open assignment/);
    expect(await db.prisma.trainingAssignment.count({ where: { courseId: courseB, employeeId: it1.id } })).toBe(1);
  });

  it("records a completion done outside the portal with its evidence", async () => {
    session.actor = org.actors.hr;
    const east1 = await db.prisma.employee.findUniqueOrThrow({ where: { id: org.people.east1.id } });
    const out = await actions.recordOutsideCompletionAction(null, { courseId: courseB, employeeNo: east1.employeeNo, completedOn: "2026-11-20", score: "90", evidence: "签到表第 2 页" });
    expect(out).toMatchObject({ ok: true });
    const a = await db.prisma.trainingAssignment.findFirstOrThrow({ where: { courseId: courseB, employeeId: east1.id } });
    expect(a).toMatchObject({ status: "COMPLETED", method: "OUTSIDE", evidence: "签到表第 2 页", score: 90, recordedById: org.people.hr.id });
    expect(a.completedAt?.toISOString()).toBe("2026-11-20T04:00:00.000Z");
    // Twice: refused, nothing changes.
    expect(await actions.recordOutsideCompletionAction(null, { courseId: courseB, employeeNo: east1.employeeNo, completedOn: "2026-11-21", evidence: "x" })).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });

  it("evidence is required and a manager cannot record", async () => {
    session.actor = org.actors.hr;
    expect(await actions.recordOutsideCompletionAction(null, { courseId: courseB, employeeNo: "X", completedOn: "2026-11-20", evidence: "" })).toMatchObject({ ok: false, code: "VALIDATION" });
    session.actor = org.actors.manager;
    expect(await actions.recordOutsideCompletionAction(null, { courseId: courseB, employeeNo: "X", completedOn: "2026-11-20", evidence: "e" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});

describe("messages in the person's language", () => {
  it("submitting for a course not assigned says so plainly", async () => {
    session.actor = await actorFor(db.prisma, org.people.it1.id);
    const res = await actions.submitAttemptAction(null, { courseId: (await db.prisma.trainingCourse.create({ data: { code: "UNASSIGNED", titleZh: "未分配", titleEn: "Unassigned", category: "OTHER", content: "x", quiz: [{ prompt: "p", choices: ["a", "b"], correct: [0] }], passingScore: 50, audienceKind: "EVERYONE", audience: {}, dueWorkingDays: 5 } })).id, attemptNo: 1, q0: "0" });
    expect(res).toMatchObject({ ok: false, code: "INVALID_STATE", formError: "This course is not assigned to you, so its quiz cannot be submitted." });
  });
});

// The overview page reads everything in one transaction with one statement for the per-course and
// per-policy figures; these check it against the separate reads and against counts Prisma makes.
describe("the overview page's reads", () => {
  const currentFor = (ids: string[]) => ({ current: true, employeeId: { in: ids } });

  it("the same people, totals and course figures as the separate reads, within the manager's subtree", async () => {
    const page = await overviewPage(org.actors.manager, db.prisma, params(), NOW);
    expect(page.people).toEqual(await overviewPeople(org.actors.manager, db.prisma, params(), NOW));
    expect(page.people.total).toBe(5);
    expect(page.stats.courses).toEqual(await courseStats(org.actors.manager, db.prisma, NOW));
    const ids = page.people.rows.map((r) => r.id);
    for (const c of page.stats.courses) {
      expect(c.assigned).toBe(await db.prisma.trainingAssignment.count({ where: { courseId: c.id, ...currentFor(ids) } }));
      expect(c.completed).toBe(await db.prisma.trainingAssignment.count({ where: { courseId: c.id, status: "COMPLETED", ...currentFor(ids) } }));
    }
    expect(page.stats.courses.find((c) => c.code === "A-1")).toMatchObject({ assigned: 4, completed: 1, overdue: 1 });
    // Every course by code for the filter; the departments of the manager's subtree only.
    const courses = await db.prisma.trainingCourse.findMany({ orderBy: { code: "asc" }, select: { id: true, code: true, titleZh: true, titleEn: true, active: true } });
    expect(page.courseList).toEqual(courses);
    expect(page.stats.courses.map((c) => c.id)).toEqual(courses.map((c) => c.id));
    const hq = await db.prisma.department.findUniqueOrThrow({ where: { id: org.dept.hq.id } });
    const subtree = await db.prisma.department.findMany({ where: { path: { startsWith: org.actors.manager.departmentPath } }, orderBy: { path: "asc" }, select: { id: true } });
    expect(page.departments.map((d) => d.id)).toEqual(subtree.map((d) => d.id));
    expect(page.departments.map((d) => d.id)).not.toContain(hq.id);
  });

  it("a department filter narrows the figures and never widens the scope", async () => {
    const it = await overviewPage(org.actors.hr, db.prisma, params({ department: org.dept.it.id }), NOW);
    expect(new Set(names(it.people.rows))).toEqual(new Set(["管理员", "技术甲"]));
    const a = it.stats.courses.find((c) => c.code === "A-1")!;
    expect(a.assigned).toBe(await db.prisma.trainingAssignment.count({ where: { courseId: courseA, ...currentFor(it.people.rows.map((r) => r.id)) } }));
    expect(a.assigned).toBeGreaterThan(0);
    const outside = await overviewPage(org.actors.manager, db.prisma, params({ department: org.dept.it.id }), NOW);
    expect(outside.people.total).toBe(0);
    expect(outside.stats.courses.every((c) => c.assigned === 0 && c.completed === 0 && c.overdue === 0)).toBe(true);
  });

  it("per policy: asked, acknowledged and overdue within the reader's scope", async () => {
    const documentId = (await db.prisma.policyDocument.create({ data: { code: "HANDBOOK", titleZh: "员工手册", titleEn: "Handbook" } })).id;
    const published = expectOk(await run(db.prisma, org.actors.admin, publishPolicySchema, { documentId, body: "# 第 1 版", summary: "", dueWorkingDays: "5", currentVersionNo: "0" }, (ctx) => publishPolicyVersion(ctx, { now: NOW })));
    await db.prisma.policyAcknowledgement.update({ where: { versionId_employeeId: { versionId: published.versionId, employeeId: org.people.hz1.id } }, data: { acknowledgedAt: NOW } });
    const later = new Date(NOW.getTime() + 30 * 86_400_000);
    const mgr = await overviewPage(org.actors.manager, db.prisma, params(), later);
    const asked = await db.prisma.policyAcknowledgement.count({ where: { documentId, ...currentFor(mgr.people.rows.map((r) => r.id)) } });
    expect(asked).toBeGreaterThan(1);
    expect(mgr.stats.policies).toEqual([{ id: documentId, code: "HANDBOOK", title_zh: "员工手册", title_en: "Handbook", version_no: 1, asked, acknowledged: 1, overdue: asked - 1 }]);
    const all = await overviewPage(org.actors.admin, db.prisma, params(), NOW);
    expect(all.stats.policies[0]).toMatchObject({ asked: published.asked, acknowledged: 1, overdue: 0 });
    expect(all.stats.policies[0].asked).toBeGreaterThan(asked);
  });
});
