import { z } from "zod";
import { id, list, listParams, optionalId, optionalSearchText, optionalText, text, version } from "@/lib/validation";

// The privacy forms and list parameters (SPEC §7), shared by the browser and the server.
// Messages are i18n keys: `errors.v.*` (shared) and `privacy.v.*` (this domain).

export const SEPARATE_CONSENTS = ["SENSITIVE", "THIRD_PARTY", "PUBLIC_DISCLOSURE", "CROSS_BORDER"] as const;
export type SeparateConsent = (typeof SEPARATE_CONSENTS)[number];
export const CHANNELS = ["WECOM", "WECHAT", "MINI_PROGRAM", "PAPER", "PHONE"] as const;
export type Channel = (typeof CHANNELS)[number];
export const SUBJECT_KINDS = ["CUSTOMER", "EMPLOYEE"] as const;
export const REQUEST_TYPES = ["ACCESS", "COPY", "CORRECTION", "DELETION", "WITHDRAWAL", "EXPLANATION"] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const REQUEST_STATUSES = ["RECEIVED", "VERIFIED", "COMPLETED", "REFUSED"] as const;
export const SEVERITIES = ["GENERAL", "SERIOUS", "MAJOR", "CRITICAL"] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Severities the CAC incident-reporting measures (in force 2025-11-01) want reported within 4 hours. */
export const REPORTABLE_SEVERITIES: readonly Severity[] = ["SERIOUS", "MAJOR", "CRITICAL"];
export const REGULATOR_REPORT_HOURS = 4;
export const CONSENT_STATES = ["valid", "withdrawn", "expired", "expiring"] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
/** "Expiring" means valid and ending within this many days. */
export const EXPIRING_DAYS = 30;
/** The "withdrawn within the last N days" filter offers these windows (the dashboard links to 30). */
export const WITHDRAWN_WINDOWS = [7, 30, 90, 365] as const;
export const RECENT_WITHDRAWAL_DAYS = 30;
/** Data-subject requests: due in 15 working days, never later than 30 calendar days. */
export const REQUEST_WORKING_DAYS = 15;
export const REQUEST_CEILING_DAYS = 30;

/** Mainland China mobile: 1[3-9] and nine digits, optionally +86 / 0086; spaces and dashes are ignored. */
export const MOBILE = /^(?:\+86|0086)?1[3-9]\d{9}$/;
export const compactPhone = (v: string) => v.replace(/[\s-]/g, "");

const choice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: "errors.v.invalidChoice" });
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(values, { error: "errors.v.invalidChoice" }).optional());
const checkbox = z.preprocess((v) => v === "on" || v === "1" || v === "true" || v === true, z.boolean());

/** A code: letters, digits, underscore and hyphen, as other systems will send it. */
export const CODE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const code = z.string({ error: "errors.v.required" }).trim().regex(CODE, { error: "privacy.v.code" });

