import { Link } from "./link";
import { buttonClass } from "./button";

/** A pager's links are touch targets of at least 44 px (a button's 40 px is for desktop forms). */
function pagerClass(variant: "secondary" | "ghost", extra?: string) {
  return `${buttonClass(variant, extra).replace("min-h-10 ", "")} min-h-11 min-w-11`;
}

/**
 * Previous / next through keyset cursors in the URL, for lists too long for page numbers (the
 * 10,000th page costs what the first does). `firstHref` is shown when the page is not the first.
 */
export function CursorPager({
  prevHref,
  nextHref,
  firstHref,
  status,
  labels,
}: {
  prevHref: string | null;
  nextHref: string | null;
  firstHref: string | null;
  /** What the list holds, e.g. "共 1,234 条" (read out with the navigation). */
  status?: string;
  labels: { pages: string; first: string; prev: string; next: string };
}) {
  const disabled = pagerClass("secondary", "pointer-events-none opacity-50");
  return (
    <nav aria-label={status ? `${labels.pages} · ${status}` : labels.pages} className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
      <p>{status}</p>
      <div className="flex flex-wrap gap-2">
        {firstHref ? (
          <Link className={pagerClass("ghost")} href={firstHref}>
            {labels.first}
          </Link>
        ) : null}
        {prevHref ? (
          <Link className={pagerClass("secondary")} href={prevHref} rel="prev">
            {labels.prev}
          </Link>
        ) : (
          <span className={disabled} aria-disabled="true">
            {labels.prev}
          </span>
        )}
        {nextHref ? (
          <Link className={pagerClass("secondary")} href={nextHref} rel="next">
            {labels.next}
          </Link>
        ) : (
          <span className={disabled} aria-disabled="true">
            {labels.next}
          </span>
        )}
      </div>
    </nav>
  );
}
