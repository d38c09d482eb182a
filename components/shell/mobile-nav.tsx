"use client";
import { Link } from "@/components/ui/link";
import { usePathname } from "next/navigation";
import { Suspense, useEffect, useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { useI18n } from "@/lib/i18n/client";
import { signOutAction } from "@/lib/shell/actions";
import { parentOf, sectionOf } from "@/lib/shell/navigation";
import { LanguageSwitch } from "./language-switch";
import { isActive, NavLinks } from "./nav-links";

type Item = { href: string; label: string };

/** The phone's top bar: the section's name and, below a section's own page, a way back up. */
export function MobileTopBar() {
  const { t } = useI18n();
  const pathname = usePathname();
  const parent = parentOf(pathname);
  return (
    <div className="sticky top-0 z-20 flex h-12 items-center gap-1 border-b border-slate-200 bg-white px-2 md:hidden print:hidden" data-testid="mobile-top-bar">
      {parent ? (
        <Link
          href={parent}
          className="flex h-11 min-w-11 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600"
          aria-label={t("nav.backTo", { section: t(sectionOf(parent).labelKey) })}
        >
          <Icon name="back" />
        </Link>
      ) : (
        <span className="w-2" aria-hidden />
      )}
      <p className="min-w-0 flex-1 truncate text-base font-semibold text-slate-900">
        {pathname === "/" ? t("common.appShort") : t(sectionOf(pathname).labelKey)}
      </p>
    </div>
  );
}

/** The phone's bottom tab bar and its 更多 drawer (a modal <dialog>: focus stays inside, Esc and a
 * tap outside close it, and it closes by itself once a link in it is followed). The drawer's
 * contents are rendered when it opens, not with every page. */
export function MobileTabBar({ tabs, rest, user }: { tabs: Item[]; rest: Item[]; user: { name: string; roles: string } }) {
  const { t } = useI18n();
  const pathname = usePathname();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const titleId = useId();
  const restActive = rest.some((item) => isActive(item.href, pathname));

  // A navigation from inside the drawer (or the browser's back button) closes it.
  useEffect(() => {
    dialog.current?.close();
  }, [pathname]);

  return (
    <>
      <nav aria-label={t("nav.tabBar")} className="fixed inset-x-0 bottom-0 z-20 border-t border-slate-200 bg-white pb-[env(safe-area-inset-bottom)] md:hidden print:hidden" data-testid="tab-bar">
        {/* Equal columns by flex, not an inline style: the CSP (proxy.ts) refuses style attributes. */}
        <ul className="flex">
          {tabs.map((item) => {
            const active = isActive(item.href, pathname);
            return (
              <li key={item.href} className="min-w-0 flex-1">
                <Link
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "flex h-14 flex-col items-center justify-center gap-0.5 px-1 text-xs focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-600",
                    active ? "font-medium text-blue-800" : "text-slate-700",
                  )}
                >
                  <Icon name={item.href} />
                  <span className="max-w-full truncate">{item.label}</span>
                </Link>
              </li>
            );
          })}
          <li className="min-w-0 flex-1">
            <button
              type="button"
              aria-haspopup="dialog"
              aria-expanded={open}
              onClick={() => {
                dialog.current?.showModal();
                setOpen(true);
              }}
              className={cn(
                "flex h-14 w-full flex-col items-center justify-center gap-0.5 px-1 text-xs focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-600",
                restActive ? "font-medium text-blue-800" : "text-slate-700",
              )}
            >
              <Icon name="more" />
              <span>{t("nav.more")}</span>
            </button>
          </li>
        </ul>
      </nav>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        // The close event is queued: a drawer opened again before it arrives (Escape, then Enter at
        // once) is open by then, and keeps its contents.
        onClose={(e) => {
          if (!e.currentTarget.open) setOpen(false);
        }}
        // A tap on the dimmed page around the drawer closes it.
        onClick={(e) => {
          if (e.target === e.currentTarget) e.currentTarget.close();
        }}
        className="fixed inset-y-0 left-auto right-0 m-0 h-dvh max-h-dvh w-[85vw] max-w-xs bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40 md:hidden"
        data-testid="nav-drawer"
      >
        <div className="flex h-full flex-col">
          <div className="flex items-center justify-between border-b border-slate-200 py-1 pl-4 pr-1">
            <h2 id={titleId} className="text-base font-semibold">{t("nav.moreTitle")}</h2>
            <button
              type="button"
              onClick={() => dialog.current?.close()}
              className="flex h-11 w-11 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600"
              aria-label={t("nav.closeMenu")}
            >
              <Icon name="close" />
            </button>
          </div>
          {/* Its contents only while it is open: every page would otherwise carry a second copy of
              the navigation, the person and the language switch in its HTML, which no one sees
              until they tap 更多 (the sidebar has the first, for wider screens). */}
          {open ? (
            <>
              <nav aria-label={t("nav.moreTitle")} className="flex-1 overflow-y-auto px-2 py-2">
                <NavLinks items={rest} onNavigate={() => dialog.current?.close()} />
              </nav>
              <div className="border-t border-slate-200 px-4 py-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] text-sm">
                <p>
                  <span className="sr-only">{t("common.signedInAs")}</span>
                  <span className="font-medium">{user.name}</span>
                  <span className="ml-1 text-slate-600">（{user.roles}）</span>
                </p>
                <div className="mt-2 flex flex-wrap items-center gap-2">
                  <Suspense>
                    <LanguageSwitch />
                  </Suspense>
                  <form action={signOutAction}>
                    <button type="submit" className="min-h-11 rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600">
                      {t("nav.signOut")}
                    </button>
                  </form>
                </div>
              </div>
            </>
          ) : null}
        </div>
      </dialog>
    </>
  );
}

