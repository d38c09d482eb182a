import { z } from "zod";
import type { Translate } from "@/lib/i18n/translate";

// The shape every Server Action returns to its form (ARCHITECTURE.md, "Results to forms").
export type FieldErrors = Record<string, string[]>;
export type ActionResult<T = unknown> =
  | { ok: true; data: T; message?: string }
  | { ok: false; code: string; formError?: string; fieldErrors?: FieldErrors };

export const initialActionState = null as ActionResult | null;

/** zod issues to translated messages per field; usable in the browser and on the server. */
export function fieldErrorsFrom(error: z.ZodError, t: Translate): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? issue.path.map(String).join(".") : "_form";
    const message = translateIssue(issue, t);
    const messages = (out[field] ??= []);
    if (!messages.includes(message)) messages.push(message);
  }
  return out;
}

/** A schema's message is an i18n key of any domain (t() returns an unknown key, such as zod's
 * own already-localised sentence, unchanged). */
function translateIssue(issue: z.core.$ZodIssue, t: Translate): string {
  const params: Record<string, string | number> = {};
  if ("maximum" in issue) params.max = Number(issue.maximum);
  if ("minimum" in issue) params.min = Number(issue.minimum);
  return t(issue.message, params);
}
