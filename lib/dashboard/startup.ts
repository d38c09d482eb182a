import { writeAuditEvent } from "@/lib/server/audit-write";
import type { DbClient } from "@/lib/server/prisma-client";
import { writeSnapshots } from "./compute";

// The first snapshot is taken when the server starts (scripts/start.ts), not only by the nightly
// job: a fresh install shows this week's counted figures in its trends from the first page view.
// Only when no refresh has ever finished, so restarting the server writes nothing; the nightly job
// and "refresh now" replace the week's rows as before.

const SYSTEM = { id: null, label: "system:startup", ip: null };

export async function ensureFirstSnapshot(prisma: DbClient, now = new Date()): Promise<{ weekStart: string; rows: number } | null> {
  if (await prisma.dashboardRefresh.findFirst({ where: { finishedAt: { not: null } }, select: { id: true } })) return null;
  return prisma.$transaction(
    async (tx) => {
      // Two servers starting at once: the second waits here, then finds the first one's refresh.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(4200017)`;
      if (await tx.dashboardRefresh.findFirst({ where: { finishedAt: { not: null } }, select: { id: true } })) return null;
      const result = await writeSnapshots(tx, "STARTUP", now);
      await writeAuditEvent(tx, SYSTEM, { action: "dashboard.snapshot.refresh", entityType: "DashboardSnapshot", entityId: result.weekStart, after: { ...result, trigger: "STARTUP" } });
      return result;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
