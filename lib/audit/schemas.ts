import { z } from "zod";
import { FIRST_SUPPORTED_DAY, LAST_SUPPORTED_DAY, parseCivilDate } from "@/lib/calendar/civil-date";
import { text } from "@/lib/validation";

// The audit trail's filters as they arrive in the page's URL and the export's query string.
// Shared by the page, the export route and the tests; free of server imports. Messages are
// i18n keys (errors.v.* and audit.v.*).

/** Blank (or only spaces) means "not filtered on this". */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v), schema.optional());
}

const NAME = /^[A-Za-z0-9_.:-]{1,100}$/;
/** Entity types and action names as the code writes them ("Employee", "employee.update"). */
const name = z.string().trim().max(100, { error: "audit.v.name" }).regex(NAME, { error: "audit.v.name" });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar day "YYYY-MM-DD" (kept as text; lib/audit/time.ts turns it into instants). */
const civilDate = z
  .string()
  .trim()
  .max(10, { error: "errors.v.date" })
  .refine((v) => DATE.test(v) && parseCivilDate(v) !== undefined, { error: "errors.v.date" })
  .refine(
    (v) => {
      const day = DATE.test(v) ? parseCivilDate(v) : undefined;
      // The day after `to` must still be a day the time-zone code supports.
      return day === undefined || (day >= FIRST_SUPPORTED_DAY && day < LAST_SUPPORTED_DAY);
    },
    { error: "audit.v.dateRange" },
  );

const MAX_BIGINT = BigInt("9223372036854775807");
/** A keyset cursor: an audit event id (bigint), as text so it survives the URL unchanged. */
export const auditCursor = z
  .string()
  .trim()
  .refine((v) => /^[1-9]\d{0,18}$/.test(v) && BigInt(v) <= MAX_BIGINT, { error: "errors.v.invalidId" });

export const auditFilterSchema = z
  .object({
    /** Part of the actor's label (the e-mail), any case; or an exact employee id. */
    actor: optional(text({ max: 254 })),
    entityType: optional(name),
    entityId: optional(text({ max: 200 })),
    /** An exact action, or a prefix when it ends with "." ("employee."). */
    action: optional(name),
    from: optional(civilDate),
    /** Inclusive: the whole of that day in Asia/Shanghai. */
    to: optional(civilDate),
    /** Older than this id (the next page down). */
    before: optional(auditCursor),
    /** Newer than this id (the page above). */
    after: optional(auditCursor),
  })
  .refine((f) => !(typeof f.from === "string" && typeof f.to === "string" && DATE.test(f.from) && DATE.test(f.to) && f.from > f.to), {
    error: "audit.v.fromAfterTo",
    path: ["to"],
  });

export type AuditFilters = z.output<typeof auditFilterSchema>;
export const AUDIT_FILTER_KEYS = ["actor", "entityType", "entityId", "action", "from", "to"] as const;

export type ParsedAuditFilters =
  | { ok: true; filters: AuditFilters; cursorIgnored: boolean }
  | { ok: false; error: z.ZodError; cursorIgnored: boolean };

/**
 * The page's reading of its URL. A bad paging cursor is dropped with a notice (the newest page is
 * shown instead); a bad filter is an error shown beside its field, with no results, so a person
 * never mistakes an unfiltered list for a filtered one.
 */
export function parseAuditFilters(raw: Record<string, string | undefined>): ParsedAuditFilters {
  let cursorIgnored = false;
  const input: Record<string, string | undefined> = { ...raw };
  for (const key of ["before", "after"] as const) {
    const value = input[key];
    if (value !== undefined && value.trim() !== "" && !auditCursor.safeParse(value).success) {
      delete input[key];
      cursorIgnored = true;
    }
  }
  if (input.before?.trim() && input.after?.trim()) {
    delete input.after;
    cursorIgnored = true;
  }
  const parsed = auditFilterSchema.safeParse(input);
  return parsed.success ? { ok: true, filters: parsed.data, cursorIgnored } : { ok: false, error: parsed.error, cursorIgnored };
}

/** The filters (no cursor) as URL parameters, for links that keep them: paging, export, reset. */
export function filterParams(filters: AuditFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
