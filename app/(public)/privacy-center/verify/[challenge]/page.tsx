import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { verifyCenterAction } from "@/lib/privacy/self-service-actions";
import { challengeMask } from "@/lib/privacy/self-service";
import { db } from "@/lib/server/db";
import { buttonClassPublic, errorMessage, inputClass, Problem, PublicFrame, publicI18n, publicMetadata, Section } from "../../../_components/public";

export async function generateMetadata({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }): Promise<Metadata> {
  return publicMetadata("code", await searchParams);
}

type Props = { params: Promise<{ challenge: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VerifyCenterPage({ params, searchParams }: Props) {
  const { challenge } = await params;
  const sp = await searchParams;
  const i18n = publicI18n(sp);
  const { t } = i18n;
  const mask = await challengeMask(db(), challenge);
  const error = errorMessage(t, sp.error) ?? (mask ? null : t("consentPage.errors.codeUnknown"));
  return (
    <PublicFrame i18n={i18n} path={`/privacy-center/verify/${encodeURIComponent(challenge)}`}>
      <Section level={1} title={t("consentPage.center.verifyHeading")}>
        {error ? <Problem>{error}</Problem> : null}
        {mask ? (
          <>
            <p>{t("consentPage.verify.sentTo", { phone: mask })}</p>
            <form action={verifyCenterAction} aria-label={t("consentPage.center.verifyHeading")} className="space-y-4">
              <input type="hidden" name="challengeId" value={challenge} />
              {i18n.lang === "en" ? <input type="hidden" name="lang" value="en" /> : null}
              <div className="space-y-1">
                <label htmlFor="pc-code" className="block text-sm font-medium">{t("consentPage.verify.code")}</label>
                <input id="pc-code" name="code" required inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} className={inputClass} />
              </div>
              <button type="submit" className={buttonClassPublic}>{t("consentPage.center.verify")}</button>
            </form>
          </>
        ) : null}
        <Link className="text-sm text-blue-700 underline" href={i18n.q("/privacy-center")}>{t("consentPage.verify.again")}</Link>
      </Section>
    </PublicFrame>
  );
}
