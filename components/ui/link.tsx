import NextLink from "next/link";
import type { ComponentProps } from "react";

/** Every link in the portal: Next.js's Link (client-side navigation) without prefetching when it
 * scrolls into view. No portal route has a `loading.tsx`, so a prefetch brings only the route tree
 * and the metadata — the click still waits for the server's render — while it costs the server a
 * request each: 24 for the settings page's cards, 24–28 for a list's row links, more CPU than the page
 * itself (docs/performance.md, "The floor: prefetches"). In the App Router `prefetch={false}` also
 * means no prefetch on hover (Next.js's Link reference); the click fetches the page. `prefetch` can
 * be set per link where prefetching pays. next/link is imported here only (eslint.config.mjs). */
export function Link({ prefetch = false, ...props }: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={prefetch} {...props} />;
}
