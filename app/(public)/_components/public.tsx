import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import type { ReactNode } from "react";
import { formatDateTime } from "@/lib/i18n/format";
import { createTranslator, messagesFor, type Translate } from "@/lib/i18n/translate";

// The frame and helpers of the customer's own pages (the consent page, the privacy center):
// server-rendered HTML that works without JavaScript, phone first, Chinese with an English switch
// through ?lang=en (no cookie), no tracking, nothing loaded from elsewhere.

export type PublicLang = "zh" | "en";
export type PublicI18n = { lang: PublicLang; t: Translate; locale: "zh-CN" | "en"; q: (path: string, extra?: Record<string, string | undefined>) => string };

export function publicI18n(params: Record<string, string | string[] | undefined>): PublicI18n {
  const lang: PublicLang = params.lang === "en" ? "en" : "zh";
  const locale = lang === "en" ? "en" : "zh-CN";
  const q = (path: string, extra: Record<string, string | undefined> = {}) => {
    const s = new URLSearchParams();
    if (lang === "en") s.set("lang", "en");
    for (const [k, v] of Object.entries(extra)) if (v) s.set(k, v);
    const text = s.toString();
    return text ? `${path}?${text}` : path;
  };
  return { lang, locale, t: createTranslator(messagesFor(locale)), q };
}

/** A public page's title in the reader's language (?lang=en), never both at once; not for search engines. */
export function publicMetadata(page: "notice" | "code" | "done" | "center", params: Record<string, string | string[] | undefined>): Metadata {
  return { title: publicI18n(params).t(`consentPage.pageTitles.${page}`), robots: { index: false, follow: false } };
}

export const inputClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm focus:outline-2 focus:outline-offset-1 focus:outline-blue-600";
export const buttonClassPublic = "inline-flex min-h-11 w-full items-center justify-center rounded-md bg-blue-700 px-4 py-2 text-base font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600";

export function PublicFrame({ i18n, path, children }: { i18n: PublicI18n; path: string; children: ReactNode }) {
  const other = i18n.lang === "en" ? path : `${path}${path.includes("?") ? "&" : "?"}lang=en`;
  return (
    <main lang={i18n.locale} className="mx-auto w-full max-w-xl space-y-5 px-4 py-6">
      <div className="flex items-center justify-between gap-4">
        <p className="text-base font-semibold text-blue-800">{i18n.t("consentPage.brand")}</p>
        <Link href={other} className="text-sm text-blue-700 underline" hrefLang={i18n.lang === "en" ? "zh-CN" : "en"}>
          {i18n.t("consentPage.switchLanguage")}
        </Link>
      </div>
      {children}
      <p className="text-xs text-slate-500">{i18n.t("consentPage.noTracking")}</p>
    </main>
  );
}

export function Section({ title, children, level = 2, id }: { title: ReactNode; children: ReactNode; level?: 1 | 2; id?: string }) {
  const Heading = level === 1 ? "h1" : "h2";
  return (
    <section id={id} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <Heading className="text-lg font-semibold">{title}</Heading>
      {children}
    </section>
  );
}

export function Problem({ tone = "error", children }: { tone?: "error" | "success" | "info"; children: ReactNode }) {
  const cls = tone === "error" ? "border-red-300 bg-red-50 text-red-900" : tone === "success" ? "border-green-300 bg-green-50 text-green-900" : "border-blue-300 bg-blue-50 text-blue-900";
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-md border px-4 py-3 text-sm ${cls}`}>
      {children}
    </div>
  );
}

/** A refusal key from the query string, shown only when it is one of ours. */
export function errorMessage(t: Translate, key: unknown): string | null {
  if (typeof key !== "string" || !/^[a-zA-Z.]{1,40}$/.test(key)) return null;
  const full = `consentPage.errors.${key}`;
  const text = t(full);
  return text === full ? null : text;
}

/** China time as the portal writes it in both languages: 2026-12-06 14:30 (lib/i18n/format.ts). */
export function formatTime(d: Date | null | undefined, locale: string): string {
  return d ? formatDateTime(d, locale) : "—";
}

/** The clear page of a link that does not open: invalid, expired, revoked, or its version retired. */
export function LinkProblem({ i18n, state }: { i18n: PublicI18n; state: string }) {
  const key = ["expired", "revoked", "retired"].includes(state) ? state : "invalid";
  return (
    <section className="space-y-3 rounded-lg border border-red-200 bg-white p-4" data-testid="link-problem">
      <h1 className="text-xl font-semibold text-red-800">{i18n.t(`consentPage.link.${key}.title`)}</h1>
      <p>{i18n.t(`consentPage.link.${key}.body`)}</p>
    </section>
  );
}
