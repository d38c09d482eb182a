"use client";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { toast } from "@/components/ui/toast";
import { batchApproveAction } from "@/lib/approvals/actions";
import type { BatchItemResult } from "@/lib/approvals/batch";
import { batchApproveSchema } from "@/lib/approvals/schemas";
import { useI18n } from "@/lib/i18n/client";

export const BATCH_FORM_ID = "approvals-batch";

/**
 * Batch approval of the ticked low-risk items (the checkboxes in the inbox's cards belong to this
 * form through form="approvals-batch"). Asks first, naming how many; then lists each item's result.
 */
export function BatchApproveForm({ available }: { available: boolean }) {
  const { t } = useI18n();
  const router = useRouter();
  const [results, setResults] = useState<BatchItemResult[] | null>(null);
  const onSuccess = useCallback(
    (data: BatchItemResult[]) => {
      setResults(data);
      const ok = data.filter((r) => r.ok).length;
      toast(t("approvals.quick.batchResults", { ok, failed: data.length - ok }), ok === data.length ? "success" : "info");
      router.refresh();
    },
    [router, t],
  );
  // Mounted whether or not anything can be batch-approved now: the refresh after a batch often leaves
  // nothing to batch, and the results must stay on screen (they were unmounted with the form).
  if (!available && !results) return null;
  return (
    <div className="mb-4 space-y-3 rounded-lg border border-blue-200 bg-blue-50/50 p-4" data-testid="batch-approve">
      {available ? (
      <ActionForm
        id={BATCH_FORM_ID}
        action={batchApproveAction}
        schema={batchApproveSchema}
        onSuccess={onSuccess}
        ariaLabel={t("approvals.quick.batchSubmit")}
        className="space-y-3"
        confirm={(data) => {
          const count = data.getAll("items").length;
          return { title: t("confirm.approvals.batch.title", { count }), body: t("confirm.approvals.batch.body"), confirmLabel: t("confirm.approvals.batch.action", { count }), tone: "primary" };
        }}
      >
        <p className="text-sm text-slate-700">{t("approvals.quick.batchHint")}</p>
        <SubmitButton>{t("approvals.quick.batchSubmit")}</SubmitButton>
      </ActionForm>
      ) : null}
      {results ? (
        <div role="status">
          <p className="text-sm font-medium text-slate-900">
            {t("approvals.quick.batchResults", { ok: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length })}
          </p>
          <ul className="mt-2 space-y-1 text-sm" data-testid="batch-results">
            {results.map((r) => (
              <li key={r.requestId} className={r.ok ? "text-green-900" : "text-red-800"} data-ok={r.ok}>
                <span className="font-medium break-words">{r.title ?? r.requestId}</span>
                {t("approvals.quick.colon")}
                {r.ok ? t("approvals.quick.batchItemOk") : t("approvals.quick.batchItemFailed", { reason: t(r.messageKey, r.params) })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
