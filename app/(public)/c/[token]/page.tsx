import type { Metadata } from "next";
import { noticeContentHash, resolveLink, type PublicNotice } from "@/lib/privacy/consent-links";
import { submitConsentAction } from "@/lib/privacy/self-service-actions";
import { purposeField, separateField, shownToken, TICKED } from "@/lib/privacy/self-service";
import { db } from "@/lib/server/db";
import { buttonClassPublic, errorMessage, formatTime, inputClass, LinkProblem, Problem, PublicFrame, publicI18n, publicMetadata, Section, type PublicI18n } from "../../_components/public";

export async function generateMetadata({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }): Promise<Metadata> {
  return publicMetadata("notice", await searchParams);
}

type Props = { params: Promise<{ token: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The consent page a collector's link or QR code opens: the notice version in full, then every
 * purpose and separate consent as its own unticked checkbox, the phone number for the code. */
export default async function ConsentPage({ params, searchParams }: Props) {
  const { token } = await params;
  const sp = await searchParams;
  const i18n = publicI18n(sp);
  const { t } = i18n;
  const resolved = await resolveLink(db(), token);
  const path = `/c/${encodeURIComponent(token)}`;
  if (resolved.state !== "ok" || !resolved.notice || !resolved.link) {
    return (
      <PublicFrame i18n={i18n} path={path}>
        <LinkProblem i18n={i18n} state={resolved.state} />
      </PublicFrame>
    );
  }
  const { notice, link } = resolved;
  const error = errorMessage(t, sp.error);
  const offered = notice.purposes.filter((p) => link.purposes.includes(p.code));
  return (
    <PublicFrame i18n={i18n} path={path}>
      <h1 className="text-xl font-semibold">{notice.title}</h1>
      <NoticeText i18n={i18n} notice={notice} />
      <Section id="choice" title={t("consentPage.form.heading")}>
        {error ? <Problem>{error}</Problem> : null}
        <form action={submitConsentAction} aria-label={t("consentPage.form.heading")} className="space-y-4">
          <input type="hidden" name="token" value={token} />
          <input type="hidden" name="shown" value={shownToken(link.id, link.purposes, link.separateConsents)} />
          {i18n.lang === "en" ? <input type="hidden" name="lang" value="en" /> : null}
          <p className="text-sm text-slate-700">{t("consentPage.form.intro")}</p>
          <fieldset className="space-y-2">
            <legend className="mb-1 text-sm font-medium">{t("consentPage.form.purposesLegend")}</legend>
            {offered.map((p) => (
              <label key={p.code} className="flex items-start gap-3 rounded-md border border-slate-200 p-3">
                {/* Never pre-ticked: no defaultChecked, and the page never reads a choice from the URL. */}
                <input type="checkbox" name={purposeField(p.code)} value={TICKED} className="mt-1 size-5 shrink-0" />
                <span>{t("consentPage.form.agreePurpose", { description: p.description })}</span>
              </label>
            ))}
          </fieldset>
          {link.separateConsents.length > 0 ? (
            <fieldset className="space-y-2">
              <legend className="mb-1 text-sm font-medium">{t("consentPage.form.separateLegend")}</legend>
              {link.separateConsents.map((s) => (
                <label key={s} className="flex items-start gap-3 rounded-md border border-slate-200 p-3">
                  <input type="checkbox" name={separateField(s)} value={TICKED} className="mt-1 size-5 shrink-0" />
                  <span>{t("consentPage.form.agreeSeparate", { label: t(`privacy.separate.${s}`) })}</span>
                </label>
              ))}
            </fieldset>
          ) : null}
          <fieldset className="space-y-3">
            <legend className="mb-1 text-sm font-medium">{t("consentPage.form.identity")}</legend>
            <div className="space-y-1">
              <label htmlFor="cp-name" className="block text-sm font-medium">{t("consentPage.form.name")}</label>
              <input id="cp-name" name="name" required maxLength={50} autoComplete="name" className={inputClass} />
            </div>
            <div className="space-y-1">
              <label htmlFor="cp-phone" className="block text-sm font-medium">{t("consentPage.form.phone")}</label>
              <input id="cp-phone" name="phone" type="tel" inputMode="numeric" required maxLength={20} autoComplete="tel" aria-describedby="cp-phone-hint" className={inputClass} />
              <p id="cp-phone-hint" className="text-xs text-slate-500">{t("consentPage.form.phoneHint")}</p>
            </div>
            <details className="rounded-md border border-slate-200 p-3">
              <summary className="cursor-pointer text-sm">{t("consentPage.form.minor")}</summary>
              <div className="mt-3 space-y-3">
                <label className="flex items-start gap-3">
                  <input type="checkbox" name="minor" value={TICKED} className="mt-1 size-5 shrink-0" />
                  <span>{t("consentPage.form.minor")}</span>
                </label>
                <div className="space-y-1">
                  <label htmlFor="cp-guardian" className="block text-sm font-medium">{t("consentPage.form.guardianName")}</label>
                  <input id="cp-guardian" name="guardianName" maxLength={50} className={inputClass} />
                </div>
                <div className="space-y-1">
                  <label htmlFor="cp-relation" className="block text-sm font-medium">{t("consentPage.form.guardianRelation")}</label>
                  <input id="cp-relation" name="guardianRelation" maxLength={20} className={inputClass} />
                </div>
                <label className="flex items-start gap-3">
                  <input type="checkbox" name="guardianConsent" value={TICKED} className="mt-1 size-5 shrink-0" />
                  <span>{t("consentPage.form.guardianConsent")}</span>
                </label>
              </div>
            </details>
          </fieldset>
          <button type="submit" className={buttonClassPublic}>{t("consentPage.form.submit")}</button>
        </form>
      </Section>
    </PublicFrame>
  );
}

function NoticeText({ i18n, notice }: { i18n: PublicI18n; notice: PublicNotice }) {
  const { t, locale } = i18n;
  const row = (label: string, value: React.ReactNode) => (
    <div>
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="whitespace-pre-line">{value}</dd>
    </div>
  );
  return (
    <Section title={t("consentPage.notice.heading")}>
      <p className="text-sm text-slate-600">{t("consentPage.notice.version", { version: notice.noticeVersion, date: formatTime(notice.publishedAt, locale) })}</p>
      <dl className="space-y-3">
        {row(t("consentPage.notice.processor"), notice.processorName)}
        {row(t("consentPage.notice.contact"), notice.processorContact)}
        {row(
          t("consentPage.notice.purposes"),
          <ul className="list-disc pl-5">
            {notice.purposes.map((p) => (
              <li key={p.code}>{p.description}</li>
            ))}
          </ul>,
        )}
        {row(t("consentPage.notice.methods"), notice.methods)}
        {row(
          t("consentPage.notice.categories"),
          <ul className="list-disc pl-5">
            {notice.categories.map((c) => (
              <li key={c.code}>
                {c.name}
                {c.sensitive ? t("consentPage.notice.sensitive") : ""}
              </li>
            ))}
          </ul>,
        )}
        {row(t("consentPage.notice.retention"), notice.retentionDays ? t("consentPage.notice.retentionDays", { days: notice.retentionDays }) : "—")}
        {row(t("consentPage.notice.rights"), notice.rightsText)}
        {notice.separateConsents.length > 0
          ? row(
              t("consentPage.notice.separate"),
              <ul className="list-disc pl-5">
                {notice.separateConsents.map((s) => (
                  <li key={s}>{t(`privacy.separate.${s}`)}</li>
                ))}
              </ul>,
            )
          : null}
        {notice.separateConsents.includes("CROSS_BORDER") ? <p className="text-sm">{t("consentPage.notice.crossBorder")}</p> : null}
      </dl>
      <p className="break-all text-xs text-slate-500">{t("consentPage.notice.hash", { hash: noticeContentHash(notice) })}</p>
    </Section>
  );
}
