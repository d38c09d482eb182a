import type { Metadata } from "next";
import { cookies } from "next/headers";
import { REQUEST_TYPES } from "@/lib/privacy/schemas";
import { requestSelfAction, signOutCenterAction, startCenterAction, withdrawSelfAction } from "@/lib/privacy/self-service-actions";
import { CENTER_COOKIE, centerOverview, centerSession } from "@/lib/privacy/self-service";
import { db } from "@/lib/server/db";
import { buttonClassPublic, errorMessage, formatTime, inputClass, Problem, PublicFrame, publicI18n, publicMetadata, Section } from "../_components/public";

export async function generateMetadata({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }): Promise<Metadata> {
  return publicMetadata("center", await searchParams);
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const NOTICES = ["nothing", "withdrawn", "requestSent", "sessionEnded"] as const;

/** The customer's privacy center: a phone number and a code, then their consents and requests. */
export default async function PrivacyCenterPage({ searchParams }: Props) {
  const sp = await searchParams;
  const i18n = publicI18n(sp);
  const { t, locale } = i18n;
  const session = await centerSession(db(), (await cookies()).get(CENTER_COOKIE)?.value);
  const error = errorMessage(t, sp.error);
  const notice = NOTICES.find((n) => n === sp.notice);
  const lang = i18n.lang === "en" ? <input type="hidden" name="lang" value="en" /> : null;

  if (!session) {
    return (
      <PublicFrame i18n={i18n} path="/privacy-center">
        <Section level={1} title={t("consentPage.center.title")}>
          <p className="text-sm text-slate-700">{t("consentPage.center.intro")}</p>
          {error ? <Problem>{error}</Problem> : null}
          {notice === "nothing" ? <Problem tone="info">{t("consentPage.center.nothing")}</Problem> : null}
          {notice === "sessionEnded" ? <Problem tone="info">{t("consentPage.center.sessionEnded")}</Problem> : null}
          <form action={startCenterAction} aria-label={t("consentPage.center.title")} className="space-y-4">
            {lang}
            <div className="space-y-1">
              <label htmlFor="pc-phone" className="block text-sm font-medium">{t("consentPage.form.phone")}</label>
              <input id="pc-phone" name="phone" type="tel" inputMode="numeric" required maxLength={20} autoComplete="tel" aria-describedby="pc-phone-hint" className={inputClass} />
              <p id="pc-phone-hint" className="text-xs text-slate-500">{t("consentPage.center.start")}</p>
            </div>
            <button type="submit" className={buttonClassPublic}>{t("consentPage.center.send")}</button>
          </form>
        </Section>
      </PublicFrame>
    );
  }

  const { consents, requests } = await centerOverview(db(), session);
  const requestId = typeof sp.request === "string" ? sp.request : null;
  const sent = requestId ? requests.find((r) => r.id === requestId) : null;
  return (
    <PublicFrame i18n={i18n} path="/privacy-center">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-xl font-semibold">{t("consentPage.center.title")}</h1>
        <form action={signOutCenterAction}>
          {lang}
          <button type="submit" className="text-sm text-blue-700 underline">{t("consentPage.center.signOut")}</button>
        </form>
      </div>
      <p className="text-sm text-slate-600">{t("consentPage.center.signedInAs", { phone: session.phoneMask })}</p>
      {error ? <Problem>{error}</Problem> : null}
      {notice === "withdrawn" ? <Problem tone="success">{t("consentPage.center.withdrawn")}</Problem> : null}
      {notice === "requestSent" && sent ? <Problem tone="success">{t("consentPage.center.requestSent", { due: formatTime(sent.dueAt, locale) })}</Problem> : null}

      <Section title={t("consentPage.center.consents")}>
        {consents.length === 0 ? <p>{t("consentPage.center.noConsents")}</p> : null}
        <ul className="space-y-3" aria-label={t("consentPage.center.consents")}>
          {consents.map((c) => (
            <li key={`${c.id}-${c.purpose}`} className="space-y-1 rounded-md border border-slate-200 p-3" data-testid="center-consent">
              <p className="font-medium">{c.purposeDescription}</p>
              <p className="text-sm">
                {t("consentPage.center.state")}：<strong>{t(`consentPage.center.states.${c.state}`)}</strong> · {t(`consentPage.source.${c.source}`)}
              </p>
              <p className="text-sm text-slate-600">
                {t("consentPage.center.notice")}：{c.noticeTitle}
                {c.noticeVersion ? ` v${c.noticeVersion}` : ""}
              </p>
              <p className="text-sm text-slate-600">
                {t("consentPage.center.grantedAt")}：{formatTime(c.grantedAt, locale)}
                {c.withdrawnAt ? ` · ${t("consentPage.center.withdrawnAt")}：${formatTime(c.withdrawnAt, locale)}` : c.expiresAt ? ` · ${t("consentPage.center.expiresAt")}：${formatTime(c.expiresAt, locale)}` : ""}
              </p>
              {c.state === "VALID" ? (
                <form action={withdrawSelfAction} aria-label={`${t("consentPage.center.withdraw")} ${c.purposeDescription}`}>
                  {lang}
                  <input type="hidden" name="consentId" value={c.id} />
                  <button type="submit" className="mt-1 inline-flex min-h-10 items-center rounded-md border border-red-300 bg-white px-4 text-sm font-medium text-red-800 hover:bg-red-50">
                    {t("consentPage.center.withdraw")}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t("consentPage.center.requests")}>
        {requests.length === 0 ? <p>{t("consentPage.center.noRequests")}</p> : null}
        <ul className="space-y-2" aria-label={t("consentPage.center.requests")}>
          {requests.map((r) => (
            <li key={r.id} className="rounded-md border border-slate-200 p-3 text-sm" data-testid="center-request">
              <p className="font-medium">
                {t(`privacy.requestType.${r.type}`)} · {t(`privacy.requestStatus.${r.status}`)}
              </p>
              <p className="text-slate-600">
                {t("consentPage.center.received")}：{formatTime(r.receivedAt, locale)} · {t("consentPage.center.due")}：{formatTime(r.dueAt, locale)}
              </p>
              {r.resolution ? <p>{r.resolution}</p> : null}
              {r.refusalReason ? <p>{r.refusalReason}</p> : null}
            </li>
          ))}
        </ul>
        <form action={requestSelfAction} aria-label={t("consentPage.center.newRequest")} className="space-y-3 border-t border-slate-200 pt-3">
          {lang}
          <h3 className="font-medium">{t("consentPage.center.newRequest")}</h3>
          <div className="space-y-1">
            <label htmlFor="pc-type" className="block text-sm font-medium">{t("consentPage.center.requestType")}</label>
            <select id="pc-type" name="type" required defaultValue="" className={inputClass}>
              <option value="" disabled>—</option>
              {REQUEST_TYPES.map((type) => (
                <option key={type} value={type}>{t(`privacy.requestType.${type}`)}</option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="pc-details" className="block text-sm font-medium">{t("consentPage.center.details")}</label>
            <textarea id="pc-details" name="details" rows={3} maxLength={2000} aria-describedby="pc-details-hint" className={inputClass} />
            <p id="pc-details-hint" className="text-xs text-slate-500">{t("consentPage.center.detailsHint")}</p>
          </div>
          <button type="submit" className={buttonClassPublic}>{t("consentPage.center.submitRequest")}</button>
        </form>
      </Section>
    </PublicFrame>
  );
}
