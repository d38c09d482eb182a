"use server";
import { defineAction } from "@/lib/server/action";
import { createConsentLink, createLinkSchema, revokeConsentLink, revokeLinkSchema } from "./consent-links";

// The collector's Server Actions for consent links (app/(portal)/privacy/consent-links).

export const createConsentLinkAction = defineAction({
  schema: createLinkSchema,
  permission: "consents.record",
  mutation: true,
  run: (ctx) => createConsentLink(ctx),
  revalidate: () => "/privacy/consent-links",
});

export const revokeConsentLinkAction = defineAction({
  schema: revokeLinkSchema,
  permission: ["consents.record", "privacy.manage"],
  mutation: true,
  run: (ctx) => revokeConsentLink(ctx),
  revalidate: () => "/privacy/consent-links",
});
