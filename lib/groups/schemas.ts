import { z } from "zod";
import { id, isoDate, list, listParams, optionalSearchText, optionalText, searchText, text, version } from "@/lib/validation";
import { MAX_MAX_MEMBERS, membershipProblems, MIN_MAX_MEMBERS, rulesFromForm } from "./membership";
import { MAX_BLOCKED_WORD_EXEMPTIONS, MAX_BLOCKED_WORDS, MAX_FREE_PARTS, MAX_NAME_LENGTH_LIMIT, MIN_NAME_LENGTH_LIMIT } from "./naming-rule";

// The work groups' forms and list parameters. Shared by the browser (ActionForm checks them
// before sending) and the server (defineAction and defineRoute check whatever arrives). Messages
// are i18n keys: `errors.v.*` (shared) and `groups.v.*` (this domain).

export const GROUP_STATUSES = ["PENDING_APPROVAL", "ACTIVE", "REJECTED", "WITHDRAWN", "DISSOLUTION_PENDING", "DISSOLVED"] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];
export const PLATFORMS = ["WECOM", "WECHAT"] as const;
export type Platform = (typeof PLATFORMS)[number];
export const KINDS = ["INTERNAL", "EXTERNAL"] as const;
export type GroupKind = (typeof KINDS)[number];
export const CLASSIFICATIONS = ["PUBLIC", "INTERNAL", "CONFIDENTIAL", "SECRET"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
export const REVIEW_STATES = ["ok", "dueSoon", "overdue"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** Groups that still exist on the platform (or are about to): the ones a name must not repeat. */
export const LIVE_STATUSES: readonly GroupStatus[] = ["PENDING_APPROVAL", "ACTIVE", "DISSOLUTION_PENDING"];

/**
 * Expected member counts. At least 2 (the owner and one more person). At most what the platform
 * holds: a WeChat group takes 500 members; a WeCom group up to 2,000 (an internal group, and a
 * customer group of a verified company). Asking for more than the platform can hold is a
 * mistake worth catching at the request, not at creation.
 */
export const MIN_EXPECTED_SIZE = 2;
export const MAX_EXPECTED_SIZE: Record<Platform, number> = { WECHAT: 500, WECOM: 2000 };
export const MAX_ADMINISTRATORS = 10;

/** An id that must be given: "choose someone" rather than "not a valid id" when it is missing. */
const requiredId = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string({ error: "errors.v.required" }).pipe(id));

const choice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: "errors.v.invalidChoice" });
export const platform = choice(PLATFORMS);
export const kind = choice(KINDS);
export const classification = choice(CLASSIFICATIONS);

/** Markup and text-direction tricks have no place in a group's name: refused rather than stored
 * (the name travels to WeChat, CSV exports and approvers' phones). */
