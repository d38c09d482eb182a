"use server";
import { defineAction } from "@/lib/server/action";
import { issueTokenSchema, revokeTokenSchema } from "./schemas";
import { issueToken, revokeToken } from "./tokens";

const PAGE = "/settings/api-tokens";

/** Returns the clear token once, to the ADMIN who issued it. */
export const issueTokenAction = defineAction({ schema: issueTokenSchema, permission: "apiTokens.manage", run: (ctx) => issueToken(ctx), revalidate: () => PAGE });
export const revokeTokenAction = defineAction({ schema: revokeTokenSchema, permission: "apiTokens.manage", run: (ctx) => revokeToken(ctx), revalidate: () => PAGE });
