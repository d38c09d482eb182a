import { z } from "zod";
import { id, optionalId, optionalIsoDate, text } from "@/lib/validation";

export const issueTokenSchema = z.object({
  name: text({ max: 100 }),
  /** The person the token acts as (empty: the ADMIN issuing it). */
  ownerId: optionalId,
  expiresOn: optionalIsoDate,
});
export type IssueTokenInput = z.output<typeof issueTokenSchema>;
export const revokeTokenSchema = z.object({ id });
export type RevokeTokenInput = z.output<typeof revokeTokenSchema>;
