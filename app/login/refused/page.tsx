import type { Metadata } from "next";
import { AuthFrame } from "@/components/auth/auth-frame";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { SSO_REFUSALS, type SsoRefusal } from "@/lib/auth/sso";
import { getI18n } from "@/lib/i18n/server";
import { safeReturnPath } from "@/lib/url";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("signIn.refused.title") };
}

// Where a WeCom or OIDC sign-in that was refused ends: why, in the person's language, and the
// way back (which does not start WeCom's silent sign-in again by itself).
export default async function RefusedPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const { t } = await getI18n();
  const raw = typeof params.reason === "string" ? params.reason : "";
  const reason: SsoRefusal = (SSO_REFUSALS as readonly string[]).includes(raw) ? (raw as SsoRefusal) : "PROVIDER_ERROR";
  const returnTo = safeReturnPath(params.returnTo);
  return (
    <AuthFrame appShort={t("common.appShort")}>
      <h1 className="text-xl font-semibold">{t("signIn.refused.title")}</h1>
      <div data-testid="sign-in-refused" data-reason={reason}>
        <Alert tone="error">{t(`signIn.refused.${reason}`)}</Alert>
      </div>
      <a href={`/login?manual=1${returnTo !== "/" ? `&callbackUrl=${encodeURIComponent(returnTo)}` : ""}`} className={buttonClass("secondary", "w-full")}>
        {t("signIn.refused.back")}
      </a>
    </AuthFrame>
  );
}
