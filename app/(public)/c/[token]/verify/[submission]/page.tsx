import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { confirmConsentAction } from "@/lib/privacy/self-service-actions";
import { pendingSubmission } from "@/lib/privacy/self-service";
import { resolveLink } from "@/lib/privacy/consent-links";
import { db } from "@/lib/server/db";
import { buttonClassPublic, errorMessage, inputClass, LinkProblem, Problem, PublicFrame, publicI18n, publicMetadata, Section } from "../../../../_components/public";

export async function generateMetadata({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }): Promise<Metadata> {
  return publicMetadata("code", await searchParams);
}

type Props = { params: Promise<{ token: string; submission: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Step 2 of the consent page: the code sent to the phone confirms the choices. */
export default async function VerifyConsentPage({ params, searchParams }: Props) {
  const { token, submission } = await params;
  const sp = await searchParams;
  const i18n = publicI18n(sp);
  const { t } = i18n;
  const path = `/c/${encodeURIComponent(token)}/verify/${encodeURIComponent(submission)}`;
  const resolved = await resolveLink(db(), token);
  const pending = await pendingSubmission(db(), submission);
  if (resolved.state !== "ok" || !pending || pending.linkId !== resolved.link?.id) {
    return (
      <PublicFrame i18n={i18n} path={path}>
        <LinkProblem i18n={i18n} state={resolved.state === "ok" ? "invalid" : resolved.state} />
      </PublicFrame>
    );
  }
  const error = errorMessage(t, sp.error);
  return (
    <PublicFrame i18n={i18n} path={path}>
      <Section level={1} title={t("consentPage.verify.heading")}>
        {pending.status === "CONFIRMED" ? <Problem tone="info">{t("consentPage.errors.alreadyConfirmed")}</Problem> : null}
        {error ? <Problem>{error}</Problem> : null}
        <p>{t("consentPage.verify.sentTo", { phone: pending.phoneMask })}</p>
        <form action={confirmConsentAction} aria-label={t("consentPage.verify.heading")} className="space-y-4">
          <input type="hidden" name="token" value={token} />
          <input type="hidden" name="submissionId" value={pending.id} />
          {i18n.lang === "en" ? <input type="hidden" name="lang" value="en" /> : null}
          <div className="space-y-1">
            <label htmlFor="cp-code" className="block text-sm font-medium">{t("consentPage.verify.code")}</label>
            <input id="cp-code" name="code" required inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} className={inputClass} />
          </div>
          <button type="submit" className={buttonClassPublic}>{t("consentPage.verify.submit")}</button>
        </form>
        <Link className="text-sm text-blue-700 underline" href={i18n.q(`/c/${token}`)}>{t("consentPage.verify.again")}</Link>
      </Section>
    </PublicFrame>
  );
}
