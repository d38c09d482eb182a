"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { setLocale } from "@/lib/shell/actions";
import { useI18n } from "@/lib/i18n/client";

/** One click to the other language; the choice is kept in a cookie. */
export function LanguageSwitch() {
  const { locale, t } = useI18n();
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const other = locale === "zh-CN" ? "en" : "zh-CN";
  return (
    <form action={setLocale}>
      <input type="hidden" name="locale" value={other} />
      <input type="hidden" name="returnTo" value={search ? `${pathname}?${search}` : pathname} />
      <button
        type="submit"
        lang={other}
        className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600"
        aria-label={`${t("common.language")}: ${t("common.switchLanguage")}`}
      >
        {t("common.switchLanguage")}
      </button>
    </form>
  );
}
