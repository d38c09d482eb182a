import { z } from "zod";
import { ROLES, type RoleCode } from "@/lib/auth/permissions";
import { id, list, optionalId, optionalSearchText, text, version } from "@/lib/validation";
import { BATCH_MAX } from "./batch-rules";
import { CLASSIFICATIONS, REQUEST_TYPES, STEP_KINDS } from "./types";

// Approvals' forms and inputs, shared by the browser (ActionForm checks them before sending)
// and the server. Messages are i18n keys: `errors.v.*` (shared) and `approvals.v.*`.

export const COMMENT_MAX = 2000;
export const MAX_CHAIN_STEPS = 10;
export const MAX_OVERDUE_WORKING_DAYS = 60;

const optionalComment = z.preprocess((v) => (typeof v === "string" && v.trim() === "") || v === null ? undefined : v, text({ max: COMMENT_MAX, multiline: true }).optional());
const optionalVersion = z.preprocess((v) => (v === "" || v === null ? undefined : v), version.optional());

export const decisionSchema = z
  .object({
    requestId: id,
    stepId: id,
    decision: z.enum(["APPROVE", "REJECT"], { error: "errors.v.invalidChoice" }),
    comment: optionalComment,
    expectedVersion: optionalVersion,
  })
  .superRefine((v, ctx) => {
    if (v.decision === "REJECT" && !v.comment) ctx.addIssue({ code: "custom", path: ["comment"], message: "approvals.v.commentRequired" });
  });
export type DecisionInput = z.output<typeof decisionSchema>;

export const withdrawSchema = z.object({ requestId: id });
export type WithdrawInput = z.output<typeof withdrawSchema>;

/** What another capability passes to submitApprovalRequest; checked again by the engine. */
export const submissionSchema = z.object({
  type: z.enum(REQUEST_TYPES),
  subjectType: text({ max: 100 }),
  subjectId: text({ max: 100 }),
  title: text({ max: 200 }),
  facts: z.object({
    managerOfDepartmentId: id,
    classification: z.enum(CLASSIFICATIONS).optional(),
  }),
});

export const classification = z.enum(CLASSIFICATIONS, { error: "errors.v.invalidChoice" });

export const stepConditionSchema = z.object({ classifications: z.array(classification).max(CLASSIFICATIONS.length).optional() });

/** One step of the chain editor. `person` is an employee number or e-mail, resolved on the server. */
export const chainStepInputSchema = z
  .object({
    kind: z.enum(STEP_KINDS, { error: "errors.v.invalidChoice" }),
    role: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(ROLES, { error: "errors.v.invalidChoice" }).optional()),
    person: z.preprocess((v) => (typeof v === "string" && v.trim() === "") || v === null ? undefined : v, text({ max: 254 }).optional()),
    classifications: list(classification).transform((l) => [...new Set(l)]),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "ROLE" && !v.role) ctx.addIssue({ code: "custom", path: ["role"], message: "approvals.v.roleRequired" });
    if (v.kind === "PERSON" && !v.person) ctx.addIssue({ code: "custom", path: ["person"], message: "approvals.v.personRequired" });
  });
export type ChainStepInput = z.output<typeof chainStepInputSchema>;

/** The steps travel as one JSON field (the editor adds, removes and reorders them in the browser). */
const stepsField = z.preprocess(
  (v) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return null;
    }
  },
  z
    .array(chainStepInputSchema, { error: "approvals.v.stepsInvalid" })
    .min(1, { error: "approvals.v.stepsRequired" })
    .max(MAX_CHAIN_STEPS, { error: "approvals.v.tooManySteps" })
    .refine((steps) => steps.length === 0 || steps.some((s) => s.classifications.length === 0), { error: "approvals.v.needsUnconditionalStep" }),
);

/** The fallback roles are chosen in this many ordered slots ("" = slot unused). */
export const FALLBACK_SLOTS = 3;
const fallbackSlot = z.preprocess((v) => (v === null ? "" : v), z.union([z.enum(ROLES), z.literal("")], { error: "errors.v.invalidChoice" }).optional());

export const chainUpdateSchema = z
  .object({
    id,
    version,
    overdueWorkingDays: z.coerce
      .number({ error: "errors.v.integer" })
      .int({ error: "errors.v.integer" })
      .min(1, { error: "approvals.v.overdueRange" })
      .max(MAX_OVERDUE_WORKING_DAYS, { error: "approvals.v.overdueRange" }),
    calendarId: optionalId,
    steps: stepsField,
    // Absent altogether: the chain keeps its fallback roles; given: at least one.
    fallback1: fallbackSlot,
    fallback2: fallbackSlot,
    fallback3: fallbackSlot,
  })
  .superRefine((v, ctx) => {
    const slots = [v.fallback1, v.fallback2, v.fallback3];
    if (slots.some((r) => r !== undefined) && !slots.some((r) => r)) ctx.addIssue({ code: "custom", path: ["fallback1"], message: "approvals.v.fallbackRequired" });
  });
export type ChainUpdateInput = z.output<typeof chainUpdateSchema>;

/** The ordered fallback roles the form gives (each once), or undefined when it gives none. */
export function fallbackRolesFromInput(input: Pick<ChainUpdateInput, "fallback1" | "fallback2" | "fallback3">): RoleCode[] | undefined {
  const slots = [input.fallback1, input.fallback2, input.fallback3];
  if (slots.every((r) => r === undefined)) return undefined;
  return [...new Set(slots.filter((r): r is RoleCode => !!r))];
}

export const INBOX_TABS = ["pending", "decided", "mine"] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

export const inboxParamsSchema = z.object({
  tab: z.enum(INBOX_TABS).catch("pending"),
  /** Search by title, requester or type (lib/approvals/queries.ts, inboxSearchWhere). */
  q: optionalSearchText(100),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

/** Batch approval: the ticked inbox items, each "requestId:stepId". */
export const batchApproveSchema = z.object({
  items: list(z.string().regex(/^[a-z0-9]{20,40}:[a-z0-9]{20,40}$/i, { error: "errors.v.invalidChoice" }))
    .pipe(z.array(z.string()).min(1, { error: "approvals.batchErrors.empty" }).max(BATCH_MAX, { error: "approvals.batchErrors.tooMany" }))
    .transform((items) => items.map((x) => ({ requestId: x.split(":")[0], stepId: x.split(":")[1] }))),
});
export type BatchApproveInput = z.output<typeof batchApproveSchema>;
