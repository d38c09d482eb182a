import { z } from "zod";
import { id, list, listParams, optionalId, optionalIsoDate, optionalSearchText, optionalText, text, version } from "@/lib/validation";
import { RULE_KINDS } from "./default-rules";
import { LICENCE_TYPES, MEDIA_KINDS } from "./media-check";

// Content compliance's forms and list parameters (SPEC §11), shared by the browser and the
// server. Messages are i18n keys: `errors.v.*` (shared) and `content.v.*` (this domain).

export const CONTENT_KINDS = ["OA_ARTICLE", "MOMENTS_POST", "MASS_MESSAGE", "CHANNELS_SCRIPT"] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];
export const CONTENT_STATUSES = ["DRAFT", "IN_REVIEW", "CHANGES_REQUESTED", "PUBLISHED", "WITHDRAWN"] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];
/** Where the author may write a new revision. */
export const EDITABLE_STATUSES: readonly ContentStatus[] = ["DRAFT", "CHANGES_REQUESTED", "IN_REVIEW"];

/** 1 MB of UTF-8: a body longer than this is refused (next.config lets 2 MB reach an action). */
export const BODY_MAX_BYTES = 1_048_576;
export const TITLE_MAX = 200;

export function utf8Bytes(value: string): number {
  return new TextEncoder().encode(value).length;
}

// C0/C1 controls other than tab and newline (as lib/validation refuses them).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** The body: plain text (paragraphs separated by blank lines), line ends made \n, bounded in bytes.
 * Markup in it is text: it is stored and shown as typed, never interpreted. */
export const body = z
  .string({ error: "errors.v.required" })
  .transform((v) => v.replace(/\r\n?/g, "\n"))
  .refine((v) => v.trim().length > 0, { error: "errors.v.required" })
  .refine((v) => utf8Bytes(v) <= BODY_MAX_BYTES, { error: "content.v.bodyTooLarge" })
  .refine((v) => !CONTROL.test(v), { error: "errors.v.controlChars" });

/** A datetime-local value ("2026-12-01T10:00"), read as China Standard Time (UTC+8). */
export const plannedAt = z
  .string({ error: "content.v.plannedAt" })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: "content.v.plannedAt" })
  .transform((v, ctx) => {
    const d = new Date(`${v}:00+08:00`);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "content.v.plannedAt" });
      return z.NEVER;
    }
    return d;
  });

/** A Date as the datetime-local value plannedAt reads. */
export function toPlannedValue(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

/** Tomorrow at 10:00 China time: the form's default planned time. */
export function defaultPlannedValue(now: Date): string {
  return `${toPlannedValue(new Date(now.getTime() + 24 * 3600_000)).slice(0, 11)}10:00`;
}

const choice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: "errors.v.invalidChoice" });

const submissionFields = {
  kind: choice(CONTENT_KINDS),
  title: text({ max: TITLE_MAX }),
  body,
  mediaIds: list(id),
  plannedAt,
  /** An account of the registry; empty: the free name below. */
  accountId: optionalId,
  accountName: optionalText(100),
  /** "submit": send for review right away; otherwise saved as a draft. */
  intent: z.enum(["draft", "submit"]).catch("draft"),
};

const needsAccount = (v: { accountId?: string; accountName?: string }) => Boolean(v.accountId || v.accountName);

export const submissionCreateSchema = z.object(submissionFields).refine(needsAccount, { error: "content.v.account", path: ["accountName"] });
export type SubmissionCreateInput = z.output<typeof submissionCreateSchema>;

export const submissionReviseSchema = z
  .object({ ...submissionFields, id, version, note: optionalText(500) })
  .refine(needsAccount, { error: "content.v.account", path: ["accountName"] });
export type SubmissionReviseInput = z.output<typeof submissionReviseSchema>;

export const submissionRefSchema = z.object({ id, version });
export type SubmissionRefInput = z.output<typeof submissionRefSchema>;

const revisionNumber = z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(1);

export const acceptFindingSchema = z.object({ id, revision: revisionNumber, findingId: id, reason: text({ max: 500, multiline: true }) });
export type AcceptFindingInput = z.output<typeof acceptFindingSchema>;

