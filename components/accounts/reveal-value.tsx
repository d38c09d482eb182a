"use client";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { revealContactIdentifierAction, revealIdentifierAction } from "@/lib/accounts/actions";
import type { RevealField } from "@/lib/accounts/schemas";
import { useI18n } from "@/lib/i18n/client";

// A masked identifier with a "reveal" button for accounts.reveal: the account's own (field) or, with
// contactId, one customer contact's external id. The clear value comes from the Server Action
// (which audits the reveal) and lives only in this component's state.
export function RevealValue({ accountId, field, mask, canReveal, contactId }: { accountId: string; field: RevealField | "contact"; mask: string; canReveal: boolean; contactId?: string }) {
  const { t } = useI18n();
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const reveal = () =>
    startTransition(async () => {
      const result = field === "contact" ? await revealContactIdentifierAction(null, { id: accountId, contactId: contactId ?? "" }) : await revealIdentifierAction(null, { id: accountId, field });
      if (result.ok) {
        setValue(result.data.value);
        setError(null);
      } else setError(result.formError ?? t("errors.unexpected", { ref: "-" }));
    });
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className="font-mono break-all" data-testid={contactId ? `contact-id-${contactId}` : `account-${field}`}>
        {value ?? mask}
      </span>
      {canReveal ? (
        value === null ? (
          <Button variant="secondary" className="min-h-8 px-2 py-1 text-xs" onClick={reveal} disabled={pending} title={t("accounts.detail.revealHint")} data-testid={contactId ? `reveal-contact-${contactId}` : `reveal-${field}`} aria-label={contactId ? `${t("accounts.detail.reveal")} ${mask}` : undefined}>
            {t("accounts.detail.reveal")}
          </Button>
        ) : (
          <Button variant="ghost" className="min-h-8 px-2 py-1 text-xs" onClick={() => setValue(null)}>
            {t("accounts.detail.hide")}
          </Button>
        )
      ) : null}
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