const NAME_FORBIDDEN = /[<>\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const namePart = text({ max: 100, min: 0 }).refine((v) => !NAME_FORBIDDEN.test(v), { error: "groups.v.nameChars" });

const expectedSize = z.coerce
  .number({ error: "errors.v.integer" })
  .int({ error: "errors.v.integer" })
  .min(MIN_EXPECTED_SIZE, { error: "groups.v.atLeast" })
  .max(MAX_EXPECTED_SIZE.WECOM, { error: "groups.v.atMost" });

export const groupRequestSchema = z
  .object({
    /** The free parts of the naming rule's template, in its order. */
    parts: list(namePart).refine((p) => p.length <= MAX_FREE_PARTS, { error: "groups.v.tooManyParts" }),
    /** The policy version the form showed: a rule changed meanwhile is said, not silently applied. */
    policyVersion: version,
    purpose: text({ max: 500, multiline: true }),
    platform,
    kind,
    departmentId: requiredId,
    ownerId: requiredId,
    administratorIds: list(id)
      .refine((ids) => ids.length <= MAX_ADMINISTRATORS, { error: "groups.v.tooManyAdministrators" })
      .transform((ids) => [...new Set(ids)]),
    classification,
    expectedSize,
  })
  .superRefine((v, ctx) => {
    if (v.expectedSize > MAX_EXPECTED_SIZE[v.platform]) {
      ctx.addIssue({ code: "custom", path: ["expectedSize"], message: "groups.v.sizeWechat" });
    }
  });
export type GroupRequestInput = z.output<typeof groupRequestSchema>;

export const groupRefSchema = z.object({ id, version });
export type GroupRefInput = z.output<typeof groupRefSchema>;

export const transferSchema = z.object({ id, version, ownerId: requiredId });
export type TransferInput = z.output<typeof transferSchema>;

/** Registering a group found in WeCom: what a request would have said (lib/groups/register.ts). */
export const registerSchema = z.object({
  id,
  version,
  purpose: text({ max: 500, multiline: true }),
  classification,
  departmentId: requiredId,
});
export type RegisterInput = z.output<typeof registerSchema>;

export const archiveSchema = z.object({
  id,
  content: text({ max: 500, multiline: true }),
  location: text({ max: 500 }),
  exportedOn: isoDate,
  note: optionalText(1000),
});
export type ArchiveInput = z.output<typeof archiveSchema>;

const days = (min: number, max: number) =>
  z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(min, { error: "groups.v.atLeast" }).max(max, { error: "groups.v.atMost" });

export const MIN_REVIEW_DAYS = 7;
export const MAX_REVIEW_DAYS = 730;
export const MIN_ARCHIVE_WINDOW_DAYS = 1;
export const MAX_ARCHIVE_WINDOW_DAYS = 90;

const maxMembers = z.coerce
  .number({ error: "errors.v.integer" })
  .int({ error: "errors.v.integer" })
  .min(MIN_MAX_MEMBERS, { error: "groups.v.atLeast" })
  .max(MAX_MAX_MEMBERS, { error: "groups.v.atMost" });
/** Checkbox classifications; an unknown one is reported on the field itself (where the checkboxes show it). */
const classificationSet = list(z.string())
  .refine((v) => v.every((c) => (CLASSIFICATIONS as readonly string[]).includes(c)), { error: "errors.v.invalidChoice" })
  .transform((v) => [...new Set(v)] as Classification[]);

const MEMBERSHIP_MESSAGES = { STRICTER_SIZE: "groups.v.stricterSize", STRICTER_EXTERNAL: "groups.v.stricterExternal", STRICTER_DEPARTED: "groups.v.stricterDeparted" } as const;

export const policySchema = z.object({
  /** The version the administrator edited (optimistic concurrency). */
  version,
  template: text({ max: 100 }),
  maxLength: z.coerce
    .number({ error: "errors.v.integer" })
    .int({ error: "errors.v.integer" })
    .min(MIN_NAME_LENGTH_LIMIT, { error: "groups.v.atLeast" })
    .max(MAX_NAME_LENGTH_LIMIT, { error: "groups.v.atMost" }),
  /** One a line (or separated by commas or 、); lib/groups/naming-rule.ts parseBlockedWords. */
  blockedWords: text({ max: MAX_BLOCKED_WORDS * 52, min: 0, multiline: true }),
  /** Longer words in which a blocked word does not count; parsed like the blocked words. */
  blockedWordExemptions: text({ max: MAX_BLOCKED_WORD_EXEMPTIONS * 52, min: 0, multiline: true }),
  archiveWindowDays: days(MIN_ARCHIVE_WINDOW_DAYS, MAX_ARCHIVE_WINDOW_DAYS),
  reviewDaysPublic: days(MIN_REVIEW_DAYS, MAX_REVIEW_DAYS),
  reviewDaysInternal: days(MIN_REVIEW_DAYS, MAX_REVIEW_DAYS),
  reviewDaysConfidential: days(MIN_REVIEW_DAYS, MAX_REVIEW_DAYS),
  reviewDaysSecret: days(MIN_REVIEW_DAYS, MAX_REVIEW_DAYS),
  // Membership rules (lib/groups/membership.ts): the classifications whose groups may have
  // external members / may keep members who have left (checkboxes), and a size limit per class.
  externalAllowed: classificationSet,
  departedMayStay: classificationSet,
  maxMembersPublic: maxMembers,
  maxMembersInternal: maxMembers,
  maxMembersConfidential: maxMembers,
  maxMembersSecret: maxMembers,
}).superRefine((v, ctx) => {
  // A higher classification may not be looser than a lower one (the browser says it too).
  const sizesValid = [v.maxMembersPublic, v.maxMembersInternal, v.maxMembersConfidential, v.maxMembersSecret].every((n) => Number.isInteger(n));
  for (const p of membershipProblems(rulesFromForm(v))) {
    if (p.code === "STRICTER_SIZE" && !sizesValid) continue;
    ctx.addIssue({ code: "custom", path: [p.field], message: MEMBERSHIP_MESSAGES[p.code] });
  }
});
export type PolicyInput = z.output<typeof policySchema>;

// ---------------------------------------------------------------------------------------------
// The registry's URL

export const SORTABLE = ["name", "status", "classification", "reviewDueAt", "expectedSize", "createdAt"] as const;
export type GroupSort = (typeof SORTABLE)[number];

const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);
const optionalIdParam = z.string().trim().regex(/^[a-z0-9]{20,40}$/i).optional().catch(undefined);

/** The registry's filters as they arrive in the URL; a bad value is dropped, never an error. */
export const groupFilterSchema = z.object({
  status: optionalChoice(GROUP_STATUSES),
  classification: optionalChoice(CLASSIFICATIONS),
  kind: optionalChoice(KINDS),
  platform: optionalChoice(PLATFORMS),
  review: optionalChoice(REVIEW_STATES),
  /** A department: the groups of it and of every department below it. */
  department: optionalIdParam,
  /** Part of the owner's name, e-mail or employee number. */
  owner: optionalSearchText(100),
  ownerless: z.enum(["1"]).optional().catch(undefined),
  /** Active groups with no archive record in the last ARCHIVE_STALE_DAYS days (the dashboard's figure). */
  archive: z.enum(["stale"]).optional().catch(undefined),
  /** Only the groups I own, administer or requested ("1"), or only those I own ("owner": the
   * owners' task links), whatever else I may read. */
  mine: z.enum(["1", "owner"]).optional().catch(undefined),
  /** Customer groups found in WeCom that nobody has registered here yet ("created outside the portal"). */
  outside: z.enum(["1"]).optional().catch(undefined),
  /** Groups with open membership violations (the dashboard's figure). */
  violations: z.enum(["1"]).optional().catch(undefined),
});
export type GroupFilters = z.output<typeof groupFilterSchema>;
export const FILTER_KEYS = ["status", "classification", "kind", "platform", "review", "department", "owner", "ownerless", "archive", "mine", "outside", "violations"] as const;

/** Newest first unless the URL says otherwise (the sort links always do). */
export const groupListSchema = listParams(SORTABLE, "createdAt").extend({ ...groupFilterSchema.shape, dir: z.enum(["asc", "desc"]).catch("desc") });
export type GroupListParams = z.output<typeof groupListSchema>;

/** The export takes the registry's filters and search, never its paging. */
export const groupExportSchema = groupFilterSchema.extend({ q: searchText(100) });
export type GroupExportParams = z.output<typeof groupExportSchema>;

export const peopleSearchSchema = z.object({ q: searchText(100) });