export const reviewDecisionSchema = z.object({
  id,
  revision: revisionNumber,
  decision: z.enum(["APPROVE", "REJECT"], { error: "errors.v.invalidChoice" }),
  comment: optionalText(2000),
});
export type ReviewDecisionInput = z.output<typeof reviewDecisionSchema>;

// ---------------------------------------------------------------------------------------------
// Media library

const mediaFields = {
  kind: choice(MEDIA_KINDS),
  name: text({ max: 200 }),
  source: text({ max: 500 }),
  licenceType: choice(LICENCE_TYPES),
  licensee: optionalText(200),
  scope: optionalText(500),
  licenceExpiresOn: optionalIsoDate,
  note: optionalText(500),
};

export const mediaCreateSchema = z.object(mediaFields);
export type MediaCreateInput = z.output<typeof mediaCreateSchema>;
export const mediaUpdateSchema = z.object({ ...mediaFields, id, version });
export type MediaUpdateInput = z.output<typeof mediaUpdateSchema>;

// ---------------------------------------------------------------------------------------------
// Rules (content.configure)

const checkbox = z.preprocess((v) => v === "on" || v === "1" || v === "true" || v === true, z.boolean());

export const termAddSchema = z.object({ ruleId: id, term: text({ max: 50 }), standsAlone: checkbox });
export type TermAddInput = z.output<typeof termAddSchema>;
export const termRemoveSchema = z.object({ termId: id });
export type TermRemoveInput = z.output<typeof termRemoveSchema>;
export const exemptionAddSchema = z.object({ phrase: text({ max: 50 }), reason: text({ max: 200 }) });
export type ExemptionAddInput = z.output<typeof exemptionAddSchema>;
export const exemptionRemoveSchema = z.object({ exemptionId: id });
export type ExemptionRemoveInput = z.output<typeof exemptionRemoveSchema>;
export const ruleUpdateSchema = z.object({ ruleId: id, version, article: text({ max: 200 }), nameZh: text({ max: 100 }), nameEn: text({ max: 100 }), active: checkbox });
export type RuleUpdateInput = z.output<typeof ruleUpdateSchema>;
export const ruleCreateSchema = z.object({
  code: z
    .string({ error: "errors.v.required" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9_]{2,39}$/, { error: "content.v.ruleCode" }),
  kind: choice(RULE_KINDS),
  nameZh: text({ max: 100 }),
  nameEn: text({ max: 100 }),
  article: text({ max: 200 }),
});
export type RuleCreateInput = z.output<typeof ruleCreateSchema>;

// ---------------------------------------------------------------------------------------------
// Lists

export const SUBMISSION_SORTS = ["updatedAt", "plannedAt", "title", "status"] as const;
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

export const submissionListSchema = listParams(SUBMISSION_SORTS, "updatedAt").extend({
  status: optionalChoice(CONTENT_STATUSES),
  kind: optionalChoice(CONTENT_KINDS),
  mine: z.enum(["1"]).optional().catch(undefined),
});
export type SubmissionListParams = z.output<typeof submissionListSchema>;

export const MEDIA_SORTS = ["name", "kind", "licenceExpiresOn", "updatedAt"] as const;
export const mediaListSchema = listParams(MEDIA_SORTS, "name").extend({
  kind: optionalChoice(MEDIA_KINDS),
  licence: z.enum(["missing", "expiring", "expired"]).optional().catch(undefined),
});
export type MediaListParams = z.output<typeof mediaListSchema>;

export const PUBLICATION_SORTS = ["approvedAt", "plannedAt", "title"] as const;
export const publicationListSchema = listParams(PUBLICATION_SORTS, "approvedAt").extend({
  kind: optionalChoice(CONTENT_KINDS),
});
export type PublicationListParams = z.output<typeof publicationListSchema>;
export const submissionExportSchema = z.object({
  q: optionalSearchText(100),
  status: optionalChoice(CONTENT_STATUSES),
  kind: optionalChoice(CONTENT_KINDS),
  mine: z.enum(["1"]).optional().catch(undefined),
});
export const mediaExportSchema = z.object({
  q: optionalSearchText(100),
  kind: optionalChoice(MEDIA_KINDS),
  licence: z.enum(["missing", "expiring", "expired"]).optional().catch(undefined),
});
export const publicationExportSchema = z.object({
  q: optionalSearchText(100),
  kind: optionalChoice(CONTENT_KINDS),
});
