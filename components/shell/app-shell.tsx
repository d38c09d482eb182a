import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import type { Actor } from "@/lib/server/actor";
import { getI18n } from "@/lib/i18n/server";
import { signOutAction } from "@/lib/shell/actions";
import { navFor } from "@/lib/shell/navigation";
import { LanguageSwitch } from "./language-switch";
import { NavLinks } from "./nav-links";

export async function AppShell({ actor, children }: { actor: Actor; children: ReactNode }) {
  const { t } = await getI18n();
  const items = navFor(actor.permissions).map((item) => ({ href: item.href, label: t(item.labelKey) }));
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
        {t("common.skipToContent")}
      </a>
      <header className="border-b border-slate-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <Link href="/" className="text-base font-semibold text-blue-800">
            {t("common.appShort")}
            <span className="ml-2 hidden text-sm font-normal text-slate-500 sm:inline">{t("common.appName")}</span>
          </Link>
          <div className="flex flex-wrap items-center gap-2">
            <Suspense>
              <LanguageSwitch />
            </Suspense>
            <div className="text-right text-sm" data-testid="current-user">
              <span className="sr-only">{t("common.signedInAs")}</span>
              <span className="font-medium">{actor.name}</span>
              <span className="ml-1 text-slate-500">({actor.roles.map((r) => t(`roles.${r}`)).join("、")})</span>
            </div>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600">
                {t("nav.signOut")}
              </button>
            </form>
          </div>
        </div>
        <nav aria-label={t("nav.mainNavigation")} className="mx-auto max-w-7xl px-2 pb-2">
          <NavLinks items={items} />
        </nav>
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 print:max-w-none print:p-0">
        {children}
      </main>
    </div>
  );
}
