import { z } from "zod";
import { FIGURES } from "./figures";
import { targetInOrder } from "./evaluate";

// The dashboard's inputs: the page's URL (scope, ranking sort and page) and the targets form.

const departmentId = z.string().regex(/^[a-z0-9]{8,40}$/i).optional().catch(undefined);

export const dashboardParamsSchema = z.object({
  department: departmentId,
  sort: z.enum(["score", "name"]).catch("score"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  /** "1": count the figures now instead of taking the shared ones (at most a minute old). */
  fresh: z.literal("1").optional().catch(undefined),
});
export type DashboardParams = z.output<typeof dashboardParamsSchema>;

export const exportParamsSchema = z.object({
  department: departmentId,
  what: z.enum(["figures", "ranking"]).catch("figures"),
});

const threshold = z.coerce.number({ error: "dashboard.errors.number" }).finite("dashboard.errors.number").min(0, "dashboard.errors.number").max(1_000_000, "dashboard.errors.number");

/** The targets form: `<key>.green` and `<key>.amber` for every figure, each checked in its unit and order. */
export const targetsSchema = z
  .object(Object.fromEntries(FIGURES.flatMap((f) => [[`${f.key}.green`, threshold], [`${f.key}.amber`, threshold]])) as Record<string, typeof threshold>)
  .superRefine((input, ctx) => {
    for (const f of FIGURES) {
      const green = input[`${f.key}.green`];
      const amber = input[`${f.key}.amber`];
      if (f.kind === "rate") {
        if (green > 100) ctx.addIssue({ code: "custom", path: [`${f.key}.green`], message: "dashboard.errors.percentRange" });
        if (amber > 100) ctx.addIssue({ code: "custom", path: [`${f.key}.amber`], message: "dashboard.errors.percentRange" });
      }
      if (!targetInOrder(f, { green, amber })) ctx.addIssue({ code: "custom", path: [`${f.key}.green`], message: "dashboard.errors.targetOrder" });
    }
  })
  .transform((input) => FIGURES.map((f) => ({ figureKey: f.key, green: input[`${f.key}.green`], amber: input[`${f.key}.amber`] })));
export type TargetsInput = z.output<typeof targetsSchema>;
