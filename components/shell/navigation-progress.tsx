"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { useI18n } from "@/lib/i18n/client";

// A thin bar across the top while the next page is on its way (every page is rendered per person
// on the server, so a tap can take a moment on a phone): it starts when a link to another page of
// the portal is followed or a search form is sent, and ends when the address changes. No
// loading.tsx for the portal segment on purpose: a streamed page must answer 200, and a missing
// record or a refused page must keep answering 404 and 403 (docs/ui.md).
export function NavigationProgress() {
  const { t } = useI18n();
  const here = `${usePathname()}?${useSearchParams().toString()}`;
  // The address a navigation started from: the bar shows while we are still there.
  const [from, setFrom] = useState<string | null>(null);
  const active = from === here;

  useEffect(() => {
    const start = () => {
      setFrom(here);
      // A link that turns out to be a download never changes the address: give up after a while.
      window.setTimeout(() => setFrom((f) => (f === here ? null : f)), 15_000);
    };
    const onClick = (e: MouseEvent) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = e.target instanceof Element ? e.target.closest("a[href]") : null;
      if (!(a instanceof HTMLAnchorElement) || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
      const url = new URL(a.href, window.location.href);
      if (url.origin !== window.location.origin || url.pathname.startsWith("/api/") || url.pathname.endsWith("/export")) return;
      if (url.pathname === window.location.pathname && url.search === window.location.search) return;
      start();
    };
    const onSubmit = (e: SubmitEvent) => {
      if (e.target instanceof HTMLFormElement && e.target.method === "get") start();
    };
    // Capture: Next's <Link> handles the click (and prevents the default) before it would bubble here.
    document.addEventListener("click", onClick, true);
    document.addEventListener("submit", onSubmit, true);
    return () => {
      document.removeEventListener("click", onClick, true);
      document.removeEventListener("submit", onSubmit, true);
    };
  }, [here]);

  return (
    <>
      <div aria-hidden className="pointer-events-none fixed inset-x-0 top-0 z-50 h-0.5 print:hidden" data-testid="nav-progress" data-active={active ? "true" : "false"}>
        {active ? <div className="wg-progress h-full origin-left bg-blue-600" /> : null}
      </div>
      <span role="status" className="sr-only">{active ? t("nav.pageLoading") : ""}</span>
    </>
  );
}
