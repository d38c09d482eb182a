import { z } from "zod";
import { id, list, optionalId, optionalIsoDate, optionalText, text } from "@/lib/validation";
import { API_SCOPES } from "./scopes";

export const issueTokenSchema = z.object({
  name: text({ max: 100 }),
  /** The person the token acts as (empty: the ADMIN issuing it). */
  ownerId: optionalId,
  expiresOn: optionalIsoDate,
  /** What the token may do (lib/api-tokens/scopes.ts); none given: the consent check only, as before scopes existed. */
  scopes: list(z.enum(API_SCOPES, { error: "errors.v.invalidChoice" })).transform((s) => (s.length === 0 ? ["consents:read" as const] : [...new Set(s)].sort())),
  /** Optional department scope: only this department's subtree. */
  departmentId: optionalId,
  note: optionalText(500),
});
export type IssueTokenInput = z.output<typeof issueTokenSchema>;
export const revokeTokenSchema = z.object({ id });
export type RevokeTokenInput = z.output<typeof revokeTokenSchema>;
