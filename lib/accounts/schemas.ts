import { z } from "zod";
import { id, listParams, optionalSearchText, optionalText, searchText, text, version } from "@/lib/validation";

// The accounts' forms and list parameters (SPEC §5), shared by the browser and the server.
// Messages are i18n keys: `errors.v.*` (shared) and `accounts.v.*` (this domain).

export const ACCOUNT_TYPES = ["WECOM_MEMBER", "WECHAT_PERSONAL", "OFFICIAL_ACCOUNT", "VIDEO_CHANNEL", "MINI_PROGRAM"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const ACCOUNT_STATUSES = ["REQUESTED", "ACTIVE", "SUSPENDED", "HANDOVER", "DISSOLUTION_PENDING", "DISSOLVED", "REASSIGNED", "REJECTED", "WITHDRAWN"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Accounts that exist on the platform (or are about to): a platform id may not repeat among them
 * nor among ended ones (the unique index is over every row of a type). */
export const LIVE_STATUSES: readonly AccountStatus[] = ["ACTIVE", "SUSPENDED", "HANDOVER", "REASSIGNED"];
/** Accounts still on the platform with a holder: the live ones and those whose closing is pending
 * (the dashboard counts those held by people who have left: lib/dashboard/figures.ts). */
export const HELD_STATUSES: readonly AccountStatus[] = ["ACTIVE", "SUSPENDED", "HANDOVER", "REASSIGNED", "DISSOLUTION_PENDING"];
/** The states a dissolution may start from (and returns to when it is refused or withdrawn). */
export const DISSOLVABLE_STATUSES: readonly AccountStatus[] = ["ACTIVE", "SUSPENDED", "HANDOVER", "REASSIGNED"];

/** Mainland China mobile: 1[3-9] and nine digits, optionally +86 / 0086; spaces and dashes are ignored. */
export const MOBILE = /^(?:\+86|0086)?1[3-9]\d{9}$/;
export function compactPhone(v: string): string {
  return v.replace(/[\s-]/g, "");
}

const requiredId = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string({ error: "errors.v.required" }).pipe(id));
const optionalIdField = z.preprocess((v) => (v === "" || v === null ? undefined : v), id.optional());
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: "errors.v.invalidChoice" });

/** A platform identifier: WeCom userid, WeChat id, AppID, original id (gh_…); no spaces inside. */
const platformId = text({ max: 128 }).refine((v) => !/\s/.test(v), { error: "accounts.v.platformIdSpaces" });
const phone = z.preprocess(
  (v) => (typeof v === "string" ? (compactPhone(v) === "" ? undefined : compactPhone(v)) : v === null ? undefined : v),
  z.string().regex(MOBILE, { error: "accounts.v.phone" }).optional(),
);

const accountFields = {
  type: choice(ACCOUNT_TYPES),
  displayName: text({ max: 100 }),
  platformId,
  phone,
  custodianDepartmentId: requiredId,
  /** Empty: the requester holds it. */
  holderId: optionalIdField,
  note: optionalText(500),
};

export const accountRequestSchema = z.object(accountFields);
export type AccountRequestInput = z.output<typeof accountRequestSchema>;

/** accounts.manage records an account that already exists, ACTIVE at once. */
export const accountRegisterSchema = z.object(accountFields);
export type AccountRegisterInput = z.output<typeof accountRegisterSchema>;

export const accountRefSchema = z.object({ id, version });
export const reasonSchema = z.object({ id, version, reason: text({ max: 500, multiline: true }) });
export type ReasonInput = z.output<typeof reasonSchema>;
export const resumeSchema = z.object({ id, version, reason: optionalText(500) });
export type ResumeInput = z.output<typeof resumeSchema>;

export const REVEAL_FIELDS = ["platformId", "phone"] as const;
export type RevealField = (typeof REVEAL_FIELDS)[number];
export const revealSchema = z.object({ id, field: choice(REVEAL_FIELDS) });
export type RevealInput = z.output<typeof revealSchema>;
/** A customer contact's external id: the account (its scope decides) and the contact. */
export const revealContactSchema = z.object({ id, contactId: id });
export type RevealContactInput = z.output<typeof revealContactSchema>;

// ---------------------------------------------------------------------------------------------
// The registry's URL

export const SORTABLE = ["displayName", "type", "status", "contacts", "createdAt", "updatedAt"] as const;
export type AccountSort = (typeof SORTABLE)[number];

const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);
const filterText = optionalSearchText(128);

export const accountFilterSchema = z.object({
  type: optionalChoice(ACCOUNT_TYPES),
  status: optionalChoice(ACCOUNT_STATUSES),
  /** A department: accounts it or a department below it keeps. Ids of 8 characters and more, as
   * the other lists the dashboard links to (generated companies have short department ids). */
  department: z.string().trim().regex(/^[a-z0-9]{8,40}$/i).optional().catch(undefined),
  /** Part of the holder's name, e-mail or their employee number. */
  holder: filterText,
  /** The whole platform id (exact, through the keyed hash). */
  platformId: filterText,
  /** The whole bound phone number (exact, through the keyed hash). */
  phone: filterText,
  mine: z.enum(["1"]).optional().catch(undefined),
  /** Accounts still held (HELD_STATUSES) by someone who has left the company. */
  holderDeparted: z.enum(["1"]).optional().catch(undefined),
});
export type AccountFilters = z.output<typeof accountFilterSchema>;
export const FILTER_KEYS = ["type", "status", "department", "holder", "platformId", "phone", "mine", "holderDeparted"] as const;

export const accountListSchema = listParams(SORTABLE, "createdAt").extend({ ...accountFilterSchema.shape, dir: z.enum(["asc", "desc"]).catch("desc") });
export type AccountListParams = z.output<typeof accountListSchema>;

export const accountExportSchema = accountFilterSchema.extend({ q: searchText(100) });
export type AccountExportParams = z.output<typeof accountExportSchema>;

export const contactListSchema = listParams(["name", "company", "addedAt"] as const, "addedAt").extend({ dir: z.enum(["asc", "desc"]).catch("desc") });
export type ContactListParams = z.output<typeof contactListSchema>;
