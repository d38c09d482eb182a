import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/prisma/seed";
import { createTestDb, type TestDb } from "../helpers/test-db";

// The demo organisation's training (lib/training/demo-seed.ts, run by prisma/seed.ts): the four
// courses of SPEC §9 with real quizzes, the handbook's WeChat chapter v1, a mix of completed, due
// and overdue, and the e2e people (staff22, staff32) untouched.

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
  expect(await seedDemo(db.prisma, () => {})).toBe(true);
}, 120_000);
afterAll(async () => db?.close());

const person = (email: string) => db.prisma.employee.findUniqueOrThrow({ where: { email } });

describe("demo training", () => {
  it("has the four courses with Chinese and English titles and quizzes of 4–6 questions", async () => {
    const courses = await db.prisma.trainingCourse.findMany({ orderBy: { code: "asc" } });
    expect(courses.map((c) => c.code)).toEqual(["CONTENT-101", "PHISH-101", "PIPL-101", "WECHAT-101"]);
    for (const c of courses) {
      expect(c.titleZh).toMatch(/[\u4e00-\u9fff]/);
      expect(c.titleEn).toMatch(/^[A-Za-z]/);
      expect((c.quiz as unknown[]).length).toBeGreaterThanOrEqual(4);
      expect((c.quiz as unknown[]).length).toBeLessThanOrEqual(6);
    }
  });

  it("has the handbook's WeChat chapter v1 asked of everyone active", async () => {
    const doc = await db.prisma.policyDocument.findUniqueOrThrow({ where: { code: "HANDBOOK-WECHAT" } });
    expect(doc.currentVersionNo).toBe(1);
    const active = await db.prisma.employee.count({ where: { status: "ACTIVE" } });
    expect(await db.prisma.policyAcknowledgement.count({ where: { documentId: doc.id } })).toBe(active);
    expect(await db.prisma.policyAcknowledgement.count({ where: { documentId: doc.id, acknowledgedAt: { not: null } } })).toBeGreaterThanOrEqual(5);
  });

  it("mixes completed, due and overdue, with one completion recorded outside the portal", async () => {
    const now = new Date();
    expect(await db.prisma.trainingAssignment.count({ where: { status: "COMPLETED" } })).toBeGreaterThanOrEqual(8);
    expect(await db.prisma.trainingAssignment.count({ where: { status: "ASSIGNED", dueAt: { lt: now } } })).toBe(5);
    expect(await db.prisma.trainingAssignment.count({ where: { status: "ASSIGNED", dueAt: { gte: now } } })).toBeGreaterThan(50);
    expect(await db.prisma.trainingAssignment.count({ where: { method: "OUTSIDE" } })).toBe(1);
    const employee = await person("employee@wegovern.demo");
    expect(await db.prisma.trainingAssignment.findMany({ where: { employeeId: employee.id, status: "COMPLETED" }, select: { attempts: true }, orderBy: { attempts: "asc" } })).toEqual([{ attempts: 1 }, { attempts: 2 }]);
  });

  it("leaves the e2e people with their four courses open and the policy to acknowledge", async () => {
    for (const email of ["staff22@wegovern.demo", "staff32@wegovern.demo"]) {
      const p = await person(email);
      const rows = await db.prisma.trainingAssignment.findMany({ where: { employeeId: p.id } });
      expect(rows.map((r) => r.status)).toEqual(["ASSIGNED", "ASSIGNED", "ASSIGNED", "ASSIGNED"]);
      expect(await db.prisma.policyAcknowledgement.count({ where: { employeeId: p.id, acknowledgedAt: null } })).toBe(1);
    }
  });
});
