import Link from "next/link";
import { buttonClass } from "./button";

export function Pagination({ page, pageSize, total, href, labels }: {
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
  labels: { previous: string; next: string; status: string };
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav aria-label={labels.status} className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
      <p>{labels.status}</p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link className={buttonClass("secondary")} href={href(page - 1)} rel="prev">{labels.previous}</Link>
        ) : (
          <span className={buttonClass("secondary", "pointer-events-none opacity-50")} aria-disabled="true">{labels.previous}</span>
        )}
        {page < pages ? (
          <Link className={buttonClass("secondary")} href={href(page + 1)} rel="next">{labels.next}</Link>
        ) : (
          <span className={buttonClass("secondary", "pointer-events-none opacity-50")} aria-disabled="true">{labels.next}</span>
        )}
      </div>
    </nav>
  );
}
