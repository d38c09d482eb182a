import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form";
import { LanguageSwitch } from "@/components/shell/language-switch";
import { getI18n } from "@/lib/i18n/server";
import { getActor } from "@/lib/server/actor";
import { safeReturnPath } from "@/lib/url";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return { title: t("auth.signInTitle") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const returnTo = safeReturnPath(params.callbackUrl);
  if (await getActor()) redirect(returnTo);
  const { t } = await getI18n();
  const notice = params.signedOut ? t("auth.signedOut") : params.error ? t("auth.invalid") : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex items-center justify-between">
          <p className="text-lg font-semibold text-blue-800">{t("common.appShort")}</p>
          <Suspense>
            <LanguageSwitch />
          </Suspense>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="text-xl font-semibold">{t("auth.signInTitle")}</h1>
          <p className="mb-4 mt-1 text-sm text-slate-600">{t("auth.signInIntro")}</p>
          <LoginForm returnTo={returnTo} notice={notice} />
        </div>
        <p className="text-center text-xs text-slate-500">{t("common.appName")}</p>
      </div>
    </main>
  );
}
