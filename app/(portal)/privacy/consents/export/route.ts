import { csvResponse } from "@/lib/csv";
import { consentExportPages, type ConsentRow } from "@/lib/privacy/queries";
import { CONSENT_FILTER_KEYS, consentFilterSchema } from "@/lib/privacy/schemas";
import { db } from "@/lib/server/db";
import { defineRoute } from "@/lib/server/route";

// The consent register as CSV, streamed a keyset page (1,000 rows) at a time: the server never
// holds the whole register. Identifiers are the stored masks. Handing it out is audited; an exact
// identifier searched for is recorded as "(given)", never its value.

const HEADER = ["consent_id", "subject_id", "subject_name", "subject_kind", "phone_masked", "wecom_id_masked", "email_masked", "notice_key", "notice_version", "purposes", "categories", "separate_consents", "channel", "method", "evidence_ref", "collector", "granted_at", "expires_at", "state", "withdrawn_at", "withdrawal_channel", "minor", "guardian_name", "guardian_relation", "source"] as const;

function cells(c: ConsentRow): unknown[] {
  return [
    c.id, c.subjectId, c.subject.name, c.subject.kind, c.subject.phoneMask, c.subject.wecomIdMask, c.subject.emailMask, c.notice?.noticeKey, c.notice?.noticeVersion,
    c.purposes.join(";"), c.categories.join(";"), c.separateConsents.join(";"), c.channel, c.method, c.evidenceRef, c.collector?.name, c.occurredAt, c.effectiveExpiresAt, c.state,
    c.withdrawnAt, c.withdrawalChannel, c.subjectMinor ? "yes" : "no", c.guardianName, c.guardianRelation, c.source,
  ];
}

export const GET = defineRoute({
  query: consentFilterSchema,
  permission: "privacy.read:all",
  async run({ input, audit }) {
    const filters: Record<string, string> = {};
    for (const key of CONSENT_FILTER_KEYS) if (input[key]) filters[key] = key === "identifier" ? "(given)" : String(input[key]);
    await audit({ action: "consent.export", entityType: "Consent", entityId: "*", after: { filters } });
    const stamp = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    const client = db();
    const now = new Date();
    async function* pages() {
      for await (const page of consentExportPages(client, input, now)) yield page.map(cells);
    }
    return csvResponse(`consents-${stamp}.csv`, HEADER, pages());
  },
});
