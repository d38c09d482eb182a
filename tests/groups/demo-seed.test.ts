import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownerlessGroupIds } from "@/lib/groups/queries";
import { GROUP_STATUSES } from "@/lib/groups/schemas";
import { seedDemo } from "@/prisma/seed";
import { createTestDb, type TestDb } from "../helpers/test-db";

// The demo organisation's work groups (lib/groups/demo-seed.ts, run by prisma/seed.ts): every
// state, real approval requests with steps, archives, overdue reviews and an ownerless group.

let db: TestDb;

beforeAll(async () => {
  db = await createTestDb();
  expect(await seedDemo(db.prisma, () => {})).toBe(true);
}, 120_000);
afterAll(async () => db?.close());

describe("demo work groups", () => {
  it("has a group in every state", async () => {
    const rows = await db.prisma.workGroup.groupBy({ by: ["status"], _count: true });
    expect(rows.map((r) => r.status).sort()).toEqual([...GROUP_STATUSES].sort());
  });

  it("every group has its approval requests, made by the engine with steps", async () => {
    const groups = await db.prisma.workGroup.findMany({ select: { id: true, status: true } });
    for (const g of groups) {
      const requests = await db.prisma.approvalRequest.findMany({ where: { subjectType: "WorkGroup", subjectId: g.id }, include: { steps: true } });
      expect(requests.some((r) => r.type === "GROUP_CREATE"), g.status).toBe(true);
      for (const r of requests) expect(r.steps.length).toBeGreaterThan(0);
      if (g.status === "DISSOLUTION_PENDING" || g.status === "DISSOLVED") expect(requests.some((r) => r.type === "GROUP_DISSOLVE")).toBe(true);
    }
    // Something waits in the manager's inbox.
    const manager = await db.prisma.employee.findUniqueOrThrow({ where: { email: "manager@wegovern.demo" } });
    expect(await db.prisma.approvalRequestStep.count({ where: { approverId: manager.id, status: "PENDING" } })).toBeGreaterThan(0);
  });

  it("has archives, overdue and due-soon reviews, and one ownerless group owned by the departed demo person", async () => {
    expect(await db.prisma.workGroupArchive.count()).toBeGreaterThanOrEqual(5);
    const now = new Date();
    expect(await db.prisma.workGroup.count({ where: { status: "ACTIVE", reviewDueAt: { lt: now } } })).toBeGreaterThanOrEqual(2);
    expect(await db.prisma.workGroup.count({ where: { status: "ACTIVE", reviewDueAt: { gte: now, lt: new Date(now.getTime() + 14 * 86_400_000) } } })).toBeGreaterThanOrEqual(1);
    const ownerless = await ownerlessGroupIds(db.prisma);
    expect(ownerless).toHaveLength(1);
    const group = await db.prisma.workGroup.findUniqueOrThrow({ where: { id: ownerless[0] } });
    const owner = await db.prisma.employee.findUniqueOrThrow({ where: { id: group.ownerId! } });
    expect(owner).toMatchObject({ email: "departed@wegovern.demo", status: "DEPARTED" });
  });

  it("audits every change to a group", async () => {
    const groups = await db.prisma.workGroup.count();
    expect(await db.prisma.auditEvent.count({ where: { action: "workGroup.request" } })).toBe(groups);
  });
});
