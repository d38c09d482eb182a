"use server";
import { z } from "zod";
import { defineAction } from "@/lib/server/action";
import { writeSnapshots } from "./compute";
import { FIGURES } from "./figures";
import { targetsSchema } from "./schemas";

// The dashboard's two changes: ADMIN's targets, and refreshing this week's snapshot by hand.

export const saveTargetsAction = defineAction({
  schema: targetsSchema,
  permission: "dashboard.configure",
  revalidate: () => ["/dashboard", "/settings/dashboard-targets"],
  run: async ({ actor, input, tx, audit }) => {
    const before = await tx.dashboardTarget.findMany();
    const prior = new Map(before.map((t) => [t.figureKey, { green: t.green, amber: t.amber }]));
    const changes: { figure: string; before: { green: number; amber: number }; after: { green: number; amber: number } }[] = [];
    for (const t of input) {
      const was = prior.get(t.figureKey) ?? FIGURES.find((f) => f.key === t.figureKey)!.defaultTarget;
      if (was.green === t.green && was.amber === t.amber) continue;
      await tx.dashboardTarget.upsert({
        where: { figureKey: t.figureKey },
        create: { figureKey: t.figureKey, green: t.green, amber: t.amber, updatedById: actor.id },
        update: { green: t.green, amber: t.amber, updatedById: actor.id, version: { increment: 1 } },
      });
      changes.push({ figure: t.figureKey, before: was, after: { green: t.green, amber: t.amber } });
    }
    // One event per save, listing what changed (an unchanged save is recorded too: who confirmed the targets, when).
    await audit({
      action: "dashboard.targets.save",
      entityType: "DashboardTarget",
      entityId: "targets",
      before: Object.fromEntries(changes.map((c) => [c.figure, c.before])),
      after: Object.fromEntries(changes.map((c) => [c.figure, c.after])),
    });
    return { changed: changes.length };
  },
});

export const refreshSnapshotsAction = defineAction({
  schema: z.object({}),
  permission: "dashboard.configure",
  revalidate: () => "/dashboard",
  run: async ({ tx, audit }) => {
    const result = await writeSnapshots(tx, "MANUAL");
    await audit({ action: "dashboard.snapshot.refresh", entityType: "DashboardSnapshot", entityId: result.weekStart, after: result });
    return result;
  },
});
