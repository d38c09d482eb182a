"use client";
import { useActionState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { verifyAuditChainAction } from "@/lib/audit/actions";
import { useI18n } from "@/lib/i18n/client";

/** "Verify the chain": walks every event's hash on the server and says where it breaks, if it does. */
export function VerifyChain() {
  const { t, locale } = useI18n();
  const [state, action, pending] = useActionState(verifyAuditChainAction, null);
  const number = new Intl.NumberFormat(locale);
  let result: ReactNode = null;
  if (state?.ok && state.data.ok) {
    result = <Alert tone="success">{t("audit.verify.ok", { count: number.format(state.data.count) })}</Alert>;
  } else if (state?.ok && !state.data.ok) {
    const { brokenAt, reason, count } = state.data;
    result = <Alert tone="error">{t("audit.verify.broken", { id: brokenAt, reason: t(`audit.verify.${reason}`), count: number.format(count) })}</Alert>;
  } else if (state && !state.ok) {
    result = <Alert tone="error">{state.formError}</Alert>;
  }
  return (
    // `contents`: the button and its result sit in the toolbar around this form, the result
    // taking the rest of the row (or a row of its own on a phone).
    <form action={action} className="contents" data-testid="audit-verify">
      <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
        {pending ? t("audit.verify.pending") : t("audit.verify.button")}
      </Button>
      <div aria-live="polite" className="min-w-64 flex-1" data-testid="audit-verify-result">
        {result}
      </div>
    </form>
  );
}
