import { Link } from "./link";
import { getI18n } from "@/lib/i18n/server";
import { buttonClass } from "./button";

/** A pager's links are touch targets of at least 44 px (a button's 40 px is for desktop forms). */
function pagerClass(variant: "secondary" | "ghost", extra?: string) {
  return `${buttonClass(variant, extra).replace("min-h-10 ", "")} min-h-11 min-w-11`;
}

/** Previous/next links and "page X of Y, N in all", in the person's language. */
export async function Pagination({ page, pageSize, total, href }: {
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
}) {
  const { t } = await getI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const status = t("common.pageOf", { page, pages, total });
  return (
    <nav aria-label={status} className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
      <p>{status}</p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link className={pagerClass("secondary")} href={href(page - 1)} rel="prev">{t("common.previous")}</Link>
        ) : (
          <span className={pagerClass("secondary", "pointer-events-none opacity-50")} aria-disabled="true">{t("common.previous")}</span>
        )}
        {page < pages ? (
          <Link className={pagerClass("secondary")} href={href(page + 1)} rel="next">{t("common.next")}</Link>
        ) : (
          <span className={pagerClass("secondary", "pointer-events-none opacity-50")} aria-disabled="true">{t("common.next")}</span>
        )}
      </div>
    </nav>
  );
}