export const phoneField = z.preprocess(
  (v) => (typeof v === "string" ? (compactPhone(v) === "" ? undefined : compactPhone(v)) : v === null ? undefined : v),
  z.string().regex(MOBILE, { error: "privacy.v.phone" }).optional(),
);
const wecomIdField = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  text({ max: 128 }).refine((v) => !/\s/.test(v), { error: "privacy.v.noSpaces" }).optional(),
);
const emailField = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.string().trim().toLowerCase().max(254, { error: "errors.v.tooLong" }).pipe(z.email({ error: "errors.v.email" })).optional(),
);
/** A local date-time from <input type="datetime-local"> (Asia/Shanghai) or an ISO instant. */
export const dateTime = z
  .string({ error: "errors.v.date" })
  .trim()
  .min(1, { error: "errors.v.required" })
  .transform((v, ctx) => {
    const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v}${v.length === 16 ? ":00" : ""}+08:00` : v;
    const d = new Date(local);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "errors.v.date" });
      return z.NEVER;
    }
    return d;
  });
const optionalDateTime = z.preprocess((v) => (v === "" || v === null ? undefined : v), dateTime.optional());

// ---------------------------------------------------------------------------------------------
// Notices

/** "CODE: description" per line. */
const codedLines = (messageKey: string) =>
  z
    .string()
    .max(5000, { error: "errors.v.tooLong" })
    .transform((v, ctx) => {
      const out: { code: string; description: string }[] = [];
      for (const raw of v.split(/\r?\n/)) {
        const line = raw.trim();
        if (!line) continue;
        const m = /^([^:：]+)[:：](.+)$/.exec(line);
        const c = m?.[1].trim() ?? "";
        if (!m || !CODE.test(c) || !m[2].trim()) {
          ctx.addIssue({ code: "custom", message: messageKey, params: { line } });
          return z.NEVER;
        }
        if (out.some((o) => o.code === c)) {
          ctx.addIssue({ code: "custom", message: "privacy.v.duplicateCode" });
          return z.NEVER;
        }
        out.push({ code: c, description: m[2].trim() });
      }
      if (out.length === 0) {
        ctx.addIssue({ code: "custom", message: "errors.v.required" });
        return z.NEVER;
      }
      return out;
    });

const codeList = z
  .string()
  .max(1000)
  .transform((v) =>
    v
      .split(/[,，\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  );

const retention = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(1, { error: "privacy.v.retentionRange" }).max(36500, { error: "privacy.v.retentionRange" }).optional(),
);

export const noticeFields = {
  noticeKey: code,
  title: text({ max: 200 }),
  processorName: optionalText(200),
  processorContact: optionalText(300),
  purposes: codedLines("privacy.v.purposeLine"),
  methods: optionalText(2000),
  categories: codedLines("privacy.v.categoryLine"),
  sensitiveCategories: codeList,
  retentionDays: retention,
  rightsText: z.preprocess((v) => (v === "" || v === null ? undefined : v), text({ max: 2000, multiline: true }).optional()),
  separateConsents: list(choice(SEPARATE_CONSENTS)),
};
export const noticeDraftSchema = z.object(noticeFields).superRefine((v, ctx) => {
  const codes = new Set(v.categories.map((c) => c.code));
  for (const s of v.sensitiveCategories) if (!codes.has(s)) ctx.addIssue({ code: "custom", path: ["sensitiveCategories"], message: "privacy.v.sensitiveUnknown" });
});
export type NoticeDraftInput = z.output<typeof noticeDraftSchema>;
export const noticeUpdateSchema = z.object({ id, version, ...noticeFields }).superRefine((v, ctx) => {
  const codes = new Set(v.categories.map((c) => c.code));
  for (const s of v.sensitiveCategories) if (!codes.has(s)) ctx.addIssue({ code: "custom", path: ["sensitiveCategories"], message: "privacy.v.sensitiveUnknown" });
});
export type NoticeUpdateInput = z.output<typeof noticeUpdateSchema>;
export const noticeRefSchema = z.object({ id, version });
export type NoticeRefInput = z.output<typeof noticeRefSchema>;

// ---------------------------------------------------------------------------------------------
// Subjects and consents

export const subjectSchema = z
  .object({
    kind: choice(SUBJECT_KINDS).default("CUSTOMER"),
    name: text({ max: 100 }),
    phone: phoneField,
    wecomId: wecomIdField,
    email: emailField,
  })
  .refine((v) => v.phone || v.wecomId || v.email, { path: ["phone"], error: "privacy.v.oneIdentifier" });
export type SubjectInput = z.output<typeof subjectSchema>;

export const consentSchema = z
  .object({
    subjectId: id,
    noticeId: id,
    purposes: list(code).refine((v) => v.length > 0, { error: "privacy.v.purposeRequired" }),
    categories: list(code),
    separateConsents: list(choice(SEPARATE_CONSENTS)),
    channel: choice(CHANNELS),
    method: text({ max: 200 }),
    evidenceRef: optionalText(300),
    occurredAt: optionalDateTime,
    subjectMinor: checkbox,
    guardianName: optionalText(100),
    guardianRelation: optionalText(50),
    guardianConsent: checkbox,
  })
  .superRefine((v, ctx) => {
    if (!v.subjectMinor) return;
    if (!v.guardianName) ctx.addIssue({ code: "custom", path: ["guardianName"], message: "privacy.v.guardianRequired" });
    if (!v.guardianRelation) ctx.addIssue({ code: "custom", path: ["guardianRelation"], message: "privacy.v.guardianRequired" });
    if (!v.guardianConsent) ctx.addIssue({ code: "custom", path: ["guardianConsent"], message: "privacy.v.guardianConsentRequired" });
  });
export type ConsentInput = z.output<typeof consentSchema>;

export const withdrawSchema = z.object({ consentId: id, channel: choice(CHANNELS), occurredAt: optionalDateTime, note: optionalText(500) });
export type WithdrawInput = z.output<typeof withdrawSchema>;
export const renewSchema = z.object({ consentId: id, channel: choice(CHANNELS), method: text({ max: 200 }), evidenceRef: optionalText(300) });
export type RenewInput = z.output<typeof renewSchema>;
export const revealSchema = z.object({ subjectId: id, field: choice(["phone", "wecomId", "email"] as const) });
export type RevealInput = z.output<typeof revealSchema>;

/** The validity question, as the UI form and GET /api/v1/consents/check ask it. */
export const checkQuerySchema = z
  .object({
    subjectId: optionalId,
    phone: phoneField,
    wecomId: wecomIdField,
    email: emailField,
    purpose: code,
    separate: optionalChoice(SEPARATE_CONSENTS),
  })
  .refine((v) => v.subjectId || v.phone || v.wecomId || v.email, { path: ["subjectId"], error: "privacy.v.whichSubject" });
export type CheckQuery = z.output<typeof checkQuerySchema>;

// ---------------------------------------------------------------------------------------------
// Requests and incidents

export const requestSchema = z.object({
  subjectId: id,
  type: choice(REQUEST_TYPES),
  channel: optionalChoice(CHANNELS),
  receivedAt: optionalDateTime,
  details: optionalText(2000),
  assigneeId: optionalId,
});
export type RequestInput = z.output<typeof requestSchema>;
export const verifySchema = z.object({ id, version, identityMethod: text({ max: 300 }) });
export type VerifyInput = z.output<typeof verifySchema>;
export const ERASABLE = ["name", "phone", "wecomId", "email"] as const;
export const completeSchema = z.object({ id, version, resolution: text({ max: 4000, multiline: true }), erase: list(choice(ERASABLE)) });
export type CompleteInput = z.output<typeof completeSchema>;
export const refuseSchema = z.object({ id, version, refusalReason: text({ max: 2000, multiline: true }) });
export type RefuseInput = z.output<typeof refuseSchema>;

const count = z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(0, { error: "errors.v.integer" }).max(1_000_000_000);
export const incidentSchema = z.object({
  title: text({ max: 200 }),
  description: text({ max: 4000, multiline: true }),
  detectedAt: dateTime,
  severity: choice(SEVERITIES),
  dataCategories: text({ max: 1000 }),
  affectedSubjects: count,
  cause: optionalText(2000),
  remedialActions: z.preprocess((v) => (v === "" || v === null ? undefined : v), text({ max: 4000, multiline: true }).optional()),
});
export type IncidentInput = z.output<typeof incidentSchema>;
export const incidentUpdateSchema = z.object({
  id,
  version,
  remedialActions: z.preprocess((v) => (v === "" || v === null ? undefined : v), text({ max: 4000, multiline: true }).optional()),
  regulatorNotifiedAt: optionalDateTime,
  individualsNotifiedAt: optionalDateTime,
  individualsNotice: optionalText(1000),
  close: checkbox,
});
export type IncidentUpdateInput = z.output<typeof incidentUpdateSchema>;

// ---------------------------------------------------------------------------------------------
// Lists

const optionalFilter = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);
const filterText = optionalSearchText(128);
/** A department id: the department and every department below it. A malformed id is dropped like
 * any bad filter; a well-formed one that names no department selects nothing. */
const departmentFilter = z.string().trim().regex(/^[a-z0-9]{8,40}$/i).optional().catch(undefined);
/** One of WITHDRAWN_WINDOWS, as the URL carries it ("30"); anything else is dropped. */
const withdrawnDays = z.coerce
  .number()
  .int()
  .refine((n) => (WITHDRAWN_WINDOWS as readonly number[]).includes(n))
  .optional()
  .catch(undefined);

export const consentFilterSchema = z.object({
  state: optionalFilter(CONSENT_STATES),
  channel: optionalFilter(CHANNELS),
  purpose: z.string().trim().regex(CODE).optional().catch(undefined),
  /** Part of the subject's name. */
  subject: filterText,
  /** The whole phone number, WeCom id or e-mail (exact, through the keyed hash). */
  identifier: filterText,
  /** Part of the collector's name or e-mail. */
  collector: filterText,
  /** Consents collected by someone of this department or one below it (the dashboard's links). */
  department: departmentFilter,
  /** Withdrawn within the last this many days (up to now). */
  withdrawnDays,
});
export type ConsentFilters = z.output<typeof consentFilterSchema>;
export const CONSENT_FILTER_KEYS = ["state", "channel", "purpose", "subject", "identifier", "collector", "department", "withdrawnDays"] as const;
/** A keyset cursor of the consent list (sorted by grant time): "<epoch ms>_<consent id>". */
const consentCursor = z.string().regex(/^\d{1,15}_[a-z0-9]{8,40}$/i).optional().catch(undefined);
export const consentListSchema = listParams(["occurredAt", "expiresAt"] as const, "occurredAt").extend({
  ...consentFilterSchema.shape,
  dir: z.enum(["asc", "desc"]).catch("desc"),
  /** The page after this row / before this row (keyset paging when sorted by grant time). */
  after: consentCursor,
  before: consentCursor,
});
export type ConsentListParams = z.output<typeof consentListSchema>;

export const requestListSchema = listParams(["dueAt", "receivedAt"] as const, "dueAt").extend({
  status: optionalFilter(REQUEST_STATUSES),
  type: optionalFilter(REQUEST_TYPES),
  overdue: z.enum(["1"]).optional().catch(undefined),
  /** Requests whose assignee (the creator while unassigned) is in this department or below it. */
  department: departmentFilter,
});
export type RequestListParams = z.output<typeof requestListSchema>;

export const importSchema = z.object({
  fileName: z.string().trim().max(255).catch("consents.csv"),
  csv: z.string({ error: "errors.v.required" }).min(1, { error: "privacy.import.errors.empty" }).max(1_500_000, { error: "privacy.import.errors.tooLarge" }),
});
export const confirmImportSchema = z.object({ importId: id });
