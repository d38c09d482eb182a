import { z } from "zod";

// Shared zod building blocks. Messages are i18n keys (lib/i18n/messages/errors.ts) so the same
// schema gives Chinese or English messages in the browser and on the server.

// C0/C1 control characters other than tab, newline and carriage return; they break CSV, logs
// and jsonb (which refuses NUL), and never belong in a name.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** A single-line text field: trimmed, no control characters, bounded length. */
export function text(options: { max: number; min?: number; multiline?: boolean } = { max: 200 }) {
  const min = options.min ?? 1;
  let schema = z
    .string({ error: "errors.v.required" })
    .trim()
    .max(options.max, { error: "errors.v.tooLong" })
    .refine((v) => !CONTROL_CHARS.test(v), { error: "errors.v.controlChars" });
  if (!options.multiline) schema = schema.refine((v) => !/[\t\r\n]/.test(v), { error: "errors.v.controlChars" });
  return min > 0 ? schema.refine((v) => v.length >= min, { error: min === 1 ? "errors.v.required" : "errors.v.tooShort" }) : schema;
}

/** An optional text field: an empty string means "not given". */
export function optionalText(max = 200) {
  return z.preprocess((v) => (v === "" || v === null ? undefined : v), text({ max }).optional());
}

export const email = z
  .string({ error: "errors.v.required" })
  .trim()
  .toLowerCase()
  .max(254, { error: "errors.v.tooLong" })
  .pipe(z.email({ error: "errors.v.email" }));

/** A record id as this app generates them (cuid), or a forged value that matches nothing. */
export const id = z.string({ error: "errors.v.invalidId" }).trim().regex(/^[a-z0-9]{20,40}$/i, { error: "errors.v.invalidId" });

export const optionalId = z.preprocess((v) => (v === "" || v === null ? undefined : v), id.optional());

/** A calendar date as YYYY-MM-DD, parsed to a UTC midnight Date (Postgres DATE). */
export const isoDate = z
  .string({ error: "errors.v.date" })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "errors.v.date" })
  .transform((v, ctx) => {
    const d = new Date(`${v}T00:00:00.000Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
      ctx.addIssue({ code: "custom", message: "errors.v.date" });
      return z.NEVER;
    }
    return d;
  });

export const optionalIsoDate = z.preprocess((v) => (v === "" || v === null ? undefined : v), isoDate.optional());

/** A multi-value form field: one value arrives as a string, several as an array. */
export function list<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));
}

export const version = z.coerce.number({ error: "errors.v.integer" }).int({ error: "errors.v.integer" }).min(1);

// Every control character: C0 (tab and line breaks too), DEL and C1. PostgreSQL refuses NUL in a
// parameter (22021), and no search term holds any of them.
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/**
 * Free text from a URL or a filter (a search box, "part of a name", an export's query string): a
 * tab or line break becomes a space, every other control character (NUL, C0, DEL, C1) is dropped,
 * surrounding space trimmed. Not a string, or longer than `max` → "" (a bad filter is dropped,
 * never an error). Every list, filter and export schema takes its free text from here.
 */
export function searchText(max = 100) {
  return z
    .string()
    .transform((v) => v.replace(/[\t\r\n]+/g, " ").replace(ANY_CONTROL, "").trim())
    .pipe(z.string().max(max))
    .catch("");
}

/** `searchText`, with "not given" (empty after cleaning, or a bad value) as undefined. */
export function optionalSearchText(max = 100) {
  return searchText(max)
    .transform((v) => v || undefined)
    .optional();
}

/** Paging and sorting parameters of a list page's URL; bad values fall back to defaults. */
export function listParams<S extends readonly [string, ...string[]]>(sortable: S, defaultSort: S[number]) {
  return z.object({
    page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
    pageSize: z.coerce.number().int().refine((n) => [10, 25, 50, 100].includes(n)).catch(25),
    sort: z.enum(sortable).catch(defaultSort),
    dir: z.enum(["asc", "desc"]).catch("asc"),
    q: searchText(100),
  });
}

/** FormData to a plain object: repeated keys become arrays; files are ignored. */
export function formDataToObject(formData: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || key.startsWith("$ACTION")) continue;
    const prior = out[key];
    out[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}
