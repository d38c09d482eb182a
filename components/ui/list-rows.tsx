"use client";
import { useRouter } from "next/navigation";
import type { MouseEvent } from "react";

/**
 * A click on a link inside a list written as markup (components/ui/list-markup.ts) navigates on the
 * client, as `Link` (next/link with `prefetch={false}`) does: an unmodified primary click on a link
 * to this origin, not a download, not for another target. Everything else — a modified or middle
 * click, a link another handler took (`defaultPrevented`), a link elsewhere — keeps the browser's
 * behaviour. Nothing is prefetched, in view or on hover (as before).
 */
export function useListLinks() {
  const router = useRouter();
  return (event: MouseEvent<HTMLElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!(link instanceof HTMLAnchorElement) || !event.currentTarget.contains(link)) return;
    if (link.hasAttribute("download") || (link.target !== "" && link.target !== "_self")) return;
    const url = new URL(link.href);
    if (url.origin !== window.location.origin) return;
    event.preventDefault();
    router.push(`${url.pathname}${url.search}${url.hash}`);
  };
}

/**
 * A list's <tbody> whose rows are one markup string (components/ui/list-markup.ts): one node for
 * React to render and hydrate, one value in the RSC payload. Its links navigate on the client.
 */
export function ListRowsMarkup({ html, className, testId }: { html: string; className: string; testId?: string }) {
  const onClick = useListLinks();
  return <tbody className={className} data-testid={testId} onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
