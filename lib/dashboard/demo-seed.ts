import { writeAuditEvent } from "@/lib/server/audit-write";
import type { Tx } from "@/lib/server/prisma-client";
import { ownCells, TREND_WEEKS } from "./compute";
import { lastWeeks } from "./evaluate";
import { FIGURES } from "./figures";

// The dashboard's history for the demo organisation (prisma/seed.ts calls it last, inside the
// seed's transaction): a fresh install has no past weeks, so its trends would be single dots. The
// seed writes the 12 weeks of the trend (the 11 before this one and this one) for every figure and
// department, marked GENERATED (the dashboard says so): each week is today's figure moved by a
// small deterministic drift — a little worse in the past, so the demo shows a team improving —
// and a wave. The first real snapshot (lib/dashboard/startup.ts, at start-up) then replaces this
// week's rows with the counted ones.

const SYSTEM = { id: null, label: "system:seed", ip: null };

export async function seedDemoDashboard(tx: Tx, log: (line: string) => void = () => {}, now = new Date()): Promise<{ weeks: number; rows: number }> {
  const weeks = lastWeeks(now, TREND_WEEKS);
  const cells = await ownCells(tx, "/", now);
  const computedAt = now;
  const data: { weekStart: Date; figureKey: string; departmentId: string; value: number; total: number; source: "GENERATED"; computedAt: Date }[] = [];
  FIGURES.forEach((figure, f) => {
    const worse = figure.better === "lower" ? 1 : -1;
    let k = 0;
    for (const [departmentId, cell] of cells.get(figure.key)!) {
      k++;
      weeks.forEach((week, i) => {
        const ago = weeks.length - 1 - i;
        const factor = Math.max(0, 1 + worse * 0.035 * ago + 0.06 * Math.sin(i * 0.9 + k + f));
        const total = cell.total;
        // A rate's numerator stays within its denominator (kept fractional, so a small department's
        // rate moves smoothly rather than by whole cases); a count or a "max" (days) drifts freely.
        const raw = figure.kind === "rate" ? Math.min(total, Math.round(cell.value * factor * 100) / 100) : figure.kind === "max" ? Math.round(cell.value * factor * 10) / 10 : Math.round(cell.value * factor);
        data.push({ weekStart: new Date(`${week}T00:00:00Z`), figureKey: figure.key, departmentId, value: raw, total, source: "GENERATED", computedAt });
      });
    }
  });
  await tx.dashboardSnapshot.deleteMany({ where: { weekStart: { gte: new Date(`${weeks[0]}T00:00:00Z`) }, source: "GENERATED" } });
  for (let i = 0; i < data.length; i += 5_000) await tx.dashboardSnapshot.createMany({ data: data.slice(i, i + 5_000), skipDuplicates: true });
  await writeAuditEvent(tx, SYSTEM, { action: "dashboard.history.seed", entityType: "DashboardSnapshot", entityId: weeks[0], after: { from: weeks[0], to: weeks[weeks.length - 1], weeks: weeks.length, rows: data.length } });
  log(`Seeded ${weeks.length} weeks of dashboard history (${data.length} snapshot rows, marked generated).`);
  return { weeks: weeks.length, rows: data.length };
}
