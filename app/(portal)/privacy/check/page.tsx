import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { formatDateTime } from "@/components/groups/format";
import { Alert } from "@/components/ui/alert";
import { Card, PageHeader } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { getI18n } from "@/lib/i18n/server";
import { answerCheck } from "@/lib/privacy/check";
import { checkQuerySchema, SEPARATE_CONSENTS } from "@/lib/privacy/schemas";
import { requirePagePermission } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { firstValues, type SearchParams } from "@/lib/url";
import { Row } from "../_components/bits";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("privacy.check.title") };
}

// "Is there a valid consent for this purpose now?" — the same answer GET /api/v1/consents/check
// gives (lib/privacy/check.ts → checkConsent).
export default async function CheckPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePagePermission("consents.record", "privacy.read:all");
  const { t, locale } = await getI18n();
  const query = firstValues(await searchParams);
  const asked = Object.keys(query).length > 0;
  const identifier = (query.identifier ?? "").trim();
  const parsed = checkQuerySchema.safeParse({
    subjectId: query.subjectId,
    phone: identifier && /^[+\d\s-]+$/.test(identifier) ? identifier : undefined,
    email: identifier.includes("@") ? identifier : undefined,
    wecomId: identifier && !identifier.includes("@") && !/^[+\d\s-]+$/.test(identifier) ? identifier : undefined,
    purpose: query.purpose,
    separate: query.separate,
  });
  const result = asked && parsed.success ? await answerCheck(db(), parsed.data) : null;
  const r = result?.answer.record;
  return (
    <div className="mx-auto max-w-3xl min-w-0 space-y-4">
      <p className="text-sm">
        <Link href="/privacy" className="text-blue-800 hover:underline">
          ← {t("privacy.back")}
        </Link>
      </p>
      <PageHeader title={t("privacy.check.title")} description={t("privacy.check.description")} />
      <Card>
        <form action="/privacy/check" method="get" className="space-y-4" aria-label={t("privacy.check.title")}>
          {query.subjectId ? <input type="hidden" name="subjectId" value={query.subjectId} /> : null}
          {query.subjectId ? null : <TextField name="identifier" label={t("privacy.check.identifier")} hint={t("privacy.check.identifierHint")} defaultValue={identifier} maxLength={254} autoComplete="off" />}
          <TextField name="purpose" label={t("privacy.check.purpose")} hint={t("privacy.check.purposeHint")} defaultValue={query.purpose ?? ""} maxLength={40} required />
          <SelectField name="separate" label={t("privacy.check.separate")} placeholder={t("privacy.check.noSeparate")} defaultValue={query.separate ?? ""} options={SEPARATE_CONSENTS.map((s) => ({ value: s, label: t(`privacy.separate.${s}`) }))} />
          <button type="submit" className="min-h-10 rounded-md bg-blue-700 px-4 text-sm font-medium text-white hover:bg-blue-800">
            {t("privacy.check.submit")}
          </button>
        </form>
      </Card>
      {asked && !parsed.success ? <Alert tone="error">{t("privacy.check.incomplete")}</Alert> : null}
      {result ? (
        <Card title={t("privacy.check.answer")}>
          <div data-testid="check-answer" className={`mb-3 text-lg font-semibold ${result.answer.valid ? "text-green-800" : "text-red-800"}`}>
            {result.answer.valid ? t("privacy.check.yes") : t("privacy.check.no")} · {t(`privacy.reason.${result.answer.reason}`)}
          </div>
          {r ? (
            <dl className="divide-y divide-slate-100">
              <Row label={t("privacy.check.decidingRecord")}>
                {result.subjectId ? (
                  <Link href={`/privacy/subjects/${result.subjectId}`} className="font-mono text-blue-800 hover:underline">
                    {r.consentId}
                  </Link>
                ) : (
                  r.consentId
                )}
              </Row>
              <Row label={t("privacy.consent.occurredAt")}>{formatDateTime(r.grantedAt, locale)}</Row>
              <Row label={t("privacy.consent.expiresAt")}>{formatDateTime(r.expiresAt, locale)}</Row>
              {r.withdrawnAt ? <Row label={t("privacy.consent.withdrawnAt")}>{formatDateTime(r.withdrawnAt, locale)}</Row> : null}
              <Row label={t("privacy.consent.purposes")}>{r.purposes.join(t("common.listSeparator"))}</Row>
              <Row label={t("privacy.consent.separateConsents")}>{r.separateConsents.length ? r.separateConsents.map((s) => t(`privacy.separate.${s}`)).join(t("common.listSeparator")) : "—"}</Row>
            </dl>
          ) : null}
        </Card>
      ) : null}
    </div>
  );
}
