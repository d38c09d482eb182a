"use server";
import { z } from "zod";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { enqueueArchiveConsent } from "@/lib/wecom/queue";
import { loadConnection } from "@/lib/wecom/settings";

// "Read now" for the privacy officer (privacy.manage): queues the chat-archive consent read
// (lib/privacy/wecom-archive.ts); the daily job does the same at 03:30 China time.
export const readArchiveConsentNowAction = defineAction({
  schema: z.object({}),
  permission: "privacy.manage",
  mutation: true,
  run: async ({ audit }) => {
    const conn = await loadConnection(db());
    if (!conn.corpId || !conn.customerSecret || !conn.archiveSecret) throw new DomainError("VALIDATION", "privacy.wecomArchive.errors.notConfigured");
    const job = await enqueueArchiveConsent();
    await audit({ action: "consent.wecomArchive.readNow", entityType: "Consent", entityId: "*", after: { queued: job !== null } });
    if (!job) throw new DomainError("INVALID_STATE", "privacy.wecomArchive.errors.noQueue");
    return { job };
  },
  revalidate: () => "/privacy/consents",
});
