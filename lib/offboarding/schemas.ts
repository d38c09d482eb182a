import { z } from "zod";
import { id, isoDate, listParams, optionalId, optionalSearchText, searchText, text, version } from "@/lib/validation";

// The offboarding forms and list parameters (SPEC §6). Shared by the browser (ActionForm) and the
// server (defineAction). Messages are i18n keys.

export const ITEM_KINDS = ["ACCOUNT", "CONTACT", "GROUP"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const ITEM_STATUSES = ["PENDING", "TRANSFERRING", "DONE", "REFUSED", "FAILED", "WAIVED"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
/** An item still needs work while it is in one of these. */
export const OPEN_ITEM_STATUSES: readonly ItemStatus[] = ["PENDING", "TRANSFERRING", "REFUSED", "FAILED"];
/** A successor may be (re)assigned while the item is in one of these. */
export const ASSIGNABLE_STATUSES: readonly ItemStatus[] = ["PENDING", "REFUSED", "FAILED"];

const requiredId = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string({ error: "errors.v.required" }).pipe(id));

export const openCaseSchema = z.object({ employeeId: requiredId, lastWorkingDay: isoDate });
export type OpenCaseInput = z.output<typeof openCaseSchema>;

/**
 * Which items a bulk action applies to: a filter, resolved on the server ("select all N matching"),
 * never a list of ids posted from the page.
 */
export const itemFilterSchema = z.object({
  kind: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(ITEM_KINDS).optional()),
  accountId: optionalId,
  q: searchText(100).optional(),
  status: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(ITEM_STATUSES).optional()),
  unassignedOnly: z.preprocess((v) => v === true || v === "1" || v === "on", z.boolean()).optional(),
});
export type ItemFilter = z.output<typeof itemFilterSchema>;

export const bulkAssignSchema = itemFilterSchema.extend({
  caseId: id,
  successorId: requiredId,
  /** "unassigned" leaves items that already have a successor as they are; "replace" overwrites
   * the successor of items not yet transferring. */
  mode: z.enum(["unassigned", "replace"]).catch("unassigned"),
});
export type BulkAssignInput = z.output<typeof bulkAssignSchema>;

export const itemRefSchema = z.object({ itemId: id, version });
export type ItemRefInput = z.output<typeof itemRefSchema>;

export const assignItemSchema = itemRefSchema.extend({ successorId: requiredId });
export type AssignItemInput = z.output<typeof assignItemSchema>;

export const startTransfersSchema = itemFilterSchema.extend({ caseId: id });
export type StartTransfersInput = z.output<typeof startTransfersSchema>;

export const failureSchema = itemRefSchema.extend({ reason: text({ max: 500 }) });
export type FailureInput = z.output<typeof failureSchema>;

export const waiverSchema = itemRefSchema.extend({ reason: text({ max: 500 }), as: z.enum(["HR", "ADMIN"], { error: "errors.v.invalidChoice" }) });
export type WaiverInput = z.output<typeof waiverSchema>;

export const accountDissolveSchema = itemRefSchema.extend({ reason: text({ max: 500 }) });
export type AccountDissolveInput = z.output<typeof accountDissolveSchema>;

export const caseRefSchema = z.object({ caseId: id, version });
export type CaseRefInput = z.output<typeof caseRefSchema>;

export const departSchema = z.object({ caseId: id });
/** "刷新结果": a case's WeCom transfer results now. */
export const refreshResultsSchema = z.object({ caseId: id });
export type DepartInput = z.output<typeof departSchema>;

export const caseListSchema = listParams(["lastWorkingDay", "createdAt"], "lastWorkingDay").extend({
  view: z.enum(["open", "pastDue", "closed"]).catch("open"),
  /** Cases of people in this department or below it (the dashboard's links). */
  department: z.string().regex(/^[a-z0-9]{8,40}$/i).optional().catch(undefined),
});
export const itemListSchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  pageSize: z.coerce.number().int().refine((n) => [25, 50, 100].includes(n)).catch(50),
  kind: z.enum(ITEM_KINDS).optional().catch(undefined),
  accountId: z.string().regex(/^[a-z0-9]{20,40}$/i).optional().catch(undefined),
  status: z.enum(ITEM_STATUSES).optional().catch(undefined),
  q: optionalSearchText(100),
});
