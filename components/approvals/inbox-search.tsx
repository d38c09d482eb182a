import { Link } from "@/components/ui/link";
import { buttonClass } from "@/components/ui/button";
import type { InboxTab } from "@/lib/approvals/schemas";
import type { Translate } from "@/lib/i18n/translate";

/** The inbox's search (a GET form: the results have their own URL, and work without JavaScript). */
export function InboxSearch({ tab, q, total, t }: { tab: InboxTab; q?: string; total: number; t: Translate }) {
  return (
    <div className="mb-4 space-y-2">
      <form role="search" action="/approvals" aria-label={t("approvals.quick.searchLabel")} className="flex gap-2">
        {tab !== "pending" ? <input type="hidden" name="tab" value={tab} /> : null}
        <label htmlFor="approvals-q" className="sr-only">
          {t("approvals.quick.searchLabel")}
        </label>
        <input
          id="approvals-q"
          type="search"
          name="q"
          defaultValue={q ?? ""}
          maxLength={100}
          enterKeyHint="search"
          placeholder={t("approvals.quick.searchPlaceholder")}
          className="block min-h-11 w-full min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-blue-600 sm:min-h-10 sm:text-sm"
        />
        <button type="submit" className={buttonClass("secondary", "min-h-11 shrink-0 sm:min-h-10")}>
          {t("approvals.quick.searchSubmit")}
        </button>
      </form>
      {q ? (
        <p className="flex flex-wrap items-center gap-x-3 text-sm text-slate-600" data-testid="search-summary">
          <span>{t("approvals.quick.searchResults", { q, count: total })}</span>
          <Link href={tab === "pending" ? "/approvals" : `/approvals?tab=${tab}`} className="inline-flex min-h-11 items-center text-blue-800 underline sm:min-h-0">
            {t("approvals.quick.searchClear")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
