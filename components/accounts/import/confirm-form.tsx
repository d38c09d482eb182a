"use client";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { confirmImportAction } from "@/lib/accounts/import/actions";
import { confirmImportSchema } from "@/lib/accounts/import/schemas";
import { useI18n } from "@/lib/i18n/client";

/** Confirms a previewed import; the page then shows how many contacts were added. */
export function ConfirmForm({ importId, count }: { importId: string; count: number }) {
  const { t } = useI18n();
  const router = useRouter();
  const done = useCallback(() => router.refresh(), [router]);
  return (
    <ActionForm action={confirmImportAction} schema={confirmImportSchema} onSuccess={done} ariaLabel={t("contactImport.confirm", { count })}>
      <input type="hidden" name="importId" value={importId} />
      <p className="text-sm text-slate-700">{t("contactImport.confirmHint", { count: count.toLocaleString() })}</p>
      <SubmitButton pendingText={t("contactImport.confirming")}>{t("contactImport.confirm", { count: count.toLocaleString() })}</SubmitButton>
    </ActionForm>
  );
}