// Line icons (24 px grid, stroke only) for the tab bar; a section without its own falls back to a dot.
const PATHS: Record<string, string> = {
  "/": "M3 11l9-7 9 7M5 10v10h5v-6h4v6h5V10",
  "/dashboard": "M4 20V10M10 20V4M16 20v-7M22 20H2",
  "/approvals": "M9 12l2 2 4-4M5 4h14v16H5z",
  "/groups": "M8 11a3 3 0 100-6 3 3 0 000 6zM2 20c0-3 3-5 6-5s6 2 6 5M16 11a3 3 0 100-6M18 15c2 .5 4 2 4 5",
  "/accounts": "M4 6h16v12H4zM4 10h16",
  "/privacy": "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
  "/service": "M4 13a8 8 0 0116 0v5h-4v-5h4M4 13v5h4v-5H4",
  "/training": "M2 9l10-5 10 5-10 5zM6 11v5c3 2 9 2 12 0v-5",
  "/content": "M6 3h9l4 4v14H6zM9 12h7M9 16h7",
  "/offboarding": "M14 4h5v16h-5M10 8l-4 4 4 4M6 12h10",
  "/directory/employees": "M12 11a4 4 0 100-8 4 4 0 000 8zM4 21c0-4 4-6 8-6s8 2 8 6",
  "/directory/departments": "M9 3h6v5H9zM4 16h6v5H4zM14 16h6v5h-6zM12 8v4M7 16v-4h10v4",
  "/audit": "M12 8v4l3 2M12 21a9 9 0 100-18 9 9 0 000 18z",
  "/notifications/settings": "M6 16V11a6 6 0 0112 0v5l2 2H4zM10 21h4",
  "/settings": "M12 15a3 3 0 100-6 3 3 0 000 6zM19 12l2-1-2-4-2 1-2-2V4h-4v2L9 7 7 6 5 10l2 1v2l-2 1 2 4 2-1 2 2v2h4v-2l2-1 2 1 2-4-2-1z",
  more: "M4 6h16M4 12h16M4 18h16",
  back: "M15 5l-7 7 7 7",
  close: "M6 6l12 12M18 6L6 18",
};

function Icon({ name }: { name: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="h-6 w-6 shrink-0" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[name] ?? "M12 12h.01"} />
    </svg>
  );
}
