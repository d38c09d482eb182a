import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDashboard, TREND_WEEKS } from "@/lib/dashboard/compute";
import { lastWeeks } from "@/lib/dashboard/evaluate";
import type { DashboardScope } from "@/lib/dashboard/scope";
import { ensureFirstSnapshot } from "@/lib/dashboard/startup";
import { seedDemo } from "@/prisma/seed";
import { createTestDb, type TestDb } from "../helpers/test-db";

// A fresh install has a trend: the demo seed writes the 12 weeks of the dashboard's history
// (lib/dashboard/demo-seed.ts) and start-up takes the first real snapshot when none was ever
// taken (lib/dashboard/startup.ts, called by scripts/start.ts).

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
  expect(await seedDemo(db.prisma, () => {})).toBe(true);
}, 180_000);
afterAll(async () => db?.close());

const companyScope: DashboardScope = { departmentId: null, rootDepartmentId: null, rootPath: null, path: null, name: null };

describe("the demo's dashboard history", () => {
  it("holds 12 weekly snapshots for every figure, so each trend has at least 12 points", async () => {
    const now = new Date();
    const weeks = await db.prisma.dashboardSnapshot.groupBy({ by: ["weekStart"], where: { source: "GENERATED" } });
    expect(weeks.map((w) => w.weekStart.toISOString().slice(0, 10)).sort()).toEqual(lastWeeks(now, TREND_WEEKS));
    const dashboard = await loadDashboard(db.prisma, companyScope, now);
    expect(dashboard.generatedHistory).toBe(true);
    for (const figure of dashboard.figures) {
      const points = figure.trend.filter((p) => p.value !== null);
      // A rate over nothing (no rows at all) has no value in any week; every other figure has all 12.
      if (figure.value !== null) expect(points.length, figure.def.key).toBeGreaterThanOrEqual(12);
    }
    expect(dashboard.figures.filter((f) => f.value !== null).length).toBeGreaterThan(10);
    // The seeding is audited under the seed's actor.
    expect(await db.prisma.auditEvent.count({ where: { action: "dashboard.history.seed", actorLabel: "system:seed" } })).toBe(1);
  });

  it("takes the first real snapshot at start-up, once", async () => {
    expect(await db.prisma.dashboardRefresh.count()).toBe(0);
    const now = new Date();
    const first = await ensureFirstSnapshot(db.prisma, now);
    expect(first).not.toBeNull();
    expect(first!.rows).toBeGreaterThan(0);
    const refresh = await db.prisma.dashboardRefresh.findFirstOrThrow();
    expect(refresh.trigger).toBe("STARTUP");
    // This week's rows are now the counted ones, the 11 before stay generated.
    const thisWeek = new Date(`${lastWeeks(now, 1)[0]}T00:00:00Z`);
    expect(await db.prisma.dashboardSnapshot.count({ where: { weekStart: thisWeek, source: "GENERATED" } })).toBe(0);
    expect(await db.prisma.dashboardSnapshot.count({ where: { weekStart: thisWeek, source: "JOB" } })).toBe(first!.rows);
    expect(await db.prisma.auditEvent.count({ where: { action: "dashboard.snapshot.refresh", actorLabel: "system:startup" } })).toBe(1);
    // A restart writes nothing more.
    expect(await ensureFirstSnapshot(db.prisma, now)).toBeNull();
    expect(await db.prisma.dashboardRefresh.count()).toBe(1);
    const dashboard = await loadDashboard(db.prisma, companyScope, now);
    expect(dashboard.lastRefresh?.trigger).toBe("STARTUP");
  });
});
