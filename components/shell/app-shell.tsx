import { Link } from "@/components/ui/link";
import { Suspense, type ReactNode } from "react";
import type { Actor } from "@/lib/server/actor";
import { getI18n } from "@/lib/i18n/server";
import { signOutAction } from "@/lib/shell/actions";
import { navFor, tabsFor } from "@/lib/shell/navigation";
import { LanguageSwitch } from "./language-switch";
import { MobileTabBar, MobileTopBar } from "./mobile-nav";
import { NavLinks } from "./nav-links";
import { NavigationProgress } from "./navigation-progress";

// The portal's frame (docs/ui.md). From `md` up: a sidebar with the whole navigation, the person
// and sign-out. Below `md` (a phone in WeCom): a 48 px top bar with the section's name and a back
// link, the page, and a bottom tab bar with the role's four most used sections plus 更多 (a drawer
// with the rest, the language and sign-out), so a page's heading starts within the first screen.
export async function AppShell({ actor, children }: { actor: Actor; children: ReactNode }) {
  const { t } = await getI18n();
  const visible = navFor(actor.permissions);
  const label = (item: { href: string; labelKey: string }) => ({ href: item.href, label: t(item.labelKey) });
  const { tabs, rest } = tabsFor(actor.roles, visible);
  const roles = actor.roles.map((r) => t(`roles.${r}`)).join("、");
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
        {t("common.skipToContent")}
      </a>
      <Suspense>
        <NavigationProgress />
      </Suspense>
      <header className="fixed inset-y-0 left-0 z-30 hidden w-56 flex-col border-r border-slate-200 bg-white md:flex print:hidden">
        <Link href="/" className="block border-b border-slate-200 px-4 py-3 focus-visible:outline-2 focus-visible:outline-blue-600">
          <span className="block text-base font-semibold text-blue-800">{t("common.appShort")}</span>
          <span className="block text-xs text-slate-600">{t("common.appName")}</span>
        </Link>
        <nav aria-label={t("nav.mainNavigation")} className="flex-1 overflow-y-auto px-2 py-3">
          <NavLinks items={visible.map(label)} />
        </nav>
        <div className="border-t border-slate-200 px-4 py-3 text-sm">
          <div data-testid="current-user">
            <span className="sr-only">{t("common.signedInAs")}</span>
            <span className="block font-medium">{actor.name}</span>
            <span className="block text-xs text-slate-600">{roles}</span>
          </div>
          <div className="mt-2 flex flex-wrap items-center gap-1">
            <Suspense>
              <LanguageSwitch />
            </Suspense>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600">
                {t("nav.signOut")}
              </button>
            </form>
          </div>
        </div>
      </header>
      <div className="flex min-h-screen flex-col md:pl-56 print:pl-0">
        <MobileTopBar />
        <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 pb-[calc(var(--wg-bottom-bars)+2.5rem)] pt-4 md:px-8 md:pb-8 md:pt-6 print:max-w-none print:p-0">
          {children}
        </main>
        <MobileTabBar tabs={tabs.map(label)} rest={rest.map(label)} user={{ name: actor.name, roles }} />
      </div>
    </div>
  );
}
