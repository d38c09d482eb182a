import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

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
  const disabled = buttonClass("secondary", "pointer-events-none opacity-50");
  return (
    <nav aria-label={labels.pages} className="mt-4 flex flex-wrap items-center justify-end gap-2 text-sm">
      {newestHref ? (
        <Link className={buttonClass("ghost")} href={newestHref}>
          {labels.newest}
        </Link>
      ) : null}
      {newerHref ? (
        <Link className={buttonClass("secondary")} href={newerHref} rel="prev">
          {labels.newer}
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          {labels.newer}
        </span>
      )}
      {olderHref ? (
        <Link className={buttonClass("secondary")} href={olderHref} rel="next">
          {labels.older}
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          {labels.older}
        </span>
      )}
    </nav>
  );
}
