"use client";
import { useI18n } from "@/lib/i18n/client";
import { Button } from "@/components/ui/button";

// Shown instead of a stack trace when a page fails; the digest lets an administrator find the
// server log line.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useI18n();
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">{t("common.errorTitle")}</h1>
      <p className="mt-2 text-slate-600">{t("common.errorBody")}</p>
      {error.digest ? <p className="mt-2 font-mono text-xs text-slate-500">{error.digest}</p> : null}
      <Button className="mt-6" onClick={reset}>{t("common.retry")}</Button>
    </main>
  );
}
