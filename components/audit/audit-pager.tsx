import { CursorPager } from "@/components/ui/cursor-pager";

/** Newer / older through keyset cursors in the URL (no page numbers: the list has no cheap end). */
export function AuditPager({
  newerHref,
  olderHref,
  newestHref,
  labels,
}: {
  newerHref: string | null;
  olderHref: string | null;
  /** Shown when the page is not the newest one. */
  newestHref: string | null;
  labels: { pages: string; newest: string; newer: string; older: string };
}) {
  return <CursorPager prevHref={newerHref} nextHref={olderHref} firstHref={newestHref} labels={{ pages: labels.pages, first: labels.newest, prev: labels.newer, next: labels.older }} />;
}
