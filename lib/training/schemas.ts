import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { id, list, listParams, searchText, text, version } from "@/lib/validation";

// Training's forms and list parameters, shared by the browser and the server. Messages are i18n
// keys (`errors.v.*`, `training.v.*`).

export const CATEGORIES = ["WECHAT_RULES", "PRIVACY", "CONTENT", "SECURITY", "OTHER"] as const;
export const AUDIENCE_KINDS = ["EVERYONE", "ROLES", "DEPARTMENTS"] as const;
export const RECURRENCES = ["NONE", "YEARLY", "MONTHS"] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

export const courseCode = z
  .string({ error: "errors.v.required" })
  .trim()
  .toUpperCase()
  .min(1, { error: "errors.v.required" })
  .max(32, { error: "training.v.code" })
  .regex(/^[A-Z0-9-]+$/, { error: "training.v.code" });

const dueDays = z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(1, { error: "training.v.dueDays" }).max(250, { error: "training.v.dueDays" });

export const audience = z.object({ roles: z.array(z.enum(ROLES)), departmentIds: z.array(z.string()) });
export type Audience = z.infer<typeof audience>;

export const courseSchema = z
  .object({
    code: courseCode,
    titleZh: text({ max: 120 }),
    titleEn: text({ max: 120 }),
    category: z.enum(CATEGORIES, { error: "errors.v.invalidChoice" }),
    content: text({ max: 20_000, multiline: true }),
    quizText: text({ max: 20_000, multiline: true }),
    passingScore: z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(1, { error: "training.v.passingScore" }).max(100, { error: "training.v.passingScore" }),
    audienceKind: z.enum(AUDIENCE_KINDS, { error: "errors.v.invalidChoice" }),
    roles: list(z.enum(ROLES, { error: "errors.v.invalidChoice" })),
    departmentIds: list(id),
    recurrence: z.enum(RECURRENCES, { error: "errors.v.invalidChoice" }),
    recurrenceMonths: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(1, { error: "training.v.months" }).max(60, { error: "training.v.months" }).optional()),
    dueWorkingDays: dueDays,
  })
  .superRefine((v, ctx) => {
    if (v.audienceKind === "ROLES" && v.roles.length === 0) ctx.addIssue({ code: "custom", path: ["roles"], message: "training.errors.audienceEmpty" });
    if (v.audienceKind === "DEPARTMENTS" && v.departmentIds.length === 0) ctx.addIssue({ code: "custom", path: ["departmentIds"], message: "training.errors.audienceEmpty" });
    if (v.recurrence === "MONTHS" && v.recurrenceMonths === undefined) ctx.addIssue({ code: "custom", path: ["recurrenceMonths"], message: "training.v.months" });
  });
export type CourseInput = z.output<typeof courseSchema>;

export const courseUpdateSchema = courseSchema.and(z.object({ id, version }));
export type CourseUpdateInput = z.output<typeof courseUpdateSchema>;

export const courseActiveSchema = z.object({ id, version, active: z.enum(["true", "false"]).transform((v) => v === "true") });

/** One quiz submission: answers as `q<i>` fields (one value, or several for a multiple-choice question). */
export const attemptSchema = z
  .object({
    courseId: id,
    /** The attempt number the page offered (attempts so far + 1): a second submit of the same page is refused. */
    attemptNo: z.coerce.number().int().min(1).max(10_000),
  })
  .catchall(z.unknown());
export type AttemptInput = z.output<typeof attemptSchema>;

export const acknowledgeSchema = z.object({ versionId: id });

export const publishPolicySchema = z.object({
  documentId: id,
  body: text({ max: 50_000, multiline: true }),
  summary: z.preprocess((v) => (v === "" || v === null ? undefined : v), text({ max: 500 }).optional()),
  dueWorkingDays: dueDays,
  /** The version number the page showed as current (0 for none): two publishers do not both win. */
  currentVersionNo: z.coerce.number().int().min(0),
});

export const newPolicySchema = z.object({
  code: courseCode,
  titleZh: text({ max: 120 }),
  titleEn: text({ max: 120 }),
  body: text({ max: 50_000, multiline: true }),
  dueWorkingDays: dueDays,
});

export const assignByHandSchema = z.object({
  courseId: id,
  employeeNo: text({ max: 32 }),
  dueWorkingDays: z.preprocess((v) => (v === "" || v === null ? undefined : v), dueDays.optional()),
});

export const outsideCompletionSchema = z.object({
  courseId: id,
  employeeNo: text({ max: 32 }),
  completedOn: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "errors.v.date" }),
  score: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number({ error: "errors.v.integer" }).int().min(0, { error: "training.v.score" }).max(100, { error: "training.v.score" }).optional()),
  evidence: text({ max: 1000, multiline: true }),
});

export const OVERVIEW_STATES = ["overdue", "open", "done"] as const;
export const overviewSchema = listParams(["attention", "name", "department"] as const, "attention").extend({
  state: z.enum(OVERVIEW_STATES).optional().catch(undefined),
  course: z.string().regex(/^[a-z0-9]{20,40}$/i).optional().catch(undefined),
  department: z.string().regex(/^[a-z0-9]{8,40}$/i).optional().catch(undefined),
});
export type OverviewParams = z.output<typeof overviewSchema>;

export const overviewExportSchema = overviewSchema.omit({ page: true, pageSize: true, sort: true, dir: true });

export const bulkRemindSchema = z.object({
  state: z.preprocess((v) => (v === "" ? undefined : v), z.enum(OVERVIEW_STATES).optional()),
  course: z.preprocess((v) => (v === "" ? undefined : v), id.optional()),
  department: z.preprocess((v) => (v === "" ? undefined : v), id.optional()),
  q: searchText(100),
});
