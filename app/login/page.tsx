import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthFrame } from "@/components/auth/auth-frame";
import { LoginForm } from "@/components/auth/login-form";
import { buttonClass } from "@/components/ui/button";
import { offeredMethods } from "@/lib/auth/sign-in-settings";
import { getI18n } from "@/lib/i18n/server";
import { getActor } from "@/lib/server/actor";
import { db } from "@/lib/server/db";
import { safeReturnPath } from "@/lib/url";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("auth.signInTitle") };
}

/** WeCom's built-in browser says so in its user agent ("wxwork/4.x"). */
const IN_WECOM = /\bwxwork\//i;

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const returnTo = safeReturnPath(params.callbackUrl);
  if (await getActor()) redirect(returnTo);
  const { t } = await getI18n();
  const methods = await offeredMethods(db());
  const start = (path: string, extra = "") => `${path}?${extra}returnTo=${encodeURIComponent(returnTo)}`;
  // Inside the WeCom client the person is already signed in to WeCom: sign in silently, unless
  // they just signed out or came back from a refusal (no loop).
  const inWeCom = IN_WECOM.test((await headers()).get("user-agent") ?? "");
  const manual = Boolean(params.signedOut || params.error || params.manual || params.password);
  if (inWeCom && methods.wecomOauth && !manual) redirect(start("/api/auth/wecom/start", "mode=oauth&"));

  const notice = params.signedOut ? t("auth.signedOut") : params.error ? t("auth.invalid") : undefined;
  const showPassword = methods.password || params.password === "1";
  // Links, not forms or prefetching <Link>s: starting a sign-in sets a cookie and leaves the site.
  const buttons = [
    methods.wecomOauth && (inWeCom || !methods.wecomQr) ? { href: start("/api/auth/wecom/start", "mode=oauth&"), label: t("signIn.methods.wecomOauth"), id: "wecom-oauth" } : null,
    methods.wecomQr ? { href: start("/api/auth/wecom/start", "mode=qr&"), label: t("signIn.methods.wecomQr"), id: "wecom-qr" } : null,
    methods.oidc ? { href: start("/api/auth/oidc/start"), label: t("signIn.methods.oidc"), id: "oidc" } : null,
  ].filter((b) => b !== null);
  return (
    <AuthFrame appShort={t("common.appShort")} footer={<p className="text-center text-xs text-slate-500">{t("common.appName")}</p>}>
      <div>
        <h1 className="text-xl font-semibold">{t("auth.signInTitle")}</h1>
        {showPassword ? <p className="mt-1 text-sm text-slate-600">{t("auth.signInIntro")}</p> : null}
      </div>
      {buttons.length ? (
        <nav className="space-y-2" aria-label={t("auth.signInTitle")}>
          {buttons.map((b, i) => (
            <a key={b.id} href={b.href} data-testid={`sign-in-${b.id}`} className={buttonClass(i === 0 && !showPassword ? "primary" : "secondary", "w-full")}>
              {b.label}
            </a>
          ))}
        </nav>
      ) : null}
      {buttons.length && showPassword ? <p className="text-center text-xs text-slate-500">{t("signIn.methods.or")}</p> : null}
      {showPassword ? (
        <LoginForm returnTo={returnTo} notice={notice} />
      ) : (
        <>
          {notice ? <p className="text-sm text-slate-700" role="status">{notice}</p> : null}
          <p className="text-sm text-slate-600">{t("signIn.methods.passwordOff")}</p>
          <a href={`/login?password=1&callbackUrl=${encodeURIComponent(returnTo)}`} className="block text-center text-xs text-slate-500 underline">
            {t("signIn.methods.breakGlass")}
          </a>
        </>
      )}
    </AuthFrame>
  );
}
