"use client";
import { Button, LinkButton } from "@/components/ui/button";
import { useI18n } from "@/lib/i18n/client";
import { StatusPage } from "./status-page";

// Shown instead of a stack trace when a page fails: Chinese (or English), no internal detail; the
// digest is a reference an administrator can find in the server log.
export function ErrorView({ digest, reset }: { digest?: string; reset: () => void }) {
  const { t } = useI18n();
  return (
    <StatusPage
      title={t("common.errorTitle")}
      testId="error-page"
      actions={
        <>
          <Button onClick={reset}>{t("common.retry")}</Button>
          <LinkButton href="/">{t("common.backToHome")}</LinkButton>
        </>
      }
    >
      <p>{t("common.errorBody")}</p>
      {digest ? <p className="mt-2 font-mono text-xs text-slate-600">{t("nav.errorReference", { digest })}</p> : null}
    </StatusPage>
  );
}
